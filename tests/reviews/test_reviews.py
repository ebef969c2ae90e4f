"""Management reviews through the API: the shape of reviews.md, outputs that become tracked
actions (in the owner's My actions, reminders and the phone's sync), holding that freezes the
inputs, the previous review's actions next time, and who may do what."""

import uuid
from datetime import date, datetime, timedelta

import pytest

from server.events.services import events_of
from server.extensions import db
from server.nonconformities.models import Action
from server.reminders.models import Notification
from server.reminders.scan import scan
from tests.reviews.conftest import action_body, at, make_action, make_report, review_body

CONTRACT_KEYS = {
    "id",
    "title",
    "status",
    "period_start",
    "period_end",
    "comparison",
    "sites",
    "previous_review",
    "inputs",
    "outputs",
    "held_on",
}
INPUT_KEYS = {
    "previous_actions",
    "changes",
    "objectives",
    "performance",
    "resources",
    "communications",
    "improvement_opportunities",
}
PERFORMANCE_KEYS = {
    "incidents",
    "nonconformities",
    "actions",
    "monitoring",
    "audits",
    "participation",
}


def held(desk, review_id, held_on: str = "2026-10-08") -> dict:
    """Record attendees and a decision, then hold the review (200)."""
    desk.outputs(
        review_id,
        attendees=["Ingrid Bergström (plant manager)", "Olive Officer"],
        decisions=[{"text": "Fund a second forklift route."}],
    )
    response = desk.hold(review_id, held_on)
    assert response.status_code == 200, response.json
    return response.json


def test_a_new_review_has_the_shape_of_the_contract(desk, plant):
    view = desk.as_(plant.officer).new_review()
    assert set(view) >= CONTRACT_KEYS
    assert set(view["inputs"]) == INPUT_KEYS
    assert set(view["inputs"]["performance"]) == PERFORMANCE_KEYS
    assert view["title"] == "Management review 2026 Q3"
    assert (view["status"], view["held_on"], view["previous_review"]) == ("draft", None, None)
    assert view["comparison"] == {"period_start": "2026-04-01", "period_end": "2026-06-30"}
    assert view["sites"] == [
        {"id": plant.north.id, "name": "North Plant"},
        {"id": plant.south.id, "name": "South Yard"},
    ]
    assert view["outputs"] == {"attendees": [], "decisions": [], "notes": None, "actions": []}
    assert desk.review(view["id"]) == view
    listed = desk.get("/api/reviews").json
    assert [r["id"] for r in listed] == [view["id"]]


def test_titles_follow_the_period(desk, plant):
    desk.as_(plant.officer)
    cases = [
        (("2026-01-01", "2026-12-31"), "Management review 2026"),
        (("2026-08-01", "2026-08-31"), "Management review August 2026"),
        (("2026-07-15", "2026-10-14"), "Management review 2026-07-15 to 2026-10-14"),
    ]
    for (start, end), title in cases:
        view = desk.new_review(period_start=start, period_end=end)
        assert view["title"] == title
    named = desk.new_review(title="  Board review   autumn ")
    assert named["title"] == "Board review autumn"
    listed = [r["title"] for r in desk.get("/api/reviews").json]
    assert listed[:2] == ["Management review 2026", "Management review 2026-07-15 to 2026-10-14"]


def test_a_review_is_idempotent_on_its_id(desk, plant):
    desk.as_(plant.officer)
    body = review_body()
    first = desk.post("/api/reviews", body)
    assert first.status_code == 201
    again = desk.post("/api/reviews", body)
    assert (again.status_code, again.json["id"]) == (200, first.json["id"])
    other = desk.post("/api/reviews", {**body, "period_end": "2026-09-29"})
    assert other.status_code == 409


