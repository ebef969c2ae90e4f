"""A live Safeloop server and Debian's Chromium for end-to-end journeys."""

import os
import threading
from pathlib import Path

import flask_migrate
import pytest
from werkzeug.serving import make_server

from server import create_app
from server.demo import seed_demo
from server.extensions import db
from server.jobs.embedded_redis import EmbeddedRedis
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
    """The app on a fresh, migrated SQLite database with the demo data, a Redis and a worker."""
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


class LiveServer:
    """live_app served on one local port; stop() makes the network truly gone, start() returns it.

    Stopping the server is the only offline that also cuts the service worker's own fetches.
    """

    def __init__(self, app):
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self._server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = None
        self.start()

    def start(self) -> None:
        if self._server is None:
            self._server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = None

    @property
    def running(self) -> bool:
        return self._server is not None


@pytest.fixture(scope="session")
def server(live_app):
    """The running LiveServer for the session."""
    live = LiveServer(live_app)
    yield live
    if live.running:
        live.stop()


@pytest.fixture
def live_server(server):
    """The base URL of a running server (restarted if a test left it stopped)."""
    if not server.running:
        server.start()
    yield server.url
    if not server.running:
        server.start()


@pytest.fixture
def screenshot():
    """Save a screenshot of what the person sees under test-artifacts/ and return its path."""

    def take(page, name: str, full_page: bool = False) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
