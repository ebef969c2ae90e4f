"""Safeloop under gunicorn in a subprocess, for tests that need the server production runs.

    server = GunicornServer(app_environment(app)).start()
    requests.get(server.url + "/api/auth/me")
    server.stop()      # really gone: connections to server.url are refused
    server.start()     # back on the same port (a browser's origin stays the same)
    server.restart()   # stop() then start()
    server.kill()      # SIGKILL the whole process group at once, as a crash would

The command is the one `flask serve` (and so `make run`) runs: same gunicorn settings module,
same worker class and threads. The app reads its settings from the environment, as in production.
"""

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path

from flask import Flask

from server.serve import gunicorn_command

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


def app_environment(app: Flask, **settings) -> dict[str, str]:
    """The environment that makes a served app use the same database, media and secrets as app."""
    env = {
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "MEDIA_ROOT": app.config["MEDIA_ROOT"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "RATELIMIT_STORAGE_URI": app.config["RATELIMIT_STORAGE_URI"],
        # Empty, not absent, without one: a Redis in the caller's environment must not leak in.
        "REDIS_URL": app.config.get("REDIS_URL") or "",
        "PASSWORD_HASH_METHOD": app.config["PASSWORD_HASH_METHOD"],
    }
    env.update((key, str(value)) for key, value in settings.items())
    return env


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _refused(port: int) -> bool:
    """True when a connection to the port is refused (nothing listens there)."""
    try:
        with socket.create_connection((HOST, port), timeout=1):
            return False
    except ConnectionRefusedError:
        return True
    except OSError:
        return False


class GunicornServer:
    """The app under gunicorn on 127.0.0.1; one port for its whole life, so url never changes.

    env is added to this process's environment (DATABASE_URL, REDIS_URL, MEDIA_ROOT, SECRET_KEY,
    RATELIMIT_STORAGE_URI, any other setting); gunicorn's output goes to log_path when given.
    """

    def __init__(
        self, env: Mapping[str, str], *, workers: int = 2, log_path: Path | None = None
    ) -> None:
        self.env = {**os.environ, "PYTHONUNBUFFERED": "1", **env}
        self.workers = workers
        self.log_path = log_path
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self._process: subprocess.Popen | None = None

    @property
    def running(self) -> bool:
        """True between start() and stop() (or kill()), while gunicorn's arbiter lives."""
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = 60.0) -> "GunicornServer":
        """Start gunicorn and return once it answers HTTP on url."""
        if self.running:
            raise RuntimeError(f"gunicorn is already running on {self.url}")
        command = gunicorn_command(f"{HOST}:{self.port}", self.workers)
        with self._log() as output:
            self._process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stop() and kill() reach workers
            )
        self._wait_until_answering(timeout)
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """Stop gracefully (SIGTERM; SIGKILL after timeout); return once connections are refused.

        Requests in flight get up to the graceful_timeout of server/gunicorn_conf.py to finish.
        """
        if self._process is None:
            return
        self._signal(signal.SIGTERM)
        try:
            self._process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._signal(signal.SIGKILL)
        self._reap()

    def kill(self) -> None:
        """SIGKILL the arbiter and its workers at once: no request gets to finish."""
        if self._process is None:
            return
        self._signal(signal.SIGKILL)
        self._reap()

    def restart(self, timeout: float = 60.0) -> "GunicornServer":
        """stop(), then start() on the same port."""
        self.stop()
        return self.start(timeout)

    def __enter__(self) -> "GunicornServer":
        return self if self.running else self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _log(self):
        """Where gunicorn writes: log_path (appended), or nowhere."""
        if self.log_path is None:
            return open(os.devnull, "wb")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        return open(self.log_path, "ab")

    def _log_tail(self) -> str:
        if self.log_path is None or not self.log_path.exists():
            return "(no log_path given)"
        return self.log_path.read_text(errors="replace")[-3000:]

    def _wait_until_answering(self, timeout: float) -> None:
        """Poll url until an HTTP answer arrives; fail with gunicorn's log if it exits first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self._process = None
                raise RuntimeError(f"gunicorn exited while starting:\n{self._log_tail()}")
            if self._answers():
                return
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"gunicorn did not answer on {self.url}:\n{self._log_tail()}")

    def _answers(self) -> bool:
        """True when a request to /api/openapi.json gets any HTTP status line back."""
        try:
            with socket.create_connection((HOST, self.port), timeout=5) as connection:
                connection.sendall(
                    b"HEAD /api/openapi.json HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"
                )
                return connection.recv(16).startswith(b"HTTP/1.")
        except OSError:
            return False

    def _signal(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):  # the whole group has exited
            os.killpg(self._process.pid, signum)

    def _reap(self) -> None:
        """Wait for the arbiter, kill any worker left in its group, wait for the port to close."""
        self._process.wait()
        self._signal(signal.SIGKILL)
        self._process = None
        deadline = time.monotonic() + 10
        while not _refused(self.port):
            if time.monotonic() > deadline:
                raise RuntimeError(f"port {self.port} still accepts connections after stop")
            time.sleep(0.05)
