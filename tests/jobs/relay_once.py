"""Run the outbox relay once in a process of its own, as a worker's sweep does.

python -m tests.jobs.relay_once   (DATABASE_URL, REDIS_URL, SECRET_KEY from the environment)
"""

from server import create_app
from server.jobs.relay import relay

if __name__ == "__main__":
    app = create_app()
    with app.app_context():
        relay()
