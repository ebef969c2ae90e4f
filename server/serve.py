"""`flask serve`: everything on one machine: Redis (embedded by default), a worker, the web.

Each part runs in a session of its own, so the terminal's Ctrl-C reaches `flask serve` alone, and
it stops them in order: the web first (requests in flight finish), then the worker (the job in hand
finishes), then Redis. SIGTERM and SIGHUP do the same; a second signal while stopping kills what
is still running.
"""

import ctypes
import errno
import functools
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import click
from flask import current_app

from server import gunicorn_conf
from server.jobs.embedded_redis import EmbeddedRedis

# gunicorn's settings (worker class, threads, timeouts): one module for production and tests.
GUNICORN_CONFIG = "python:server.gunicorn_conf"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
# Seconds each part may take to stop before it is killed. The web's requests in flight get
# gunicorn's graceful_timeout; a job cut short is sent again later (jobs are safe to run twice).
WEB_STOP_TIMEOUT = gunicorn_conf.graceful_timeout + 5
WORKER_STOP_TIMEOUT = 60.0
REDIS_STOP_TIMEOUT = 10.0
# After a second signal, the part being waited for is killed and the rest get this long.
FORCED_STOP_TIMEOUT = 1.0
# A part still stopping after this many seconds is named on the terminal.
PATIENCE = 3.0
PR_SET_PDEATHSIG = 1


def gunicorn_command(bind: str, workers: int) -> list[str]:
    """The command that serves the app under gunicorn on bind ("host:port") with its settings."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        GUNICORN_CONFIG,
        "--bind",
        bind,
        "--workers",
        str(workers),
        "server:create_app()",
    ]


class Signals:
    """The stop signals flask serve has received: the first asks for a stop, a second forces it."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, signum, frame) -> None:
        self.count += 1

    @property
    def stop(self) -> bool:
        return self.count > 0

    @property
    def forced(self) -> bool:
        return self.count > 1

    @contextmanager
    def installed(self) -> Iterator["Signals"]:
        """Count SIGINT, SIGTERM and SIGHUP instead of dying of them, while the block runs."""
        previous = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
        for signum in STOP_SIGNALS:
            signal.signal(signum, self)
        try:
            yield self
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)


@functools.cache
def _prctl():
    """Linux's prctl(2), or None elsewhere."""
    return ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None


def _child_options() -> dict:
    """Popen options for a part: a session of its own and, on Linux, a SIGTERM if serve dies."""
    options: dict = {"start_new_session": True}
    prctl = _prctl()
    if prctl is not None:
        parent = os.getpid()

        def stop_with_parent() -> None:
            prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
            if os.getppid() != parent:  # serve died before the line above
                os.kill(os.getpid(), signal.SIGTERM)

        options["preexec_fn"] = stop_with_parent
    return options


def _exit_reason(code: int) -> str:
    """How a part that was not asked to stop ended, from its exit code."""
    if code >= 0:
        return f"exited by itself (code {code})"
    try:
        return f"exited by itself (killed by {signal.Signals(-code).name})"
    except ValueError:
        return f"exited by itself (killed by signal {-code})"


def _say(line: str) -> None:
    """Print a line; a terminal that has gone (SIGHUP) must not keep the rest from stopping."""
    with suppress(OSError):
        click.echo(line)


class Part:
    """One process of flask serve (Redis, the worker or the web), in a session of its own."""

    def __init__(self, name: str, process: subprocess.Popen, timeout: float):
        self.name = name
        self.process = process
        self.timeout = timeout

    def stop(self, signals: Signals) -> str:
        """SIGTERM, SIGKILL after its timeout or a second signal; returns how it ended."""
        code = self.process.poll()
        if code is not None:
            outcome = _exit_reason(code)
        else:
            self.process.terminate()
            outcome = "shut down" if self._wait(signals) else "killed"
        self._kill_group()
        return outcome

    def _wait(self, signals: Signals) -> bool:
        """Wait for the process to exit: True when it did, False when it was killed."""
        forced = signals.forced
        started = time.monotonic()
        deadline = started + (FORCED_STOP_TIMEOUT if forced else self.timeout)
        told = False
        while self.process.poll() is None:
            if time.monotonic() > deadline or signals.forced != forced:
                self._kill_group()
                self.process.wait()
                return False
            if not told and time.monotonic() - started > PATIENCE:
                _say(f"Stopping {self.name}: waiting for it (Ctrl-C again stops it at once)")
                told = True
            time.sleep(0.05)
        return True

    def _kill_group(self) -> None:
        """SIGKILL every process left in the part's group (gunicorn's workers, rq's scheduler)."""
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)


