"""`flask worker` processes for tests that need real background jobs."""

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class WorkerProcess:
    """`flask worker` in its own process group, on the app's database and Redis."""

    def __init__(self, app, redis_url: str, output=None, **settings):
        # A file the worker's own output goes to (None: the test run's output).
        self.output = output
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
            stdout=self.output,
            stderr=subprocess.STDOUT if self.output else None,
        )
        return self

    def kill(self) -> None:
        """SIGKILL the worker (and its scheduler) at once: no cleanup of any kind."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
