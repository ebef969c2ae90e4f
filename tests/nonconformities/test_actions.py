"""Actions: owners, due days, My actions (overdue first), done with notes and photo evidence."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from server import config
from server.auth.models import User
from server.events.models import Event
from server.extensions import db
from server.media.models import Attachment
from server.nonconformities.models import Action
from tests.factories import make_organization, make_photo_row, make_user
from tests.media.images import jpeg, sha256
from tests.nonconformities.conftest import action_body

SHA_A, SHA_B = "a" * 64, "b" * 64


def today():
    return datetime.now(UTC).date()


def planned(desk, plant, owner=None, site=None, **fields):
    """An NC with its root cause and one action; (nc, action)."""
    desk.as_(plant.officer)
    nc = desk.new_nc(site or plant.north)
    desk.root_cause(nc)
    return nc, desk.plan(nc, owner or plant.worker, **fields)


def test_an_action_has_the_fields_of_the_contract(desk, plant):
    nc, action = planned(desk, plant, control="substitution")
    assert action == {
        **action,
        "nonconformity": {"id": nc["id"], "title": nc["title"]},
        "kind": "corrective",
        "control": "substitution",
        "owner": {"id": plant.worker.id, "name": plant.worker.name},
        "status": "open",
        "overdue": False,
        "notes": None,
        "done_at": None,
        "photos": [],
    }


def test_the_same_action_sent_again_is_the_same_action(desk, plant):
    nc, action = planned(desk, plant)
    body = action_body(plant.worker, id=action["id"], due_on=action["due_on"])
    again = desk.post(f"/api/nonconformities/{nc['id']}/actions", body)
    assert again.status_code == 200 and again.json["id"] == action["id"]
    other = desk.post(f"/api/nonconformities/{nc['id']}/actions", {**body, "control": "ppe"})
    assert other.status_code == 409
    assert db.session.scalar(select(func.count()).select_from(Action)) == 1


def test_the_owner_must_be_an_active_member_who_covers_the_site(desk, plant):
    desk.as_(plant.officer)
    nc = desk.new_nc(plant.north)
    stranger = make_user(make_organization())
    gone = make_user(plant.organization)
    db.session.execute(update(User).where(User.id == gone.id).values(active=False))
    db.session.commit()
    for owner in (plant.south_worker, stranger, gone):
        response = desk.post(
            f"/api/nonconformities/{nc['id']}/actions",
            action_body(owner, kind="correction"),
        )
        assert response.status_code == 422
        assert "owner_id" in response.json["errors"]
    missing = desk.post(
        f"/api/nonconformities/{nc['id']}/actions",
        {**action_body(plant.worker, kind="correction"), "owner_id": 2**31 - 1},
    )
    assert missing.status_code == 422


def test_a_due_day_already_past_is_refused(desk, plant):
    desk.as_(plant.officer)
    nc = desk.new_nc(plant.north)
    yesterday = (today() - timedelta(days=1)).isoformat()
    response = desk.post(
        f"/api/nonconformities/{nc['id']}/actions",
        action_body(plant.worker, kind="correction", due_on=yesterday),
    )
    assert response.status_code == 422
    assert "due_on" in response.json["errors"]


def overdue(action_id: str, days: int = 3) -> None:
    """Make an action due some days ago (as if time passed)."""
    db.session.execute(
        update(Action)
        .where(Action.id == uuid.UUID(action_id))
        .values(due_on=today() - timedelta(days=days))
    )
    db.session.commit()


def test_my_actions_come_overdue_first_then_by_due_day(desk, plant):
    nc, later = planned(desk, plant, due_on=(today() + timedelta(days=20)).isoformat())
    soon = desk.plan(nc, plant.worker, due_on=(today() + timedelta(days=2)).isoformat())
    late = desk.plan(nc, plant.worker, due_on=(today() + timedelta(days=9)).isoformat())
    desk.plan(nc, plant.other_worker)
    overdue(late["id"])
    mine = desk.as_(plant.worker).get("/api/actions", owner="me", status="open")
    assert mine.status_code == 200
    assert [a["id"] for a in mine.json["items"]] == [late["id"], soon["id"], later["id"]]
    assert [a["overdue"] for a in mine.json["items"]] == [True, False, False]
    only_late = desk.get("/api/actions", owner="me", overdue="true").json["items"]
    assert [a["id"] for a in only_late] == [late["id"]]


def test_a_worker_sees_only_their_own_actions(desk, plant):
    nc, mine = planned(desk, plant)
    theirs = desk.plan(nc, plant.other_worker)
    listed = desk.as_(plant.worker).get("/api/actions").json["items"]
    assert [a["id"] for a in listed] == [mine["id"]]
    assert desk.get(f"/api/actions/{mine['id']}").status_code == 200
    assert desk.get(f"/api/actions/{theirs['id']}").status_code == 404
    assert desk.done(theirs).status_code == 404
    # The NC itself is the officers' business.
    assert desk.get(f"/api/nonconformities/{nc['id']}").status_code == 403


def test_officers_see_every_action_of_their_sites(desk, plant):
    nc, north_action = planned(desk, plant)
    _, south_action = planned(desk, plant, owner=plant.south_worker, site=plant.south)
    everyone = desk.as_(plant.officer).get("/api/actions").json["items"]
    assert {a["id"] for a in everyone} == {north_action["id"], south_action["id"]}
    north = desk.as_(plant.north_officer).get("/api/actions").json["items"]
    assert [a["id"] for a in north] == [north_action["id"]]
    by_nc = desk.get("/api/actions", nonconformity_id=nc["id"]).json["items"]
    assert [a["id"] for a in by_nc] == [north_action["id"]]


def test_actions_come_a_page_at_a_time(desk, plant):
    nc, first = planned(desk, plant)
    for _ in range(4):
        desk.plan(nc, plant.worker)
    seen, cursor = [], None
    while True:
        page = desk.get("/api/actions", limit=2, **({"cursor": cursor} if cursor else {})).json
        seen += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5


def test_the_owner_marks_it_done_with_notes_and_photos(desk, plant):
    make_photo_row(plant.organization, SHA_A)
    _, action = planned(desk, plant)
    done = desk.as_(plant.worker).done(
        action,
        notes="  Drip tray fitted  ",
        photos=[SHA_A],
        done_at="2026-11-30T10:00:00+01:00",
    )
    assert done.status_code == 200, done.json
    assert done.json["status"] == "done"
    assert done.json["notes"] == "Drip tray fitted"
    assert done.json["done_by"]["id"] == plant.worker.id
    assert [p["sha256"] for p in done.json["photos"]] == [SHA_A]
    assert done.json["photos"][0]["received"] is True


def test_notes_are_required(desk, plant):
    _, action = planned(desk, plant)
    for notes in ("", "   ", None):
        response = desk.as_(plant.worker).done(action, notes=notes)
        assert response.status_code == 422
        assert "notes" in response.json["errors"]
    response = desk.patch(f"/api/actions/{action['id']}", {"status": "done"})
    assert "notes" in response.json["errors"]


def test_a_photo_not_uploaded_yet_leaves_the_action_open(desk, plant):
    make_photo_row(plant.organization, SHA_A)
    _, action = planned(desk, plant)
    refused = desk.as_(plant.worker).done(action, photos=[SHA_A, SHA_B])
    assert refused.status_code == 422
    assert refused.json["errors"]["photos"] == [f"Not uploaded yet: {SHA_B}"]
    assert desk.get(f"/api/actions/{action['id']}").json["status"] == "open"
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0
    make_photo_row(plant.organization, SHA_B)
    done = desk.done(action, photos=[SHA_A, SHA_B])
    assert done.status_code == 200
    assert [p["sha256"] for p in done.json["photos"]] == [SHA_A, SHA_B]


def test_photos_may_be_named_as_the_report_item_names_them(desk, plant):
    make_photo_row(plant.organization, SHA_A)
    _, action = planned(desk, plant)
    ref = {"sha256": SHA_A, "content_type": "image/jpeg", "width": 1, "height": 1}
    done = desk.as_(plant.worker).done(action, photos=[ref])
    assert done.status_code == 200
    twice = desk.done(action, photos=[SHA_A, ref])
    assert twice.status_code == 422


def test_the_same_done_update_again_is_harmless_and_a_different_one_a_conflict(desk, plant):
    _, action = planned(desk, plant)
    desk.as_(plant.worker)
    first = desk.done(action, notes="Tray fitted")
    events = db.session.scalar(select(func.count()).select_from(Event))
    again = desk.done(action, notes="Tray fitted")
    assert again.status_code == 200 and again.json["done_at"] == first.json["done_at"]
    assert db.session.scalar(select(func.count()).select_from(Event)) == events
    other = desk.done(action, notes="Something else")
    assert other.status_code == 409
    assert "already reported done" in other.json["detail"]
    assert desk.get(f"/api/actions/{action['id']}").json["notes"] == "Tray fitted"


def test_an_officer_may_mark_an_action_done_for_its_owner(desk, plant):
    _, action = planned(desk, plant)
    done = desk.as_(plant.north_officer).done(action)
    assert done.status_code == 200
    assert done.json["done_by"]["id"] == plant.north_officer.id


def test_a_done_time_is_kept_between_planning_and_now(desk, plant):
    _, action = planned(desk, plant)
    done = desk.as_(plant.worker).done(action, done_at="1999-01-01T00:00:00+00:00")
    done_at = datetime.fromisoformat(done.json["done_at"])
    assert done_at == datetime.fromisoformat(action["created_at"])
    future = desk.done(action, done_at="2999-01-01T00:00:00+00:00")
    assert future.status_code == 422


def test_the_owner_learns_of_their_actions_through_the_feed(desk, plant):
    nc, action = planned(desk, plant)
    desk.plan(nc, plant.other_worker)
    feed = desk.as_(plant.worker).get("/api/sync", since=0).json["changes"]
    [entry] = [c for c in feed if c["type"] == "action"]
    assert entry == {
        "type": "action",
        "id": action["id"],
        "status": "open",
        "title": action["title"],
        "kind": "corrective",
        "control": "engineering",
        "due_on": action["due_on"],
        "site_id": plant.north.id,
        "nonconformity": {"id": nc["id"], "title": nc["title"]},
        "notes": None,
        "done_at": None,
        "changed_at": entry["changed_at"],
    }
    desk.done(action, notes="Tray fitted")
    later = desk.get("/api/sync", since=0).json["changes"]
    [entry] = [c for c in later if c["type"] == "action"]
    assert (entry["status"], entry["notes"]) == ("done", "Tray fitted")
    officer_feed = desk.as_(plant.officer).get("/api/sync", since=0).json["changes"]
    assert not [c for c in officer_feed if c["type"] == "action"]


def test_evidence_photos_are_shown_to_the_owner_and_the_officers_only(desk, plant, client):
    image = jpeg()
    digest = sha256(image)
    _, action = planned(desk, plant)
    desk.as_(plant.worker)
    assert client.put(f"/api/photos/{digest}", data=image, content_type="image/jpeg").status_code
    assert desk.done(action, photos=[digest]).status_code == 200
    thumb = f"/api/photos/{digest}/thumb"
    assert fetched(client, thumb) == 200
    assert fetched(desk.as_(plant.north_officer).client, thumb) == 200
    assert fetched(desk.as_(plant.other_worker).client, thumb) == 404


def fetched(client, url: str) -> int:
    """The status of a GET whose body is read whole and closed (photos are files)."""
    with client.get(url, buffered=True) as response:
        return response.status_code


def test_verify_wait_days_is_read_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("VERIFY_WAIT_DAYS", "0")
    assert config.from_environment(str(tmp_path), {"SECRET_KEY": "x"})["VERIFY_WAIT_DAYS"] == 0
    monkeypatch.delenv("VERIFY_WAIT_DAYS")
    assert config.from_environment(str(tmp_path), {"SECRET_KEY": "x"})["VERIFY_WAIT_DAYS"] == 30