class Stack:
    """Redis (when embedded), the worker and the web: started in that order, stopped in reverse."""

    def __init__(self, signals: Signals):
        self.signals = signals
        self.parts: list[Part] = []
        self.redis: EmbeddedRedis | None = None

    def start(self, redis_url: str | None, redis_dir: Path, bind: str, web_workers: int) -> None:
        """Start each part in turn, unless a stop signal came meanwhile."""
        if not redis_url:
            self.redis = EmbeddedRedis(redis_dir).start(**_child_options())
            self.parts.append(Part("Redis", self.redis.process, REDIS_STOP_TIMEOUT))
            redis_url = self.redis.url
            _say(f"Embedded Redis on {self.redis.socket}")
        env = {**os.environ, "REDIS_URL": redis_url}
        for name, command, timeout in (
            ("worker", [sys.executable, "-m", "flask", "worker"], WORKER_STOP_TIMEOUT),
            ("web", gunicorn_command(bind, web_workers), WEB_STOP_TIMEOUT),
        ):
            if self.signals.stop:
                return
            process = subprocess.Popen(
                command, env=env, stdin=subprocess.DEVNULL, **_child_options()
            )
            self.parts.append(Part(name, process, timeout))

    def watch(self, host: str, port: int) -> bool:
        """Wait for a stop signal (False) or a part that exits by itself (True)."""
        announced = False
        while not self.signals.stop:
            if any(part.process.poll() is not None for part in self.parts):
                return True
            if not announced and _listening(host, port):
                _say(f"Safeloop is running on http://{host}:{port}  (Ctrl-C stops it)")
                announced = True
            time.sleep(0.1)
        return False

    def stop(self) -> dict[str, str]:
        """Stop the web, then the worker, then Redis; how each ended, by name."""
        outcomes = {part.name: part.stop(self.signals) for part in reversed(self.parts)}
        if self.redis is not None:
            self.redis.stop(timeout=0)  # already stopped above: this only forgets the process
        return outcomes


def stop_line(outcomes: dict[str, str]) -> str:
    """One line for the terminal: 'Safeloop stopped: web, worker and Redis shut down.'"""
    by_outcome: dict[str, list[str]] = {}
    for name, outcome in outcomes.items():
        by_outcome.setdefault(outcome, []).append(name)
    said = [f"{_and(names)} {outcome}" for outcome, names in by_outcome.items()]
    return f"Safeloop stopped: {'; '.join(said)}."


def _and(names: list[str]) -> str:
    """'web', 'web and worker', 'web, worker and Redis'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _listening(host: str, port: int) -> bool:
    """True when a connection to host:port is accepted."""
    target = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    try:
        with socket.create_connection((target, port), timeout=0.5):
            return True
    except OSError:
        return False


def _check_address(host: str, port: int) -> None:
    """Fail in one line, before starting anything, when gunicorn could not listen on host:port."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does
            probe.bind(address)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            reason = f"{host}:{port} is already in use; stop what listens there or use --port"
        else:
            reason = f"cannot listen on {host}:{port}: {error.strerror or error}"
        raise click.ClickException(f"Safeloop cannot start: {reason}.") from None


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--web-workers", default=2, show_default=True)
@click.option(
    "--redis-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of the embedded Redis's socket  [default: INSTANCE/redis]",
)
def serve_command(host: str, port: int, web_workers: int, redis_dir: Path | None) -> None:
    """Start Redis when none is configured, one rq worker and gunicorn; stop them in order."""
    _check_address(host, port)
    redis_url = current_app.config.get("REDIS_URL")
    redis_dir = redis_dir or Path(current_app.instance_path) / "redis"
    with Signals().installed() as signals:
        stack = Stack(signals)
        try:
            stack.start(redis_url, redis_dir, f"{host}:{port}", web_workers)
            failed = stack.watch(host, port)
        except (OSError, RuntimeError) as error:
            stack.stop()
            raise click.ClickException(f"Safeloop could not start: {error}.") from None
        except BaseException:
            stack.stop()
            raise
        _say(stop_line(stack.stop()))
    if failed:
        raise click.exceptions.Exit(1)
