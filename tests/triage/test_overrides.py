"""An officer's override: any field, with a reason, logged, kept across later runs of the job."""

from datetime import datetime

from sqlalchemy import select

from server.events.models import Event
from server.extensions import db
from tests.factories import make_organization, make_user
from tests.triage.helpers import triage


def triaged(plant, send, **fields) -> dict:
    item = send(plant["worker"], plant["north"], **fields)
    triage(item["id"])
    return item


def patch(client, item, **body):
    return client.patch(f"/api/reports/{item['id']}/triage", json=body)


def test_an_override_survives_a_rerun_and_keeps_the_computed_value(client, auth, plant, send):
    item = triaged(plant, send, description="Oil on the floor by the press", severity=2)
    auth.login(plant["north_officer"].email)
    before = client.get(f"/api/reports/{item['id']}/triage").json
    assert before["priority"] != "P1"

    response = patch(client, item, priority="P1", category="machinery", reason="Press guard too")
    assert response.status_code == 200
    assert (response.json["priority"], response.json["category"]) == ("P1", "machinery")
    assert response.json["computed"]["priority"] == before["priority"]
    assert sorted(response.json["overridden"]) == ["category", "priority"]

    triage(item["id"])
    after = client.get(f"/api/reports/{item['id']}/triage").json
    assert (after["priority"], after["category"]) == ("P1", "machinery")
    assert after["computed"]["priority"] == before["priority"]
    assert after["computed"]["category"] == before["category"]
    assert after["runs"] == 2
    (priority,) = [o for o in after["overrides"] if o["field"] == "priority"]
    assert priority["value"] == "P1" and priority["computed"] == before["priority"]
    assert priority["reason"] == "Press guard too"
    assert priority["by"]["id"] == plant["north_officer"].id


def test_the_override_and_its_reason_are_in_the_event_log(client, auth, plant, send):
    item = triaged(plant, send, description="Trip hazard at the door", severity=2, likelihood=2)
    auth.login(plant["north_officer"].email)
    patch(client, item, severity=5, reason="Door opens onto the loading bay")
    event = db.session.scalar(
        select(Event).where(Event.entity_id == item["id"], Event.action == "triage_overridden")
    )
    assert event.actor_id == plant["north_officer"].id
    assert event.data["reason"] == "Door opens onto the loading bay"
    assert event.data["fields"] == ["severity"]
    assert event.data["before"]["severity"] == 2 and event.data["after"]["severity"] == 5
    # Risk, priority and due date follow the new severity.
    assert event.data["before"]["risk_band"] == "low"
    assert event.data["after"]["risk_band"] == "high"
    assert "priority" in event.data["after"] and "due_at" in event.data["after"]


def test_due_date_follows_an_overridden_priority_unless_set_itself(client, auth, plant, send):
    item = triaged(plant, send, description="Skip overflowing", severity=1, likelihood=2)
    auth.login(plant["admin"].email)
    body = patch(client, item, priority="P1", reason="Council visit tomorrow").json
    received = datetime.fromisoformat(client.get(f"/api/reports/{item['id']}").json["received_at"])
    due = datetime.fromisoformat(body["due_at"])
    assert round((due - received).total_seconds() / 3600) == 24

    body = patch(client, item, due_at="2026-12-24T12:00:00+00:00", reason="Agreed date").json
    assert body["due_at"] == "2026-12-24T12:00:00+00:00"
    triage(item["id"])
    assert client.get(f"/api/reports/{item['id']}/triage").json["due_at"] == body["due_at"]


def test_assignee_and_reportable_can_be_overridden(client, auth, plant, send):
    item = triaged(plant, send, description="Forklift speeding in the yard")
    auth.login(plant["admin"].email)
    body = patch(
        client, item, assignee_id=plant["admin"].id, reportable=True, reason="Taking this on"
    ).json
    assert body["assignee"]["id"] == plant["admin"].id and body["reportable"] is True
    assert body["priority"] == "P1"
    assert body["computed"]["assignee_id"] == plant["north_officer"].id
    unassigned = patch(client, item, assignee_id=None, reason="Back to the pool").json
    assert unassigned["assignee"] is None


def test_an_assignee_must_be_an_officer_covering_the_site(client, auth, plant, send):
    item = triaged(plant, send)
    auth.login(plant["admin"].email)
    for user in (plant["worker"], plant["south_officer"], make_user(make_organization(), "admin")):
        response = patch(client, item, assignee_id=user.id, reason="Try")
        assert response.status_code == 422
        assert "assignee_id" in response.json["errors"]


def test_a_reason_and_a_change_are_required(client, auth, plant, send):
    item = triaged(plant, send)
    auth.login(plant["north_officer"].email)
    assert "reason" in patch(client, item, priority="P2").json["errors"]
    assert "reason" in patch(client, item, priority="P2", reason="   ").json["errors"]
    assert patch(client, item, reason="Nothing to change").status_code == 422
    assert patch(client, item, priority="P9", reason="Bad").status_code == 422
    assert patch(client, item, category="gossip", reason="Bad").status_code == 422


def test_a_worker_cannot_override(client, auth, plant, send):
    item = triaged(plant, send)
    auth.login(plant["worker"].email)
    assert client.get(f"/api/reports/{item['id']}/triage").status_code == 200
    response = patch(client, item, priority="P1", reason="I think it is urgent")
    assert response.status_code == 403


def test_another_organization_gets_404(client, auth, plant, send):
    item = triaged(plant, send)
    outsider = make_user(make_organization(), role="admin")
    auth.login(outsider.email)
    assert client.get(f"/api/reports/{item['id']}/triage").status_code == 404
    assert patch(client, item, priority="P1", reason="Not mine").status_code == 404


def test_an_officer_of_another_site_gets_404(client, auth, plant, send):
    item = triaged(plant, send)
    auth.login(plant["south_officer"].email)
    assert client.get(f"/api/reports/{item['id']}/triage").status_code == 404
    assert patch(client, item, priority="P1", reason="Not my site").status_code == 404


def test_overriding_before_triage_is_404(client, auth, plant, send):
    item = send(plant["worker"], plant["north"])
    auth.login(plant["north_officer"].email)
    response = patch(client, item, priority="P1", reason="Early")
    assert response.status_code == 404 and response.json["detail"] == "Not triaged yet"
