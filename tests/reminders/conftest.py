"""Fixtures for reminders: a plant with sites and people, SMTP servers, Redis and workers."""

import subprocess
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from server.extensions import db
from server.reminders.models import Notification
from tests.factories import make_organization, make_site, make_user
from tests.jobs.conftest import (  # noqa: F401 (fixtures)
    queued_app,
    redis_url,
    shared_redis_url,
    worker_process,
)
from tests.reminders.smtp_server import SmtpServer


@pytest.fixture
def plant(app):
    """An organization with two sites, an owner, an officer of each site, and an admin."""
    organization = make_organization()
    north, south = make_site(organization, "NORTH"), make_site(organization, "SOUTH")
    return {
        "organization": organization,
        "north": north,
        "south": south,
        "owner": make_user(organization),
        "north_officer": make_user(organization, role="officer", sites=[north]),
        "south_officer": make_user(organization, role="officer", sites=[south]),
        "admin": make_user(organization, role="admin"),
    }


def notifications(user=None) -> list[Notification]:
    """The notifications made (a user's, or everyone's), oldest first."""
    db.session.expire_all()
    query = db.select(Notification).order_by(Notification.id)
    if user is not None:
        query = query.where(Notification.user_id == user.id)
    return list(db.session.scalars(query))


def calm_zone() -> tuple[str, datetime]:
    """A time zone where the day is hours from its end, and the time now there.

    Tests run by a worker use the real clock: their due days must not roll over meanwhile.
    """
    now = datetime.now(UTC)
    for zone in ("UTC", "Etc/GMT-6", "Etc/GMT-12", "Etc/GMT+6"):
        if 2 <= now.astimezone(ZoneInfo(zone)).hour < 20:
            return zone, now
    raise AssertionError("every zone tried is near midnight")


@pytest.fixture
def smtp(tmp_path):
    """Start SMTP server processes: smtp(port=None, cert=..., key=..., user=..., password=...)."""
    servers = []

    def start(port: int | None = None, **options) -> SmtpServer:
        server = SmtpServer(tmp_path / f"maildir{len(servers)}", port, **options).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def tls_certificate(tmp_path_factory) -> dict:
    """A self-signed certificate for 127.0.0.1 and its key."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return {"cert": str(cert), "key": str(key)}