def test_decided_actions_are_the_owner_s_tracked_actions(desk, plant):
    view = desk.as_(plant.officer).new_review(site_ids=[plant.north.id])
    action = desk.decide(view["id"], plant.north_worker, plant.north)
    assert action["review"] == {"id": view["id"], "title": "Management review 2026 Q3"}
    assert action["nonconformity"] is None
    assert (action["kind"], action["control"]) == ("preventive", "administrative")
    assert [a["id"] for a in desk.review(view["id"])["outputs"]["actions"]] == [action["id"]]
    logged = events_of(plant.organization.id, "review", view["id"])
    assert [event.action for event in logged] == ["created", "action_added"]

    desk.as_(plant.north_worker)
    mine = desk.get("/api/actions", owner="me").json["items"]
    assert [(a["id"], a["review"]["title"]) for a in mine] == [
        (action["id"], "Management review 2026 Q3")
    ]
    feed = [c for c in desk.get("/api/sync", since=0).json["changes"] if c["type"] == "action"]
    assert feed[0]["review"] == {"id": view["id"], "title": "Management review 2026 Q3"}
    done = desk.patch(f"/api/actions/{action['id']}", {"status": "done", "notes": "Quote in"})
    assert done.status_code == 200, done.json
    assert done.json["status"] == "done"
    again = desk.patch(f"/api/actions/{action['id']}", {"status": "done", "notes": "Quote in"})
    assert again.status_code == 200
    outputs = desk.as_(plant.officer).review(view["id"])["outputs"]["actions"]
    assert outputs[0]["status"] == "done"


def test_the_owner_completes_a_review_action_offline_through_sync(desk, plant):
    view = desk.as_(plant.officer).new_review()
    action = desk.decide(view["id"], plant.worker, plant.south, kind="corrective")
    desk.as_(plant.worker)
    item = {"id": action["id"], "status": "done", "notes": "Done on the night shift"}
    answer = desk.post("/api/sync", {"actions": [item]}).json["actions"]
    assert answer == [{"id": action["id"], "status": "updated", "action_status": "done"}]
    resent = desk.post("/api/sync", {"actions": [item]}).json["actions"]
    assert resent[0]["status"] == "duplicate"
    stored = db.session.scalar(db.select(Action).where(Action.id == uuid.UUID(action["id"])))
    assert (stored.status, stored.nonconformity_pk, stored.kind) == ("done", None, "corrective")


def test_the_owner_is_reminded_of_a_review_action_with_the_review_named(desk, plant):
    view = desk.as_(plant.officer).new_review()
    due = (date.today() + timedelta(days=2)).isoformat()
    action = desk.decide(view["id"], plant.worker, plant.south, due_on=due)
    result = scan()
    assert result.reminders >= 1
    [notice] = db.session.scalars(
        db.select(Notification).where(Notification.user_id == plant.worker.id)
    ).all()
    assert notice.record_id == uuid.UUID(action["id"])
    assert notice.nonconformity_id is None
    assert "Management review 2026 Q3" in notice.body
    assert "South Yard" in notice.body


def test_holding_freezes_the_inputs_leadership_saw(desk, plant):
    make_report(plant.north, "injury", at("2026-07-10 09:00"))
    view = desk.as_(plant.officer).new_review()
    refused = desk.hold(view["id"])
    assert refused.status_code == 409
    assert set(refused.json["errors"]) == {"attendees", "decisions"}
    desk.outputs(view["id"], attendees=["Olive Officer"])
    assert set(desk.hold(view["id"]).json["errors"]) == {"decisions"}

    shown = held(desk, view["id"])
    assert (shown["status"], shown["held_on"]) == ("held", "2026-10-08")
    assert shown["inputs"]["performance"]["incidents"]["current"]["injury"] == 1
    make_report(plant.north, "injury", at("2026-07-11 09:00"))
    frozen = desk.review(view["id"])
    assert frozen["inputs"] == shown["inputs"]
    assert frozen["inputs"]["performance"]["incidents"]["current"]["injury"] == 1
    draft = desk.new_review()
    assert draft["inputs"]["performance"]["incidents"]["current"]["injury"] == 2

    assert desk.hold(view["id"]).status_code == 200  # the same day again
    assert desk.hold(view["id"], "2026-10-09").status_code == 409
    assert desk.patch(f"/api/reviews/{view['id']}", {"notes": "Later"}).status_code == 409
    late = desk.post(f"/api/reviews/{view['id']}/actions", action_body(plant.worker, plant.north))
    assert late.status_code == 409


