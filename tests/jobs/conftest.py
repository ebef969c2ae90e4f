"""Real Redis and real `flask worker` processes for the job tests."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from server.jobs.embedded_redis import EmbeddedRedis

ROOT = Path(__file__).resolve().parents[2]


def wait_until(condition, timeout: float = 20.0, interval: float = 0.1):
    """Poll condition() until it returns something truthy; fail after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


def flush(url: str) -> None:
    """Empty the Redis database at url."""
    with redis.Redis.from_url(url) as client:
        client.flushdb()


@pytest.fixture(scope="session")
def shared_redis_url(tmp_path_factory):
    """TEST_REDIS_URL (a database of the tests' own), else an embedded Redis for the session."""
    if os.environ.get("TEST_REDIS_URL"):
        url = os.environ["TEST_REDIS_URL"]
        try:
            flush(url)
        except redis.exceptions.ConnectionError as error:
            pytest.exit(f"TEST_REDIS_URL is set but Redis is unreachable: {error}", returncode=3)
        yield url
        flush(url)
        return
    embedded = EmbeddedRedis(tmp_path_factory.mktemp("redis")).start()
    yield embedded.url
    embedded.stop()


@pytest.fixture
def redis_url(shared_redis_url):
    """A flushed Redis database for one test."""
    flush(shared_redis_url)
    yield shared_redis_url
    flush(shared_redis_url)


@pytest.fixture
def queued_app(make_app, redis_url):
    """The app with its queue on the test Redis, and an app context."""
    app = make_app(REDIS_URL=redis_url)
    with app.app_context():
        yield app
    client = app.extensions.get("redis", {}).get("client")
    if client is not None:
        client.close()


class WorkerProcess:
    """`flask worker` in its own process group, on the app's database and Redis."""

    def __init__(self, app, redis_url: str, **settings):
        self.env = {
            **os.environ,
            "FLASK_APP": "server",
            "PYTHONUNBUFFERED": "1",
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "REDIS_URL": redis_url,
            "SECRET_KEY": app.config["SECRET_KEY"],
            "MEDIA_ROOT": app.config["MEDIA_ROOT"],
            "SWEEP_INTERVAL": "0.5",
            "JOB_RESCUE_AFTER": "600",
            **{key: str(value) for key, value in settings.items()},
        }
        self.process = None

    def start(self) -> "WorkerProcess":
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "worker"],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
        )
        return self

    def kill(self) -> None:
        """SIGKILL the worker and its work horse at once: no cleanup of any kind."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker_process(queued_app, redis_url):
    """Start workers with extra settings: worker_process(JOB_RESCUE_AFTER=2)."""
    workers = []

    def start(url: str = redis_url, **settings) -> WorkerProcess:
        worker = WorkerProcess(queued_app, url, **settings).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
