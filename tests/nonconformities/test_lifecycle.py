"""An NC's life: open -> analysed -> actions -> verifying -> closed (or cancelled), every move
legal and illegal, each change one event."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from server.events.models import Event
from server.exceptions import InvalidTransition
from server.extensions import db
from server.nonconformities.models import NC_STATES, Action, Nonconformity
from tests.nonconformities.conftest import FIVE_WHYS, action_body, days_ago


def events_of(record_id: str) -> list[str]:
    return list(
        db.session.scalars(
            select(Event.action).where(Event.entity_id == record_id).order_by(Event.id)
        )
    )


def test_the_whole_loop_closes_an_nc_only_through_an_effective_check(desk, plant):
    desk.as_(plant.officer)
    nc = desk.new_nc(plant.north)
    assert (nc["status"], nc["root_cause"], nc["verification"]) == ("open", None, None)
    analysed = desk.root_cause(nc)
    assert analysed["status"] == "analysed"
    assert analysed["root_cause"]["statement"] == FIVE_WHYS["statement"]
    assert analysed["root_cause"]["recorded_by"]["id"] == plant.officer.id
    action = desk.plan(nc, plant.worker)
    assert desk.nc(nc)["status"] == "actions"
    assert desk.as_(plant.worker).done(action).status_code == 200
    verifying = desk.as_(plant.officer).nc(nc)
    assert verifying["status"] == "verifying"
    assert verifying["verify_after"] == verifying["actions"][0]["done_at"]
    closed = desk.verify(nc, effective=True)
    assert closed.status_code == 200, closed.json
    assert closed.json["status"] == "closed" and closed.json["closed_at"]
    assert closed.json["verification"]["effective"] is True
    assert closed.json["verification"]["checks"] == 1
    assert events_of(nc["id"]) == [
        "created",
        "root_cause_recorded",
        "action_planned",
        "actions_done",
        "verified",
    ]
    assert events_of(action["id"]) == ["created", "done"]


def test_each_change_moves_the_nc_forward_in_the_feed(desk, plant):
    desk.as_(plant.officer)
    nc = desk.new_nc(plant.north)
    row = db.session.scalar(select(Nonconformity).where(Nonconformity.title == nc["title"]))
    first = row.change_id
    desk.root_cause(nc)
    db.session.expire_all()
    assert row.change_id > first
    assert row.change_id == db.session.scalar(select(func.max(Event.id)))


def test_not_effective_sends_it_back_to_actions_with_the_finding_kept(desk, plant):
    desk.as_(plant.officer)
    nc = desk.new_nc(plant.north)
    desk.root_cause(nc)
    desk.done(desk.plan(nc, plant.officer))
    back = desk.verify(nc, effective=False, notes="Oil on the floor again after a week")
    assert back.status_code == 200, back.json
    assert back.json["status"] == "actions"
    assert back.json["verify_after"] is None
    assert back.json["verification"] == {
        **back.json["verification"],
        "effective": False,
        "notes": "Oil on the floor again after a week",
        "checks": 1,
    }
    # Nothing is open, but the check said the fix did not work: a further action comes first.
    again = desk.verify(nc, effective=True)
    assert again.status_code == 409
    assert "plan a further action" in again.json["detail"]
    desk.done(desk.plan(nc, plant.officer, title="Replace the press seal design"))
    closed = desk.verify(nc, effective=True)
    assert closed.json["status"] == "closed"
    assert closed.json["checks"] == 2


def test_a_corrective_action_before_the_root_cause_is_refused(desk, plant):
    desk.as_(plant.officer)
    nc = desk.new_nc(plant.north)
    response = desk.post(
        f"/api/nonconformities/{nc['id']}/actions",
        {**action_body(plant.worker), "kind": "corrective"},
    )
    assert response.status_code == 409
    assert response.json["type"] == "/api/problems/invalid-transition"
    assert "root cause first" in response.json["detail"]
    assert db.session.scalar(select(func.count()).select_from(Action)) == 0


def test_a_correction_may_come_first_and_moves_nothing(desk, plant):
    desk.as_(plant.officer)
    nc = desk.new_nc(plant.north)
    correction = desk.plan(nc, plant.worker, kind="correction", control="administrative")
    assert desk.nc(nc)["status"] == "open"
    assert desk.done(correction).status_code == 200
    assert desk.nc(nc)["status"] == "open"
    desk.root_cause(nc)
    desk.plan(nc, plant.worker, kind="correction")
    assert desk.nc(nc)["status"] == "analysed"
    desk.plan(nc, plant.worker, kind="preventive")
    assert desk.nc(nc)["status"] == "actions"


def test_the_nc_waits_in_actions_until_its_last_action_is_done(desk, plant):
    desk.as_(plant.officer)
    nc = desk.new_nc(plant.north)
    desk.root_cause(nc)
    first, second = desk.plan(nc, plant.officer), desk.plan(nc, plant.officer)
    desk.done(first)
    assert desk.nc(nc)["status"] == "actions"
    desk.done(second)
    assert desk.nc(nc)["status"] == "verifying"


def test_a_new_action_while_verifying_sends_it_back_to_actions(desk, plant):
    desk.as_(plant.officer)
    nc = desk.new_nc(plant.north)
    desk.root_cause(nc)
    desk.done(desk.plan(nc, plant.officer))
    assert desk.nc(nc)["status"] == "verifying"
    desk.plan(nc, plant.officer, kind="correction")
    back = desk.nc(nc)
    assert (back["status"], back["verify_after"]) == ("actions", None)
    assert desk.verify(nc).status_code == 409


def test_the_root_cause_can_be_revised_without_moving_the_status(desk, plant):
    desk.as_(plant.officer)
    nc = desk.new_nc(plant.north)
    desk.root_cause(nc)
    desk.plan(nc, plant.officer)
    revised = desk.root_cause(nc, {**FIVE_WHYS, "statement": "Seals bought without a spec."})
    assert revised["status"] == "actions"
    assert revised["root_cause"]["statement"] == "Seals bought without a spec."


def test_cancelling_needs_a_reason_and_cancels_the_open_actions(desk, plant):
    desk.as_(plant.officer)
    nc = desk.new_nc(plant.north)
    desk.root_cause(nc)
    action = desk.plan(nc, plant.worker)
    url = f"/api/nonconformities/{nc['id']}"
    no_reason = desk.patch(url, {"status": "cancelled"})
    assert no_reason.status_code == 422
    assert "cancel_reason" in no_reason.json["errors"]
    cancelled = desk.patch(url, {"status": "cancelled", "cancel_reason": "Raised twice"})
    assert cancelled.status_code == 200
    assert (cancelled.json["status"], cancelled.json["cancel_reason"]) == (
        "cancelled",
        "Raised twice",
    )
    assert cancelled.json["actions"][0]["status"] == "cancelled"
    refused = desk.as_(plant.worker).done(action)
    assert refused.status_code == 409
    assert "cancelled" in refused.json["detail"]


@pytest.mark.parametrize("ending", ["closed", "cancelled"])
def test_a_closed_or_cancelled_nc_takes_no_change(desk, plant, ending):
    desk.as_(plant.officer)
    nc = desk.new_nc(plant.north)
    url = f"/api/nonconformities/{nc['id']}"
    if ending == "closed":
        desk.root_cause(nc)
        desk.done(desk.plan(nc, plant.officer))
        assert desk.verify(nc).status_code == 200
    else:
        desk.patch(url, {"status": "cancelled", "cancel_reason": "Not an NC after all"})
    for response in (
        desk.patch(url, {"containment": "Area roped off"}),
        desk.patch(url, {"status": "cancelled", "cancel_reason": "again"}),
        desk.post(f"{url}/actions", action_body(plant.officer)),
        desk.verify(nc),
    ):
        assert response.status_code == 409, response.json
        assert ending in response.json["detail"]
    assert desk.nc(nc)["status"] == ending


def test_only_cancelled_may_be_set_by_hand(desk, plant):
    desk.as_(plant.officer)
    nc = desk.new_nc(plant.north)
    for status in ("closed", "analysed", "verifying", "open"):
        response = desk.patch(f"/api/nonconformities/{nc['id']}", {"status": status})
        assert response.status_code == 422
        assert "status" in response.json["errors"]


def test_an_empty_patch_is_refused(desk, plant):
    desk.as_(plant.officer)
    nc = desk.new_nc(plant.north)
    response = desk.patch(f"/api/nonconformities/{nc['id']}", {})
    assert response.status_code == 422


def test_containment_and_the_reason_for_weak_controls_are_kept(desk, plant):
    desk.as_(plant.officer)
    nc = desk.new_nc(plant.north)
    changed = desk.patch(
        f"/api/nonconformities/{nc['id']}",
        {"containment": " Area roped off, oil soaked up ", "weak_controls_reason": "Rented press"},
    )
    assert changed.status_code == 200
    assert changed.json["containment"] == "Area roped off, oil soaked up"
    assert changed.json["weak_controls_reason"] == "Rented press"
    assert changed.json["status"] == "open"
    assert events_of(nc["id"])[-1] == "updated"


ALL_MOVES = [(a, b) for a in NC_STATES.states for b in NC_STATES.states]
LEGAL = {
    ("open", "analysed"),
    ("open", "cancelled"),
    ("analysed", "actions"),
    ("analysed", "cancelled"),
    ("actions", "verifying"),
    ("actions", "cancelled"),
    ("verifying", "closed"),
    ("verifying", "actions"),
    ("verifying", "cancelled"),
}


@pytest.mark.parametrize(("state", "target"), ALL_MOVES)
def test_the_state_machine_allows_exactly_the_moves_of_the_contract(state, target):
    if (state, target) in LEGAL:
        NC_STATES.check(state, target)
    else:
        with pytest.raises(InvalidTransition) as refused:
            NC_STATES.check(state, target)
        assert f"cannot become {target}" in refused.value.detail


def test_closing_is_reached_only_from_verifying():
    assert [s for s in NC_STATES.states if NC_STATES.may_move(s, "closed")] == ["verifying"]


def test_the_check_waits_until_verify_after(app, desk, plant):
    app.config["VERIFY_WAIT_DAYS"] = 30
    desk.as_(plant.officer)
    nc = desk.new_nc(plant.north)
    desk.root_cause(nc)
    desk.done(desk.plan(nc, plant.officer))
    view = desk.nc(nc)
    expected = datetime.fromisoformat(view["actions"][0]["done_at"]) + timedelta(days=30)
    assert datetime.fromisoformat(view["verify_after"]) == expected
    early = desk.verify(nc)
    assert early.status_code == 409
    assert "allowed from" in early.json["detail"]
    assert early.json["errors"]["verify_after"] == [expected.isoformat()]
    assert desk.nc(nc)["status"] == "verifying"
    # Thirty days later (the clock moved by moving verify_after back).
    db.session.execute(update(Nonconformity).values(verify_after=days_ago(1)))
    db.session.commit()
    assert desk.verify(nc).json["status"] == "closed"