def test_the_next_review_shows_the_previous_review_s_actions_as_they_stand(desk, plant):
    desk.as_(plant.officer)
    q2 = desk.new_review(period_start="2026-04-01", period_end="2026-06-30")
    first = desk.decide(q2["id"], plant.worker, plant.north, title="Barrier in hall 2")
    second = desk.decide(q2["id"], plant.worker, plant.south, title="Retrain the night shift")
    held(desk, q2["id"], "2026-07-10")
    desk.as_(plant.worker).patch(
        f"/api/actions/{first['id']}", {"status": "done", "notes": "Barrier fitted"}
    )

    q3 = desk.as_(plant.officer).new_review()
    assert q3["previous_review"] == {
        "id": q2["id"],
        "title": "Management review 2026 Q2",
        "held_on": "2026-07-10",
    }
    previous = {a["title"]: a for a in q3["inputs"]["previous_actions"]}
    assert set(previous) == {"Barrier in hall 2", "Retrain the night shift"}
    assert previous["Barrier in hall 2"]["status"] == "done"
    assert previous["Barrier in hall 2"]["on_time"] is True
    assert previous["Barrier in hall 2"]["owner"] == {"id": plant.worker.id, "name": "Wendy Worker"}
    assert (
        previous["Retrain the night shift"]["status"],
        previous["Retrain the night shift"]["on_time"],
    ) == ("open", None)
    north_only = desk.new_review(site_ids=[plant.north.id])
    assert [a["id"] for a in north_only["inputs"]["previous_actions"]] == [first["id"]]
    assert previous["Retrain the night shift"]["id"] == second["id"]
    # The earlier review has no previous review of its own.
    assert desk.review(q2["id"])["previous_review"] is None


def test_outputs_are_recorded_while_a_draft(desk, plant):
    view = desk.as_(plant.officer).new_review()
    changed = desk.outputs(
        view["id"],
        attendees=["Ingrid Bergström", "Zofia Łukasiewicz"],
        decisions=[{"text": "Audit South every quarter."}, {"text": "Budget the route."}],
        notes="Finance to confirm.",
    )
    assert changed["outputs"]["attendees"] == ["Ingrid Bergström", "Zofia Łukasiewicz"]
    assert [d["text"] for d in changed["outputs"]["decisions"]] == [
        "Audit South every quarter.",
        "Budget the route.",
    ]
    assert changed["outputs"]["notes"] == "Finance to confirm."
    logged = events_of(plant.organization.id, "review", view["id"])
    assert logged[-1].action == "changed"


def test_who_may_open_and_change_reviews(desk, plant):
    desk.as_(plant.officer)
    whole = desk.new_review()
    south = desk.new_review(site_ids=[plant.south.id])

    desk.as_(plant.worker)
    assert desk.get("/api/reviews").status_code == 403
    assert desk.post("/api/reviews", review_body()).status_code == 403
    assert desk.get(f"/api/reviews/{whole['id']}").status_code == 403

    desk.as_(plant.north_officer)
    assert desk.get("/api/reviews").json == []
    for review in (whole, south):
        assert desk.get(f"/api/reviews/{review['id']}").status_code == 404
        assert desk.patch(f"/api/reviews/{review['id']}", {"notes": "x"}).status_code == 404
        assert desk.hold(review["id"]).status_code == 404
    refused = desk.post("/api/reviews", review_body(site_ids=[plant.north.id, plant.south.id]))
    assert refused.status_code == 422
    assert "site_ids" in refused.json["errors"]
    mine = desk.new_review()  # no sites named: an officer of North reviews North
    assert mine["sites"] == [{"id": plant.north.id, "name": "North Plant"}]
    wrong_site = desk.post(
        f"/api/reviews/{mine['id']}/actions", action_body(plant.worker, plant.south)
    )
    assert wrong_site.status_code == 422
    assert "site_id" in wrong_site.json["errors"]
    assert [r["id"] for r in desk.get("/api/reviews").json] == [mine["id"]]

    desk.as_(plant.other_officer)
    assert desk.get("/api/reviews").json == []
    assert desk.get(f"/api/reviews/{whole['id']}").status_code == 404
    other_site = desk.post("/api/reviews", review_body(site_ids=[plant.north.id]))
    assert other_site.status_code == 422
    assert (
        desk.post(
            f"/api/reviews/{whole['id']}/actions", action_body(plant.other_worker, plant.other_site)
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"period_end": "2026-06-30"}, "period_end"),
        ({"period_start": "0001-07-01"}, "period_start"),
        ({"period_end": "2029-09-30"}, "period_end"),
        ({"title": "Q3\u0000review"}, "title"),
        ({"title": "Q3 review \udc00"}, "title"),
        ({"site_ids": [2**63]}, "site_ids"),
        ({"site_ids": [999_999]}, "site_ids"),
        ({"site_ids": [1, 1]}, "site_ids"),
        ({"id": "nope"}, "id"),
    ],
)
def test_bad_review_input_names_its_field(desk, plant, fields, field):
    desk.as_(plant.officer)
    response = desk.post("/api/reviews", review_body(**fields))
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"attendees": ["Ingrid\u0000"]}, "attendees"),
        ({"attendees": ["  "]}, "attendees"),
        ({"decisions": [{"text": "Half \ud83d"}]}, "decisions"),
        ({"decisions": ["Just text"]}, "decisions"),
        ({"notes": "\u0007bell"}, "notes"),
        ({}, "_schema"),
    ],
)
def test_bad_outputs_name_their_field(desk, plant, fields, field):
    view = desk.as_(plant.officer).new_review()
    response = desk.patch(f"/api/reviews/{view['id']}", fields)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]


