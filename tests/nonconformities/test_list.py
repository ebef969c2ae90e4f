"""The NC list (newest first, filtered, paged) and one NC's event log."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from server.extensions import db
from server.nonconformities.models import Action


def test_the_list_is_newest_first_and_pages_by_cursor(desk, plant):
    desk.as_(plant.officer)
    made = [desk.new_nc(plant.north, title=f"NC {n}")["id"] for n in range(5)]
    first = desk.get("/api/nonconformities", limit=3).json
    assert [n["id"] for n in first["items"]] == made[::-1][:3]
    second = desk.get("/api/nonconformities", limit=3, cursor=first["next_cursor"]).json
    assert [n["id"] for n in second["items"]] == made[::-1][3:]
    assert second["next_cursor"] is None
    bad = desk.get("/api/nonconformities", cursor="abc")
    assert bad.status_code == 422


def test_the_list_filters_by_status_site_severity_and_overdue(desk, plant):
    desk.as_(plant.officer)
    north = desk.new_nc(plant.north, severity="major")
    south = desk.new_nc(plant.south)
    desk.root_cause(north)
    action = desk.plan(north, plant.worker)

    def ids(**query):
        response = desk.get("/api/nonconformities", **query)
        assert response.status_code == 200, response.json
        return [n["id"] for n in response.json["items"]]

    assert ids(status="actions") == [north["id"]]
    assert ids(status="open") == [south["id"]]
    assert ids(site_id=plant.south.id) == [south["id"]]
    assert ids(severity="major") == [north["id"]]
    assert ids(overdue="true") == []
    db.session.execute(
        update(Action)
        .where(Action.id == uuid.UUID(action["id"]))
        .values(due_on=datetime.now(UTC).date() - timedelta(days=1))
    )
    db.session.commit()
    assert ids(overdue="true") == [north["id"]]
    assert ids(overdue="false") == [south["id"]]


def test_a_list_item_carries_what_the_desk_shows(desk, plant):
    desk.as_(plant.officer)
    nc = desk.new_nc(plant.north, clause="8.1.2")
    desk.root_cause(nc)
    action = desk.plan(nc, plant.worker)
    desk.plan(nc, plant.other_worker, due_on=(datetime.now(UTC).date() + timedelta(30)).isoformat())
    [item] = desk.get("/api/nonconformities").json["items"]
    assert item == {
        **item,
        "id": nc["id"],
        "status": "actions",
        "site": {"id": plant.north.id, "name": "North Plant", "code": "NORTH"},
        "severity": "minor",
        "open_actions": 2,
        "overdue_actions": 0,
        "overdue": False,
        "next_due_on": action["due_on"],
        "repeat": False,
        "report_id": None,
    }
    assert sorted(o["id"] for o in item["owners"]) == sorted(
        [plant.worker.id, plant.other_worker.id]
    )


def test_the_event_log_holds_the_ncs_changes_and_its_actions(desk, plant):
    desk.as_(plant.officer)
    nc = desk.new_nc(plant.north)
    desk.root_cause(nc)
    action = desk.plan(nc, plant.worker)
    desk.done(action)
    log = desk.get(f"/api/nonconformities/{nc['id']}/events").json
    assert [(e["record_type"], e["action"]) for e in log] == [
        ("nonconformity", "created"),
        ("nonconformity", "root_cause_recorded"),
        ("action", "created"),
        ("nonconformity", "action_planned"),
        ("action", "done"),
        ("nonconformity", "actions_done"),
    ]
    assert log[0]["actor"] == {"id": plant.officer.id, "name": plant.officer.name}
    assert log[2]["record_id"] == action["id"]
    assert log[1]["data"]["root_cause"]["method"] == "5whys"
