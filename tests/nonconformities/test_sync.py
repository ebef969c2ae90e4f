"""Offline action updates through POST /api/sync: each answered on its own, exactly once."""

import threading
import uuid

from sqlalchemy import func, select

from server.events.models import Event
from server.extensions import db
from server.nonconformities.models import Action, Nonconformity
from tests.factories import PASSWORD, make_photo_row, report_item
from tests.nonconformities.conftest import FIVE_WHYS, action_body, nc_body

SHA_A = "a" * 64


def update_item(action: dict, notes: str = "Drip tray fitted", **fields) -> dict:
    """An "actions" sync item, as the phone's outbox sends it."""
    return {
        "id": action["id"],
        "status": "done",
        "notes": notes,
        "photos": [],
        "done_at": "2026-12-01T09:00:00+01:00",
        **fields,
    }


def sync(desk, *items) -> list[dict]:
    response = desk.post("/api/sync", {"actions": list(items)})
    assert response.status_code == 200, response.json
    return response.json["actions"]


def two_actions(desk, plant):
    """An NC at North with two actions of the worker's; (nc, first, second)."""
    desk.as_(plant.officer)
    nc = desk.new_nc(plant.north)
    desk.root_cause(nc)
    return nc, desk.plan(nc, plant.worker), desk.plan(nc, plant.worker)


def events(action_id: str) -> list[str]:
    return list(
        db.session.scalars(
            select(Event.action).where(Event.entity_id == action_id).order_by(Event.id)
        )
    )


def test_an_update_is_taken_once_and_a_resend_is_a_duplicate(desk, plant):
    nc, first, second = two_actions(desk, plant)
    desk.as_(plant.worker)
    assert sync(desk, update_item(first)) == [
        {"id": first["id"], "status": "updated", "action_status": "done"}
    ]
    for _ in range(3):
        [again] = sync(desk, update_item(first))
        assert again == {"id": first["id"], "status": "duplicate", "action_status": "done"}
    assert events(first["id"]) == ["created", "done"]
    assert desk.get(f"/api/actions/{first['id']}").json["notes"] == "Drip tray fitted"


def test_a_different_update_for_a_done_action_is_a_conflict(desk, plant):
    _, first, _ = two_actions(desk, plant)
    desk.as_(plant.worker)
    sync(desk, update_item(first))
    [conflict] = sync(desk, update_item(first, notes="Something else"))
    assert conflict["status"] == "conflict"
    assert "already reported done" in conflict["detail"]
    assert desk.get(f"/api/actions/{first['id']}").json["notes"] == "Drip tray fitted"


def test_an_update_of_an_action_not_mine_is_a_conflict_that_reveals_nothing(desk, plant):
    desk.as_(plant.officer)
    nc = desk.new_nc(plant.north)
    desk.root_cause(nc)
    theirs = desk.plan(nc, plant.other_worker)
    desk.as_(plant.worker)
    unknown = {"id": str(uuid.uuid4())}
    answers = sync(desk, update_item(theirs), update_item(unknown))
    assert [a["status"] for a in answers] == ["conflict", "conflict"]
    assert answers[0]["detail"] == answers[1]["detail"]
    assert events(theirs["id"]) == ["created"]


def test_one_bad_item_never_blocks_the_good_ones(desk, plant):
    nc, first, second = two_actions(desk, plant)
    desk.as_(plant.worker)
    answers = sync(
        desk,
        update_item(first),
        {**update_item(second), "notes": "   "},
        "not an object",
        {**update_item(second), "status": "open"},
        {"id": "not-a-uuid", "status": "done", "notes": "x"},
        update_item(second, notes="Bad \x00 byte"),
        update_item(second, photos=["nothex"]),
        update_item(second),
    )
    assert [a["status"] for a in answers] == ["updated"] + ["rejected"] * 6 + ["updated"]
    assert "notes" in answers[1]["errors"]
    assert answers[2]["id"] is None
    assert "status" in answers[3]["errors"]
    assert answers[4]["id"] == "not-a-uuid" and "id" in answers[4]["errors"]
    assert "notes" in answers[5]["errors"]
    assert "photos" in answers[6]["errors"]
    assert db.session.scalar(select(Nonconformity.status)) == "verifying"


def test_an_update_waits_for_its_photos_and_then_counts_once(desk, plant):
    _, first, _ = two_actions(desk, plant)
    desk.as_(plant.worker)
    item = update_item(first, photos=[{"sha256": SHA_A, "content_type": "image/jpeg"}])
    [waiting] = sync(desk, item)
    assert waiting == {"id": first["id"], "status": "missing_photos", "missing_photos": [SHA_A]}
    assert desk.get(f"/api/actions/{first['id']}").json["status"] == "open"
    make_photo_row(plant.organization, SHA_A)
    [taken] = sync(desk, item)
    assert taken["status"] == "updated"
    [again] = sync(desk, item)
    assert again["status"] == "duplicate"
    assert events(first["id"]) == ["created", "done"]


def test_a_sync_of_a_cancelled_action_is_rejected_saying_why(desk, plant):
    nc, first, _ = two_actions(desk, plant)
    desk.patch(
        f"/api/nonconformities/{nc['id']}", {"status": "cancelled", "cancel_reason": "Duplicate"}
    )
    [answer] = sync(desk.as_(plant.worker), update_item(first))
    assert answer["status"] == "rejected"
    assert "cancelled" in answer["detail"]


def test_actions_travel_beside_reports(desk, plant):
    _, first, _ = two_actions(desk, plant)
    desk.as_(plant.worker)
    report = report_item(plant.north.id)
    response = desk.post("/api/sync", {"reports": [report], "actions": [update_item(first)]})
    assert response.status_code == 200
    assert response.json["reports"][0]["status"] == "created"
    assert response.json["results"] == response.json["reports"]
    assert response.json["actions"][0]["status"] == "updated"


def test_the_last_update_moves_the_nc_to_verifying(desk, plant):
    nc, first, second = two_actions(desk, plant)
    desk.as_(plant.worker)
    sync(desk, update_item(first), update_item(second, done_at="2026-12-01T11:00:00+01:00"))
    view = desk.as_(plant.officer).nc(nc)
    assert view["status"] == "verifying"
    assert view["verify_after"] == max(a["done_at"] for a in view["actions"])


def test_simultaneous_sends_of_one_update_take_it_once(app, plant):
    """Six phones (or retries) send the same update at the same moment."""
    clients = [app.test_client() for _ in range(6)]
    for client in clients:
        client.post("/api/auth/login", json={"email": plant.officer.email, "password": PASSWORD})
    officer = clients[0]
    nc = officer.post("/api/nonconformities", json=nc_body(plant.north)).json
    officer.patch(f"/api/nonconformities/{nc['id']}", json={"root_cause": FIVE_WHYS})
    action = officer.post(
        f"/api/nonconformities/{nc['id']}/actions", json=action_body(plant.officer)
    ).json
    start, answers = threading.Barrier(len(clients)), []

    def send(client):
        start.wait()
        response = client.post("/api/sync", json={"actions": [update_item(action)]})
        answers.append(response.json["actions"][0]["status"])

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == ["duplicate"] * 5 + ["updated"]
    db.session.expire_all()
    assert events(action["id"]) == ["created", "done"]
    assert [e for e in events(nc["id"]) if e == "actions_done"] == ["actions_done"]
    assert db.session.scalar(select(func.count()).select_from(Action)) == 1
