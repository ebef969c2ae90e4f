"""A live Safeloop server (gunicorn, as production runs it) and Debian's Chromium for journeys."""

import os
from pathlib import Path

import flask_migrate
import pytest

from server import create_app
from server.demo import seed_demo
from server.extensions import db
from server.jobs.embedded_redis import EmbeddedRedis
from tests.live_server import GunicornServer, app_environment
from tests.workers import WorkerProcess

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1440, "height": 900}}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Use Debian's Chromium where it is installed (browser downloads fail on closed networks)."""
    args = {**browser_type_launch_args, "args": CHROMIUM_FLAGS}
    if Path(CHROMIUM).exists():
        args["executable_path"] = CHROMIUM
    return args


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app on a fresh, migrated SQLite database with the demo data, a Redis and a worker.

    The data is seeded here, in this process; the gunicorn of `server` serves the same database.
    """
    root = tmp_path_factory.mktemp("live")
    redis = EmbeddedRedis(root / "redis").start()
    app = create_app(
        {
            "SECRET_KEY": "e2e-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{root / 'live.db'}",
            "MEDIA_ROOT": str(root / "media"),
            "RATELIMIT_STORAGE_URI": "memory://",
            "REDIS_URL": redis.url,
        }
    )
    with app.app_context():
        flask_migrate.upgrade()
        seed_demo()
        db.session.remove()
    worker = WorkerProcess(app, redis.url).start()
    yield app
    worker.stop()
    if "redis" in app.extensions:
        app.extensions["redis"]["client"].close()
    redis.stop()


class LiveServer(GunicornServer):
    """live_app served by gunicorn, as production serves it, on one local port for the session.

    stop() makes the network truly gone (connections refused) and start() brings it back on the
    same port: the only offline that also cuts the service worker's own fetches. The app stays
    at hand (server.app) to look into the database the served app writes.
    """

    def __init__(self, app, log_path: Path):
        super().__init__(app_environment(app), workers=2, log_path=log_path)
        self.app = app

    def log_size(self) -> int:
        """How far gunicorn's log has been written, to read what comes after."""
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def log_since(self, offset: int) -> list[str]:
        """The lines gunicorn has written since log_size() gave offset."""
        with self.log_path.open("rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace").splitlines()

    def stop(self) -> None:
        """Take the server away at once, as a dropped network does (a graceful stop waits)."""
        self.kill()


@pytest.fixture(scope="session")
def server(live_app, tmp_path_factory):
    """The running LiveServer for the session."""
    live = LiveServer(live_app, tmp_path_factory.mktemp("gunicorn") / "gunicorn.log").start()
    yield live
    live.stop()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so a fixture can tell that the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def live_server(server, request):
    """The base URL of a running server (restarted if a test left it stopped).

    When the test fails, the requests it made that took a second or more are printed: a journey
    that waited in vain shows whether the server was slow or never asked.
    """
    start = server.log_size()
    if not server.running:
        server.start()
    yield server.url
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        slow = [line for line in server.log_since(start) if _took_ms(line) >= 1000]
        print("Requests of 1 s or more during the test:", *slow or ["none"], sep="\n")
    if not server.running:
        server.start()


def _took_ms(line: str) -> int:
    """The duration an access-log line ends with ("... 1234ms"), or 0 for other lines."""
    last = line.rsplit(" ", 1)[-1]
    return int(last[:-2]) if last.endswith("ms") and last[:-2].isdigit() else 0


@pytest.fixture
def screenshot():
    """Save a screenshot of what the person sees under test-artifacts/ and return its path."""

    def take(page, name: str, full_page: bool = False) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
