"""PATCH /api/reports/{id}/status: officers start work, close with a note, and reopen."""

import json
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from server.events.models import Event
from server.extensions import db
from server.reports.models import Report
from server.reports.schemas import MAX_STATUS_NOTE
from server.sync import services as sync_services
from tests.factories import make_organization, make_site, make_user, report_item
from tests.triage.helpers import triage

CLOSING = "Mopped the oil, fixed the press seal, checked the floor is dry"


@pytest.fixture
def plant(app):
    """An organization with two sites, a worker, an auditor, officers and an admin."""
    organization = make_organization()
    north, south = make_site(organization, "NORTH"), make_site(organization, "SOUTH")
    return {
        "organization": organization,
        "north": north,
        "worker": make_user(organization),
        "auditor": make_user(organization, role="auditor"),
        "officer": make_user(organization, role="officer"),
        "south_officer": make_user(organization, role="officer", sites=[south]),
        "admin": make_user(organization, role="admin"),
    }


@pytest.fixture
def report(client, auth, plant) -> str:
    """The id of a report the worker sent from the north site (received, not triaged)."""
    auth.login(plant["worker"].email)
    item = report_item(plant["north"].id)
    assert client.post("/api/sync", json={"reports": [item]}).json["results"][0]["status"] == (
        "created"
    )
    auth.logout()
    return item["id"]


@pytest.fixture
def as_officer(auth, plant):
    auth.login(plant["officer"].email)


def move(client, report_id: str, status: str, note=None):
    body = {"status": status} if note is None else {"status": status, "note": note}
    return client.patch(f"/api/reports/{report_id}/status", json=body)


def stored_status(report_id: str) -> str:
    db.session.expire_all()
    return db.session.scalar(select(Report.status).where(Report.id == uuid.UUID(report_id)))


def status_events(report_id: str) -> list[Event]:
    return db.session.scalars(
        select(Event).where(Event.entity_id == report_id, Event.action == "status_changed")
    ).all()


def test_an_officer_closes_a_report_with_a_note_that_is_kept_and_shown(
    client, auth, plant, report, as_officer
):
    response = move(client, report, "closed", f"  {CLOSING}  ")
    assert response.status_code == 200
    assert response.json["status"] == "closed"
    assert response.json["status_note"] == CLOSING
    assert response.json["closed_at"]

    auth.login(plant["worker"].email)
    mine = client.get(f"/api/reports/{report}").json
    assert (mine["status"], mine["status_note"]) == ("closed", CLOSING)
    (listed,) = client.get("/api/reports").json["items"]
    assert (listed["status"], listed["status_note"]) == ("closed", CLOSING)
    logged = client.get(f"/api/reports/{report}/events").json[-1]
    assert logged["action"] == "status_changed"
    assert logged["data"] == {"status": "closed", "previous": "received", "note": CLOSING}
    assert logged["actor"]["id"] == plant["officer"].id


def test_start_work_then_close_then_reopen(client, plant, report, as_officer):
    started = move(client, report, "in_progress")
    assert started.status_code == 200
    assert (started.json["status"], started.json["status_note"]) == ("in_progress", None)
    assert move(client, report, "closed", CLOSING).status_code == 200

    reopened = move(client, report, "in_progress", "The leak is back")
    assert reopened.status_code == 200
    assert reopened.json["status_note"] == "The leak is back"
    assert reopened.json["closed_at"] is None
    assert [e.data["status"] for e in status_events(report)] == [
        "in_progress",
        "closed",
        "in_progress",
    ]


def test_reopening_into_the_queue_names_whether_it_was_triaged(client, plant, report, as_officer):
    assert move(client, report, "closed", CLOSING).status_code == 200
    wrong = move(client, report, "triaged")
    assert wrong.status_code == 409
    assert "received" in wrong.json["errors"]["status"][0]
    assert move(client, report, "received").json["status"] == "received"

    triage(report)
    assert move(client, report, "closed", CLOSING).status_code == 200
    assert move(client, report, "received").status_code == 409
    assert move(client, report, "triaged").json["status"] == "triaged"


@pytest.mark.parametrize("role", ["admin", "officer"])
def test_officers_and_admins_may_set_a_status(client, auth, plant, report, role):
    auth.login(plant[role].email)
    assert move(client, report, "in_progress").status_code == 200


@pytest.mark.parametrize("role", ["worker", "auditor"])
def test_workers_and_auditors_may_not(client, auth, plant, report, role):
    auth.login(plant[role].email)
    response = move(client, report, "closed", CLOSING)
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert stored_status(report) == "received"


def test_signed_out_is_401(client, report):
    assert move(client, report, "closed", CLOSING).status_code == 401


