"""POST /api/sync: each report arrives exactly once, each item answered on its own."""

import json
import uuid

import pytest
from sqlalchemy import func, select

from server.events.models import Event
from server.extensions import db
from server.jobs.models import OutboxMessage
from server.reports.models import Report
from tests.factories import make_organization, make_photo_row, make_site, make_user, report_item

SHA_A = "a" * 64
SHA_B = "b" * 64


@pytest.fixture
def world(client, auth):
    """An organization with a site and a signed-in worker."""
    organization = make_organization()
    site = make_site(organization, code="NORTH")
    worker = make_user(organization, role="worker")
    auth.login(worker.email)
    return {"organization": organization, "site": site, "worker": worker}


def push(client, *items):
    response = client.post("/api/sync", json={"reports": list(items)})
    assert response.status_code == 200, response.json
    return response.json["results"]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_new_report_is_created_with_its_event_and_triage_request(client, world):
    item = report_item(world["site"].id)
    [result] = push(client, item)
    assert result == {"id": item["id"], "status": "created", "report_status": "received"}
    report = db.session.scalar(select(Report))
    assert str(report.id) == item["id"]
    assert report.reporter_id == world["worker"].id
    assert report.observed_at.isoformat() == "2026-11-20T08:30:00+00:00"
    assert report.received_at.tzinfo is not None
    assert report.risk_score == 12 and report.risk_band == "high"
    [event] = db.session.scalars(select(Event)).all()
    assert (event.action, event.entity_id, event.actor_id) == (
        "created",
        item["id"],
        world["worker"].id,
    )
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert message.job == "triage_report"
    assert message.payload == {"report_pk": report.pk}
    assert message.sent_at is None


def test_sending_the_same_report_again_changes_nothing(client, world):
    item = report_item(world["site"].id)
    push(client, item)
    for _ in range(3):
        [result] = push(client, item)
        assert result["status"] == "duplicate"
    assert (count(Report), count(Event), count(OutboxMessage)) == (1, 1, 1)


def test_same_id_with_different_content_is_a_conflict_and_overwrites_nothing(client, world):
    item = report_item(world["site"].id)
    push(client, item)
    [result] = push(client, {**item, "description": "Something else entirely"})
    assert result["status"] == "conflict"
    assert db.session.scalar(select(Report.description)) == item["description"]


def test_missing_photos_are_listed_and_the_report_is_kept(client, world):
    make_photo_row(world["organization"], SHA_A)
    photos = [
        {"sha256": SHA_A, "content_type": "image/jpeg", "width": 800, "height": 600},
        {"sha256": SHA_B, "content_type": "image/jpeg", "width": 800, "height": 600},
    ]
    item = report_item(world["site"].id, photos=photos)
    [result] = push(client, item)
    assert result["status"] == "missing_photos"
    assert result["missing_photos"] == [SHA_B]
    assert db.session.scalar(select(Report.status)) == "awaiting_photos"
    [again] = push(client, item)
    assert again["status"] == "missing_photos" and again["missing_photos"] == [SHA_B]
    assert count(Report) == 1


def test_one_bad_item_never_blocks_the_others(client, world):
    good, bad = report_item(world["site"].id), report_item(world["site"].id, kind="rumour")
    results = push(client, bad, good, "not an object")
    assert [r["status"] for r in results] == ["rejected", "created", "rejected"]
    assert results[0]["errors"] == {
        "kind": [
            "Must be one of: hazard, near_miss, "
            "environmental_incident, injury, audit_evidence, "
            "good_practice."
        ]
    }
    assert count(Report) == 1


BAD_ITEMS = {
    "malformed uuid": ({"id": "not-a-uuid"}, "id"),
    "missing kind": ({"kind": None}, "kind"),
    "unknown kind": ({"kind": "gossip"}, "kind"),
    "severity 0": ({"severity": 0}, "severity"),
    "severity 6": ({"severity": 6}, "severity"),
    "likelihood as text": ({"likelihood": "4"}, "likelihood"),
    "latitude 91": ({"location": {"lat": 91, "lon": 0}}, "location"),
    "enormous description": ({"description": "x" * 100_000}, "description"),
    "blank description": ({"description": "   "}, "description"),
    "time without offset": ({"observed_at": "2026-11-20T09:30:00"}, "observed_at"),
    "time in the future": ({"observed_at": "2099-01-01T00:00:00+00:00"}, "observed_at"),
    "bad photo hash": ({"photos": [{"sha256": "xyz", "content_type": "image/jpeg"}]}, "photos"),
    "svg photo": ({"photos": [{"sha256": SHA_A, "content_type": "image/svg+xml"}]}, "photos"),
    "unknown field": ({"priority": "P1"}, "priority"),
}


@pytest.mark.parametrize("change,field", BAD_ITEMS.values(), ids=BAD_ITEMS.keys())
def test_bad_items_are_rejected_with_field_errors(client, world, change, field):
    item = {k: v for k, v in {**report_item(world["site"].id), **change}.items() if v is not None}
    [result] = push(client, item)
    assert result["status"] == "rejected"
    assert field in result["errors"]
    assert count(Report) == 0


