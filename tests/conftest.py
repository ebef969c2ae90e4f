"""Fixtures: a migrated database per backend, a fresh app per test, a client and an auth helper.

The suite always runs on SQLite; with TEST_DATABASE_URL set it runs again on PostgreSQL, in a
database of its own that it creates and drops. An unreachable PostgreSQL fails the run.
"""

import contextvars
import os
import uuid

import flask_migrate
import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url

from server import create_app
from server.extensions import db
from tests.factories import PASSWORD, PASSWORD_HASH_METHOD
from tests.triage.helpers import MEASURES

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def _create_postgres_database(admin_url: str) -> str:
    """Create an empty database beside admin_url's and return its URL."""
    name = f"safeloop_test_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        pytest.exit(
            f"TEST_DATABASE_URL is set but PostgreSQL is unreachable: {error}", returncode=3
        )
    finally:
        engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(admin_url: str, url: str) -> None:
    name = make_url(url).database
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """An empty database on the backend of this run, for migration tests."""
    if make_url(database_url).get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrate.db'}"
        return
    admin_url = os.environ["TEST_DATABASE_URL"]
    url = _create_postgres_database(admin_url)
    yield url
    _drop_postgres_database(admin_url, url)


def base_config(database_url: str, tmp_path) -> dict:
    """Settings every test app shares."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "RATELIMIT_STORAGE_URI": "memory://",
        "REDIS_URL": None,
        "PASSWORD_HASH_METHOD": PASSWORD_HASH_METHOD,
    }


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """A database migrated to the newest revision, for the whole session."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    else:
        url = _create_postgres_database(os.environ["TEST_DATABASE_URL"])
    app = create_app(base_config(url, tmp_path_factory.mktemp("media")))
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()
    yield url
    if request.param == "postgresql":
        _drop_postgres_database(os.environ["TEST_DATABASE_URL"], url)


def _empty_all_tables() -> None:
    """Delete every row, children first, and start the ids again, so the next test starts clean.

    DELETE, not TRUNCATE: a test leaves a few rows, and TRUNCATE remakes the files of every
    table on PostgreSQL (about a second for all of them, against 50 ms).
    """
    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
        if connection.dialect.name == "postgresql":
            sequences = connection.scalars(
                sa.text("SELECT oid::regclass::text FROM pg_class WHERE relkind = 'S'")
            ).all()
            restarts = ", ".join(f"setval('{name}', 1, false)" for name in sequences)
            if restarts:
                connection.execute(sa.text(f"SELECT {restarts}"))
    db.engine.dispose()


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context, as on a real server.

    Tests keep an app context open to use the database; without this, requests would share its
    `g` and database session with the test and with each other.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build an app on the session's database with extra settings; tables are emptied after."""
    apps = []

    def build(**overrides):
        app = create_app({**base_config(database_url, tmp_path), **overrides})
        app.test_client_class = IsolatedClient
        apps.append(app)
        return app

    yield build
    if apps:
        with apps[0].app_context():
            _empty_all_tables()


@pytest.fixture
def app(make_app):
    """The app under test, with an app context pushed so tests can use the database."""
    app = make_app()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


class AuthActions:
    """Sign in and out through the API, as the PWA does."""

    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = PASSWORD):
        return self._client.post("/api/auth/login", json={"email": email, "password": password})

    def logout(self):
        return self._client.post("/api/auth/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


# The figures triage tests measure, shown in the summary however many processes ran them.
def pytest_runtest_logreport(report):
    """Collect the figures of tests run in other processes (pytest-xdist workers)."""
    for key, value in report.user_properties:
        if key == "triage_measure":
            MEASURES[value[0]] = value[1]


def pytest_terminal_summary(terminalreporter):
    """Show the classifier and duplicate-detection figures the tests measured."""
    if MEASURES:
        terminalreporter.section("triage measurements")
        for name, text in sorted(MEASURES.items()):
            terminalreporter.write_line(f"{name}: {text}")
