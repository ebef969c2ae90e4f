"""Photos arriving after their report complete it; photo files go only to those who may see it."""

import hashlib

from sqlalchemy import func, select

from server.events.models import Event
from server.extensions import db
from server.jobs.models import OutboxMessage
from server.media.attachments import attach
from server.reports.models import Report
from tests.factories import (
    make_organization,
    make_site,
    make_stored_report,
    make_user,
    report_item,
)
from tests.media.images import jpeg


def upload(client, data: bytes):
    sha = hashlib.sha256(data).hexdigest()
    return client.put(f"/api/photos/{sha}", data=data, content_type="image/jpeg"), sha


def test_the_last_photo_completes_the_report_and_asks_for_triage_again(client, auth):
    organization = make_organization()
    site = make_site(organization)
    auth.login(make_user(organization).email)
    first, second = jpeg(), jpeg(size=(640, 480))
    refs = [
        {"sha256": hashlib.sha256(d).hexdigest(), "content_type": "image/jpeg"}
        for d in (first, second)
    ]
    item = report_item(site.id, photos=refs)
    [result] = client.post("/api/sync", json={"reports": [item]}).json["results"]
    assert result["status"] == "missing_photos" and len(result["missing_photos"]) == 2

    upload(client, first)
    assert db.session.scalar(select(Report.status)) == "awaiting_photos"
    response, _ = upload(client, second)
    assert response.status_code == 201
    db.session.expire_all()
    assert db.session.scalar(select(Report.status)) == "received"
    assert db.session.scalar(select(Event.action).order_by(Event.id.desc())) == "photos_completed"
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2
    [again] = client.post("/api/sync", json={"reports": [item]}).json["results"]
    assert again["status"] == "duplicate"


def test_photo_files_follow_report_visibility(client, auth, app):
    organization = make_organization()
    site = make_site(organization)
    reporter, colleague = make_user(organization), make_user(organization)
    officer = make_user(organization, role="officer")
    outsider = make_user(make_organization(), role="admin")
    auth.login(reporter.email)
    data = jpeg()
    _, sha = upload(client, data)
    client.post(
        "/api/sync",
        json={
            "reports": [
                report_item(site.id, photos=[{"sha256": sha, "content_type": "image/jpeg"}])
            ]
        },
    )

    for user, expected in ((reporter, 200), (officer, 200), (colleague, 404), (outsider, 404)):
        auth.login(user.email)
        with client.get(f"/api/photos/{sha}/thumb") as response:
            assert response.status_code == expected, user.email
    auth.login(officer.email)
    with client.get(f"/api/photos/{sha}/original") as original:
        assert hashlib.sha256(original.data).hexdigest() == sha
        assert original.headers["Content-Disposition"].startswith("attachment")
        assert original.headers["X-Content-Type-Options"] == "nosniff"
    with client.get(f"/api/photos/{sha}/display") as display:
        assert display.mimetype == "image/jpeg"


def _status(client, sha: str, variant: str) -> int:
    with client.get(f"/api/photos/{sha}/{variant}") as response:
        return response.status_code


def test_a_hash_alone_shows_no_photo(client, auth):
    owner_organization = make_organization()
    owner_site = make_site(owner_organization)
    owner = make_user(owner_organization)
    auth.login(owner.email)
    data = jpeg()
    _, sha = upload(client, data)
    # Uploaded, but no report shows it yet: not even its uploader downloads it by hash.
    assert _status(client, sha, "original") == 404
    ref = {"sha256": sha, "content_type": "image/jpeg"}
    client.post("/api/sync", json={"reports": [report_item(owner_site.id, photos=[ref])]})
    assert _status(client, sha, "original") == 200

    # Another organization's report names the hash, but that organization never sent the bytes.
    other = make_organization()
    officer = make_user(other, role="officer")
    report = make_stored_report(make_site(other))
    attach(other.id, "report", {report.pk: [ref]})
    db.session.commit()
    auth.login(officer.email)
    assert [_status(client, sha, v) for v in ("original", "display", "thumb")] == [404] * 3

    # Once it uploads the very bytes itself, its report shows them (stored once for both).
    response, _ = upload(client, data)
    assert response.status_code == 201
    assert [_status(client, sha, v) for v in ("original", "display", "thumb")] == [200] * 3