def test_missing_fields_are_named(client, world):
    [result] = push(client, {"id": str(uuid.uuid4())})
    assert result["status"] == "rejected"
    assert {"kind", "site_id", "observed_at", "description"} <= set(result["errors"])


def test_a_site_of_another_organization_is_rejected(client, world):
    foreign_site = make_site(make_organization())
    [result] = push(client, report_item(foreign_site.id))
    assert result["status"] == "rejected"
    assert "site_id" in result["errors"]


def test_a_site_outside_the_users_limits_is_rejected(client, auth, world):
    other = make_site(world["organization"], code="SOUTH")
    limited = make_user(world["organization"], sites=[world["site"]])
    auth.login(limited.email)
    [result] = push(client, report_item(other.id))
    assert result["status"] == "rejected"


def test_a_duplicated_id_inside_one_batch_is_saved_once(client, world):
    item = report_item(world["site"].id)
    changed = {**item, "description": "Changed"}
    results = push(client, item, item, changed)
    assert [r["status"] for r in results] == ["created", "duplicate", "conflict"]
    assert count(Report) == 1


def test_an_oversized_batch_is_refused_whole(client, world):
    items = [report_item(world["site"].id) for _ in range(101)]
    response = client.post("/api/sync", json={"reports": items})
    assert response.status_code == 413
    assert "at most 100" in response.json["detail"]
    assert count(Report) == 0


def test_a_body_that_is_not_json_is_400(client, world):
    response = client.post("/api/sync", data="reports=1", content_type="application/json")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


def test_reports_must_be_a_list(client, world):
    response = client.post("/api/sync", json={"reports": "many"})
    assert response.status_code == 422
    assert "reports" in response.json["errors"]


def test_sync_needs_a_session(client):
    assert client.post("/api/sync", json={"reports": []}).status_code == 401


# What a phone can really send that neither database can store as it is.
UNSTORABLE_ITEMS = {
    "lone surrogate": ({"description": "Broken emoji \ud83d here"}, "description"),
    "NUL character": ({"description": "Oil\x00leak"}, "description"),
    "year 1 ahead of UTC": ({"observed_at": "0001-01-01T00:00:00+14:00"}, "observed_at"),
    "year 9999 behind UTC": ({"observed_at": "9999-12-31T23:59:59-14:00"}, "observed_at"),
    "year 1 in UTC": ({"observed_at": "0001-01-01T00:00:00+00:00"}, "observed_at"),
    "site id above 2^63": ({"site_id": 2**63}, "site_id"),
    "severity above 2^64": ({"severity": 2**64}, "severity"),
    "likelihood below -2^63": ({"likelihood": -(2**63) - 1}, "likelihood"),
    "photo width above 2^63": (
        {"photos": [{"sha256": SHA_A, "content_type": "image/jpeg", "width": 2**63}]},
        "photos",
    ),
    "accuracy of 400 digits": (
        {"location": {"lat": 1, "lon": 1, "accuracy_m": 10**400}},
        "location",
    ),
}


@pytest.mark.parametrize("change,field", UNSTORABLE_ITEMS.values(), ids=UNSTORABLE_ITEMS.keys())
def test_an_unstorable_item_is_rejected_and_the_others_are_created(client, world, change, field):
    good, other = report_item(world["site"].id), report_item(world["site"].id)
    bad = {**report_item(world["site"].id), **change}
    body = json.dumps({"reports": [good, bad, other]})
    for _ in range(2):  # the phone sends the same batch again: the same answers
        response = client.post("/api/sync", data=body, content_type="application/json")
        assert response.status_code == 200, response.get_data(as_text=True)
        results = response.json["results"]
        assert [r["status"] for r in results][1] == "rejected"
        assert field in results[1]["errors"]
        assert results[1]["id"] == bad["id"]
    assert [r["status"] for r in results] == ["duplicate", "rejected", "duplicate"]
    assert count(Report) == 2


def test_an_id_taken_by_someone_elses_report_is_a_conflict_that_reveals_nothing(
    client, auth, world
):
    item = report_item(world["site"].id)
    push(client, item)  # the signed-in worker's own report
    auth.login(make_user(world["organization"]).email)  # a colleague, who may not open it
    for sent in (item, {**item, "description": "Something else entirely"}):
        [result] = push(client, sent)
        assert result == {"id": item["id"], "status": "conflict"}
    officer = make_user(world["organization"], role="officer")
    auth.login(officer.email)  # may open it, but did not send it
    [result] = push(client, item)
    assert result == {"id": item["id"], "status": "conflict", "report_status": "received"}
    assert count(Report) == 1


def test_a_resent_report_whose_photos_are_all_held_now_is_completed(client, world):
    item = report_item(world["site"].id, photos=[{"sha256": SHA_A, "content_type": "image/jpeg"}])
    [first] = push(client, item)
    assert first["status"] == "missing_photos"
    make_photo_row(world["organization"], SHA_A)  # held, though nothing completed the report
    [again] = push(client, item)
    assert again == {"id": item["id"], "status": "duplicate", "report_status": "received"}
    db.session.expire_all()
    assert db.session.scalar(select(Report.status)) == "received"