def _days_ago() -> str:
    return (date.today() - timedelta(days=2)).isoformat()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"owner_id": 999_999}, "owner_id"),
        ({"owner_id": 2**63}, "owner_id"),
        ({"site_id": 2**63}, "site_id"),
        ({"due_on": "0001-01-01"}, "due_on"),
        ({"due_on": "yesterday"}, "due_on"),
        ({"title": "Fix\u0000it"}, "title"),
        ({"kind": "magic"}, "kind"),
        ({"control": "hope"}, "control"),
    ],
)
def test_bad_review_actions_name_their_field(desk, plant, fields, field):
    view = desk.as_(plant.officer).new_review()
    body = action_body(plant.worker, plant.north, **fields)
    response = desk.post(f"/api/reviews/{view['id']}/actions", body)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]


def test_review_actions_refuse_owners_elsewhere_and_days_gone(desk, plant):
    view = desk.as_(plant.officer).new_review()
    url = f"/api/reviews/{view['id']}/actions"
    for owner, site in (
        (plant.other_worker, plant.north),  # another organization's person
        (plant.north_worker, plant.south),  # someone who does not cover the site
    ):
        refused = desk.post(url, action_body(owner, site))
        assert refused.status_code == 422
        assert "owner_id" in refused.json["errors"]
    past = desk.post(url, action_body(plant.worker, plant.north, due_on=_days_ago()))
    assert "due_on" in past.json["errors"]
    body = action_body(plant.worker, plant.north)
    assert desk.post(url, body).status_code == 201
    assert desk.post(url, body).status_code == 200
    assert desk.post(url, {**body, "title": "Something else"}).status_code == 409
    other = desk.new_review(period_start="2026-04-01", period_end="2026-06-30")
    assert desk.post(f"/api/reviews/{other['id']}/actions", body).status_code == 409
    nc_action = make_action(plant.north, date(2026, 12, 30), owner=plant.worker)
    taken = desk.post(url, {**body, "id": str(nc_action.id)})
    assert taken.status_code == 409


@pytest.mark.parametrize(
    ("held_on", "status"),
    [("2026-06-30", 422), ("0001-01-01", 422), ("2999-01-01", 422), ("not a day", 422)],
)
def test_bad_hold_days_are_refused(desk, plant, held_on, status):
    view = desk.as_(plant.officer).new_review()
    desk.outputs(view["id"], attendees=["A"], decisions=[{"text": "B"}])
    response = desk.hold(view["id"], held_on)
    assert response.status_code == status, response.json
    assert "held_on" in response.json["errors"]


def test_an_unknown_review_is_404(desk, plant):
    desk.as_(plant.officer)
    assert desk.get(f"/api/reviews/{uuid.uuid4()}").status_code == 404
    assert desk.hold(uuid.uuid4()).status_code == 404


def test_the_whole_period_is_read_at_each_site_s_clock(desk, plant):
    # 23:30 UTC on 30 September is already 1 October in London: outside North's Q3.
    make_report(plant.north, "hazard", datetime.fromisoformat("2026-09-30T23:30:00+00:00"))
    make_report(plant.south, "hazard", datetime.fromisoformat("2026-09-30T23:30:00+00:00"))
    view = desk.as_(plant.officer).new_review()
    assert view["inputs"]["performance"]["incidents"]["current"]["hazard"] == 1
