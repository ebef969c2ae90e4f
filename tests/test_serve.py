"""`flask serve` as a terminal runs it: Redis, a worker and gunicorn start together, stop in order.

Each test starts the real command in a process group of its own and signals it as a terminal
does: Ctrl-C sends SIGINT to the whole foreground group.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import flask_migrate
import pytest
import redis
from rq import Queue

from server import create_app
from server.extensions import db
from server.jobs.embedded_redis import EmbeddedRedis
from server.jobs.queue import QUEUE_NAME
from tests.live_server import free_port

try:
    import psutil
except ImportError:  # the process table is read from /proc instead
    psutil = None

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
STOP_LINE = "Safeloop stopped: web, worker and Redis shut down."
# How long `flask serve` may take to stop with nothing in flight (gunicorn, worker, Redis).
STOP_DEADLINE = 20


def finish_slowly(folder: str, port: int, seconds: float) -> None:
    """A job for the served worker: note its start, work, note whether the web still listens."""
    Path(folder, "started").touch()
    time.sleep(seconds)
    Path(folder, "finished").write_text("web refused" if _refused(port) else "web answered")


def _refused(port: int) -> bool:
    """True when nothing listens on 127.0.0.1:port any more."""
    try:
        with socket.create_connection((HOST, port), timeout=1):
            return False
    except ConnectionRefusedError:
        return True


def process_table() -> dict[int, tuple[int, float, str]]:
    """Every live process (zombies left out): pid -> (parent pid, start time, command line)."""
    if psutil is not None:
        table = {}
        for process in psutil.process_iter(["ppid", "create_time", "cmdline", "status"]):
            info = process.info
            if info["status"] != psutil.STATUS_ZOMBIE:
                table[process.pid] = (
                    info["ppid"],
                    info["create_time"],
                    " ".join(info["cmdline"] or []),
                )
        return table
    return _proc_table()


def _proc_table() -> dict[int, tuple[int, float, str]]:
    """process_table() from /proc, for machines without psutil."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if fields[0] != "Z":
                table[int(entry.name)] = (int(fields[1]), float(fields[19]), command.strip())
    return table


def descendants(pid: int) -> dict[tuple[int, float], str]:
    """The processes under pid, each known by (pid, start time), with its command line."""
    table = process_table()
    found, parents = {}, {pid}
    while parents:
        children = {child for child, row in table.items() if row[0] in parents}
        children -= {key[0] for key in found}
        found.update({(child, table[child][1]): table[child][2] for child in children})
        parents = children
    return found


class Served:
    """`flask serve` in a process group of its own, its output (stdout and stderr) in a file."""

    def __init__(self, env: dict[str, str], folder: Path, *args: str, port: int | None = None):
        self.port = port or free_port()
        self.folder = folder
        self.redis_socket = folder / "redis" / "redis.sock"
        self.log = folder / "serve.log"
        self.seen: dict[tuple[int, float], str] = {}
        command = [sys.executable, "-m", "flask", "serve", "--port", str(self.port)]
        command += ["--web-workers", "1", "--redis-dir", str(folder / "redis"), *args]
        with open(self.log, "wb") as output:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_until_answering(
        self,
        timeout: float = 90,
        needs: tuple[str, ...] = ("redis-server", "flask worker", "gunicorn"),
    ) -> None:
        """Return once GET / answers 200 and the needed parts run; fail if serve exits first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"flask serve exited early:\n{self.output}"
            if self._answers() and self.running(*needs):
                return
            time.sleep(0.2)
        raise AssertionError(f"flask serve did not answer on port {self.port}:\n{self.output}")

    def running(self, *names: str) -> bool:
        """Note every process under flask serve; True when one of each name runs."""
        current = descendants(self.process.pid)
        self.seen.update(current)
        return all(any(name in command for command in current.values()) for name in names)

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{self.port}/", timeout=5) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def interrupt(self) -> None:
        """Ctrl-C in a terminal: SIGINT to every process of the foreground group."""
        os.killpg(self.process.pid, signal.SIGINT)

    def wait(self, timeout: float = STOP_DEADLINE) -> int:
        """The exit code of flask serve; fail when it has not exited within timeout seconds."""
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"flask serve still runs after {timeout} s:\n{self.output}"
            ) from None

    def left_running(self) -> list[str]:
        """Processes of this serve still alive: ones seen under it, or naming its port or socket."""
        table = process_table()
        marks = (f"{HOST}:{self.port}", str(self.redis_socket))
        return [
            f"{pid}: {row[2]}"
            for pid, row in table.items()
            if (pid, row[1]) in self.seen or any(mark in row[2] for mark in marks)
        ]

    def kill_everything(self) -> None:
        """After the test: SIGKILL flask serve's group and anything of it left running."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        for line in self.left_running():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(line.split(":")[0]), signal.SIGKILL)


@pytest.fixture(scope="module")
def database_file(tmp_path_factory) -> str:
    """A migrated SQLite database for the served app."""
    folder = tmp_path_factory.mktemp("served-db")
    url = f"sqlite:///{folder / 'safeloop.db'}"
    settings = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "serve-test", "REDIS_URL": None}
    app = create_app({**settings, "MEDIA_ROOT": str(folder / "media")})
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()
    return url