def test_a_report_the_caller_may_not_see_is_404(client, auth, plant, report):
    for outsider in (
        make_user(make_organization(), role="admin"),
        plant["south_officer"],
    ):
        auth.login(outsider.email)
        response = move(client, report, "closed", CLOSING)
        assert response.status_code == 404
        assert response.mimetype == "application/problem+json"
    auth.login(plant["officer"].email)
    assert client.get(f"/api/reports/{report}").json["status"] == "received"
    assert move(client, "00000000-0000-4000-8000-000000000000", "in_progress").status_code == 404


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ([], "received"),
        (["in_progress"], "in_progress"),
        (["in_progress"], "triaged"),
        (["closed"], "closed"),
    ],
)
def test_an_illegal_move_is_409_problem_json(client, plant, report, as_officer, path, status):
    for step in path:
        assert move(client, report, step, CLOSING).status_code == 200
    before = client.get(f"/api/reports/{report}").json
    response = move(client, report, status, CLOSING)
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert response.json["type"].endswith("/invalid-transition")
    assert "cannot become" in response.json["detail"]
    assert "status" in response.json["errors"]
    after = client.get(f"/api/reports/{report}").json
    assert (after["status"], after["changed_at"]) == (before["status"], before["changed_at"])
    assert len(status_events(report)) == len(path)


def test_a_report_still_awaiting_photos_cannot_be_moved(client, auth, plant, as_officer):
    auth.login(plant["worker"].email)
    item = report_item(
        plant["north"].id, photos=[{"sha256": "e" * 64, "content_type": "image/jpeg"}]
    )
    client.post("/api/sync", json={"reports": [item]})
    auth.login(plant["officer"].email)
    response = move(client, item["id"], "closed", CLOSING)
    assert response.status_code == 409
    assert "awaiting photos" in response.json["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {"status": "closed"},
        {"status": "closed", "note": None},
        {"status": "closed", "note": ""},
        {"status": "closed", "note": " \n\t "},
        {"status": "closed", "note": "Fixed\u0000"},
        {"status": "closed", "note": "x" * (MAX_STATUS_NOTE + 1)},
        {"status": "closed", "note": 42},
    ],
)
def test_a_bad_or_missing_closing_note_is_a_field_error(client, report, as_officer, body):
    response = client.patch(f"/api/reports/{report}/status", json=body)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert list(response.json["errors"]) == ["note"]
    assert client.get(f"/api/reports/{report}").json["status"] == "received"
    assert status_events(report) == []


def test_a_lone_surrogate_in_the_note_is_a_field_error(client, report, as_officer):
    raw = '{"status": "closed", "note": "Fixed \\ud83d by the night shift"}'
    assert json.loads(raw)["note"]  # valid JSON; Python reads the half emoji as it is
    response = client.patch(
        f"/api/reports/{report}/status", data=raw, content_type="application/json"
    )
    assert response.status_code == 422
    assert "broken character" in response.json["errors"]["note"][0]
    assert status_events(report) == []


@pytest.mark.parametrize(
    "body", [{}, {"status": "rumour"}, {"status": "awaiting_photos"}, {"status": None}]
)
def test_a_status_that_cannot_be_asked_for_is_a_field_error(client, report, as_officer, body):
    response = client.patch(f"/api/reports/{report}/status", json=body)
    assert response.status_code == 422
    assert "status" in response.json["errors"]


def test_a_longest_note_is_kept_whole(client, report, as_officer):
    note = "é" * MAX_STATUS_NOTE
    assert move(client, report, "closed", note).json["status_note"] == note
    db.session.expire_all()
    assert status_events(report)[0].data["note"] == note


def test_each_change_writes_one_event_and_moves_the_feed(client, auth, plant, report, monkeypatch):
    monkeypatch.setattr(sync_services, "CHANGE_SETTLE", timedelta(0))
    auth.login(plant["worker"].email)
    cursor = client.get("/api/sync?since=0").json["cursor"]
    events_before = db.session.scalar(select(func.count(Event.id)))

    auth.login(plant["officer"].email)
    assert move(client, report, "closed", CLOSING).status_code == 200
    assert db.session.scalar(select(func.count(Event.id))) == events_before + 1

    auth.login(plant["worker"].email)
    feed = client.get(f"/api/sync?since={cursor}").json
    assert [(c["id"], c["status"]) for c in feed["changes"]] == [(report, "closed")]
    assert feed["cursor"] > cursor
    assert client.get(f"/api/sync?since={feed['cursor']}").json["changes"] == []


def test_triage_running_again_keeps_the_officers_status(client, plant, report, as_officer):
    triage(report)
    assert move(client, report, "in_progress").status_code == 200
    triage(report)
    assert client.get(f"/api/reports/{report}").json["status"] == "in_progress"
    assert move(client, report, "closed", CLOSING).status_code == 200
    triage(report)
    body = client.get(f"/api/reports/{report}").json
    assert (body["status"], body["status_note"]) == ("closed", CLOSING)


def test_a_report_closed_before_its_triage_ran_stays_closed(client, plant, report, as_officer):
    assert move(client, report, "closed", CLOSING).status_code == 200
    triage(report)
    body = client.get(f"/api/reports/{report}").json
    assert body["status"] == "closed" and body["triage"] is not None


def test_a_closed_report_leaves_the_default_queue_for_the_closed_filter(
    client, plant, report, as_officer
):
    queued = lambda query="": [i["id"] for i in client.get(f"/api/queue{query}").json["items"]]  # noqa: E731
    assert queued() == [report]
    assert move(client, report, "in_progress").status_code == 200
    assert queued() == [report]
    assert move(client, report, "closed", CLOSING).status_code == 200
    assert queued() == []
    assert queued("?status=closed") == [report]
    assert queued("?status=all") == [report]
    assert move(client, report, "in_progress", "Not fixed after all").status_code == 200
    assert queued() == [report] and queued("?status=closed") == []
