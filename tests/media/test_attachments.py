"""Any record type attaches photos through one service; who may see a photo follows its record."""

import hashlib

import pytest
from sqlalchemy import select

from server.extensions import db
from server.media.attachments import attach, attached_hashes, photo_visible_to
from server.records.registry import _RECORD_TYPES, RecordType, register_record_type
from server.reports.models import Report
from tests.factories import make_organization, make_site, make_stored_report, make_user
from tests.media.images import jpeg


def _whole_organization(actor, stmt):
    """A record type everyone in the organization may open (as a published document is)."""
    return stmt.where(Report.organization_id == actor.organization_id)


@pytest.fixture
def bulletins():
    """A second record type over the report table, open to the whole organization."""
    register_record_type(RecordType("bulletin", Report, _whole_organization))
    yield
    del _RECORD_TYPES["bulletin"]


def status_of(client, url: str) -> int:
    response = client.get(url)
    response.close()
    return response.status_code


def upload(client, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    assert client.put(f"/api/photos/{sha}", data=data, content_type="image/jpeg").status_code == 201
    return sha


def test_a_photo_attached_to_another_record_type_follows_that_types_rule(client, auth, bulletins):
    organization = make_organization()
    site = make_site(organization)
    officer, worker = make_user(organization, role="officer"), make_user(organization)
    auth.login(officer.email)
    sha = upload(client, jpeg())
    record = make_stored_report(site, reporter=officer)
    ref = {"sha256": sha, "content_type": "image/jpeg", "width": 640, "height": 480}

    # Attached to the officer's report, the worker may not see it (workers see their own).
    attach(organization.id, "report", {record.pk: [ref]})
    db.session.commit()
    auth.login(worker.email)
    assert status_of(client, f"/api/photos/{sha}/thumb") == 404

    # Attached as a bulletin, open to the whole organization, the worker may.
    attach(organization.id, "bulletin", {record.pk: [ref]})
    db.session.commit()
    assert status_of(client, f"/api/photos/{sha}/thumb") == 200

    # Another organization's officer may not, whatever they know of the hash.
    auth.login(make_user(make_organization(), role="officer").email)
    assert status_of(client, f"/api/photos/{sha}/thumb") == 404


def test_attachments_keep_their_order_per_record_type(app, bulletins):
    organization = make_organization()
    site = make_site(organization)
    record = make_stored_report(site)
    refs = [{"sha256": c * 64, "content_type": "image/jpeg"} for c in "cab"]
    attach(organization.id, "bulletin", {record.pk: refs})
    attach(organization.id, "report", {record.pk: refs[:1]})
    db.session.commit()

    assert attached_hashes("bulletin", [record.pk]) == {record.pk: ["c" * 64, "a" * 64, "b" * 64]}
    assert attached_hashes("report", [record.pk]) == {record.pk: ["c" * 64]}
    assert [p.sha256 for p in db.session.scalar(select(Report)).photos] == ["c" * 64]


def test_visibility_is_checked_for_the_asking_actor_only(app, bulletins):
    from server.auth.access import Actor

    organization = make_organization()
    record = make_stored_report(make_site(organization))
    attach(
        organization.id,
        "bulletin",
        {record.pk: [{"sha256": "d" * 64, "content_type": "image/png"}]},
    )
    db.session.commit()
    mine = Actor(1, 1, organization.id, "worker", None)
    theirs = Actor(2, 2, make_organization().id, "officer", None)
    assert photo_visible_to(mine, "d" * 64)
    assert not photo_visible_to(theirs, "d" * 64)
    assert not photo_visible_to(mine, "e" * 64)