@pytest.fixture
def serve(database_file, tmp_path_factory):
    """Start `flask serve` on a free port with its own database, media and Redis folder."""
    started = []

    def start(*args: str, port: int | None = None, **settings: str) -> Served:
        folder = tmp_path_factory.mktemp("serve")
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("REDIS_URL", "RATELIMIT_STORAGE_URI", "FLASK_RUN_PORT")
        }
        env.update(
            FLASK_APP="server",
            PYTHONUNBUFFERED="1",
            DATABASE_URL=database_file,
            MEDIA_ROOT=str(folder / "media"),
            SECRET_KEY="serve-test",
            REDIS_URL="",
            SWEEP_INTERVAL="0.5",
        )
        env.update(settings)
        served = Served(env, folder, *args, port=port)
        started.append(served)
        return served

    yield start
    for served in started:
        served.kill_everything()


def assert_clean(served: Served) -> str:
    """The output has no traceback or lost-Redis error, and nothing of the serve runs on."""
    output = served.output
    assert "Traceback" not in output, output
    assert "ConnectionError" not in output, output
    assert "could not sign off from Redis" not in output, output
    assert served.left_running() == [], output
    return output


def test_ctrl_c_stops_web_worker_and_redis_with_one_line(serve):
    served = serve()
    served.wait_until_answering()
    served.running()

    served.interrupt()

    assert served.wait() == 0, served.output
    output = assert_clean(served)
    assert output.count("Safeloop stopped") == 1, output
    assert STOP_LINE in output, output


def test_the_worker_finishes_its_job_after_the_web_has_stopped(serve):
    served = serve()
    served.wait_until_answering()
    with redis.Redis(unix_socket_path=str(served.redis_socket)) as connection:
        queue = Queue(QUEUE_NAME, connection=connection)
        queue.enqueue(finish_slowly, str(served.folder), served.port, 4)
    deadline = time.monotonic() + 30
    while not (served.folder / "started").exists():
        assert time.monotonic() < deadline, served.output
        time.sleep(0.1)
    served.running()

    served.interrupt()

    assert served.wait(timeout=STOP_DEADLINE + 4) == 0, served.output
    assert (served.folder / "finished").read_text() == "web refused"
    assert STOP_LINE in assert_clean(served)


def test_a_second_ctrl_c_stops_at_once(serve):
    served = serve()
    served.wait_until_answering()
    with redis.Redis(unix_socket_path=str(served.redis_socket)) as connection:
        Queue(QUEUE_NAME, connection=connection).enqueue(
            finish_slowly, str(served.folder), served.port, 120
        )
    deadline = time.monotonic() + 30
    while not (served.folder / "started").exists():
        assert time.monotonic() < deadline, served.output
        time.sleep(0.1)
    served.running()
    served.interrupt()
    deadline = time.monotonic() + STOP_DEADLINE
    while any("gunicorn" in line for line in served.left_running()):
        assert time.monotonic() < deadline, served.output
        time.sleep(0.1)
    # The web is gone: flask serve now waits for the worker's job.

    started = time.monotonic()
    served.interrupt()

    assert served.wait() == 0, served.output
    assert time.monotonic() - started < 5
    assert not (served.folder / "finished").exists()
    output = assert_clean(served)
    assert "Safeloop stopped: web and Redis shut down; worker killed." in output, output


def test_sigterm_to_flask_serve_alone_stops_everything_in_order(serve):
    served = serve()
    served.wait_until_answering()
    served.running()

    served.process.send_signal(signal.SIGTERM)

    assert served.wait() == 0, served.output
    assert STOP_LINE in assert_clean(served)


def test_a_redis_given_by_redis_url_is_used_and_left_running(serve, tmp_path):
    given = EmbeddedRedis(tmp_path / "given").start()
    try:
        served = serve(REDIS_URL=given.url)
        served.wait_until_answering(needs=("flask worker", "gunicorn"))
        served.running()

        served.interrupt()

        assert served.wait() == 0, served.output
        output = assert_clean(served)
        assert "Embedded Redis" not in output, output
        assert "Safeloop stopped: web and worker shut down." in output, output
        with redis.Redis.from_url(given.url) as client:
            assert client.ping()
    finally:
        given.stop()


def test_a_web_server_that_dies_stops_the_rest(serve):
    served = serve()
    served.wait_until_answering()
    served.running()
    table = process_table()
    (arbiter,) = [
        pid for pid, row in table.items() if row[0] == served.process.pid and "gunicorn" in row[2]
    ]

    os.kill(arbiter, signal.SIGKILL)

    assert served.wait() == 1, served.output
    output = assert_clean(served)
    assert (
        "Safeloop stopped: web exited by itself (killed by SIGKILL); worker and Redis shut down."
        in output
    ), output


def test_a_taken_port_is_said_in_one_line_and_leaves_nothing_running(serve):
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        served = serve(port=taken.getsockname()[1])
        exit_code = served.wait()

    assert exit_code != 0, served.output
    output = assert_clean(served)
    assert f"{HOST}:{served.port} is already in use" in output, output
    assert len(output.strip().splitlines()) == 1, output
