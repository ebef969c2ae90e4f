"""A competence record's certificate photo: downloadable, through gunicorn, by the holder and the
organization's officers and admins, and by nobody else, even knowing its hash."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
import requests

from server.extensions import db
from server.media.models import Attachment
from server.people.models import INTERNAL_AUDIT
from tests.factories import PASSWORD
from tests.live_server import GunicornServer, app_environment
from tests.media import images

TODAY = datetime.now(UTC).date()


@pytest.fixture
def served(app, tmp_path):
    """The test's app (same database and media) served by gunicorn."""
    server = GunicornServer(app_environment(app), workers=1, log_path=tmp_path / "gunicorn.log")
    with server:
        yield server


def signed_in(served, user) -> requests.Session:
    http = requests.Session()
    login = {"email": user.email, "password": PASSWORD}
    assert http.post(f"{served.url}/api/auth/login", json=login).status_code == 200
    return http


def record(http, served, user, photo: str | None) -> dict:
    body = {
        "module": INTERNAL_AUDIT,
        "title": "ISO 45001 internal auditor course",
        "completed_on": (TODAY - timedelta(days=3)).isoformat(),
        "expires_on": (TODAY + timedelta(days=700)).isoformat(),
        "certificate_photo": photo,
    }
    answer = http.post(f"{served.url}/api/users/{user.id}/competences", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def upload(http, served, data: bytes) -> str:
    sha = images.sha256(data)
    answer = http.put(
        f"{served.url}/api/photos/{sha}", data=data, headers={"Content-Type": "image/jpeg"}
    )
    assert answer.status_code in (200, 201), answer.text
    return sha


def test_the_holder_officers_and_admins_download_the_certificate(served, team):
    # Larger than a read buffer: the download is whole, byte for byte.
    data = images.jpeg((1600, 1100))
    officer = signed_in(served, team.officer)
    sha = upload(officer, served, data)
    recorded = record(officer, served, team.worker, sha)
    assert recorded["certificate_photo"] == sha

    for user in (team.worker, team.officer, team.north_officer, team.admin):
        http = signed_in(served, user)
        original = http.get(f"{served.url}/api/photos/{sha}/original")
        assert original.status_code == 200, (user, original.text)
        assert original.headers["Content-Type"] == "image/jpeg"
        assert original.content == data
        assert hashlib.sha256(original.content).hexdigest() == sha
        assert http.get(f"{served.url}/api/photos/{sha}/thumb").status_code == 200


def test_nobody_else_downloads_it_even_knowing_its_hash(served, team):
    data = images.jpeg((300, 200))
    officer = signed_in(served, team.officer)
    sha = upload(officer, served, data)
    record(officer, served, team.worker, sha)
    for user in (team.other_worker, team.auditor):
        http = signed_in(served, user)
        assert http.get(f"{served.url}/api/photos/{sha}/original").status_code == 404
        assert http.get(f"{served.url}/api/photos/{sha}/display").status_code == 404
    # Another organization's officer who sends the same bytes holds them, but no record of
    # theirs shows them.
    stranger = signed_in(served, team.stranger_officer)
    assert upload(stranger, served, data) == sha
    assert stranger.get(f"{served.url}/api/photos/{sha}/original").status_code == 404
    # A record of their own that shows it lets them see it, and only then.
    record(stranger, served, team.stranger, sha)
    assert stranger.get(f"{served.url}/api/photos/{sha}/original").content == data


def test_a_record_without_a_certificate_attaches_nothing(team, as_):
    answer = as_(team.officer).post(
        f"/api/users/{team.worker.id}/competences",
        json={
            "module": INTERNAL_AUDIT,
            "title": "Course",
            "completed_on": TODAY.isoformat(),
        },
    )
    assert answer.status_code == 201
    assert db.session.scalar(db.select(db.func.count(Attachment.id))) == 0
