"""GET /api/notifications and marking read: a person sees and changes only their own."""

from datetime import UTC, datetime, timedelta

import pytest

from server.auth.models import Membership
from server.extensions import db
from server.reminders.scan import scan
from tests.factories import make_organization, make_site, make_user
from tests.reminders.conftest import notifications
from tests.reminders.factories import make_action, make_nonconformity

NOW = datetime.now(UTC)


def remind(site, owner, *offsets) -> None:
    """Actions of one NC of site, owned by owner, due offsets days from today, then a scan."""
    nc = make_nonconformity(site)
    for offset in offsets:
        make_action(nc, owner, due_on=NOW.date() + timedelta(days=offset))
    scan(NOW)


def test_my_notifications_newest_first_with_the_unread_count(client, auth, plant):
    remind(plant["north"], plant["owner"], 2, 0, -3)
    auth.login(plant["owner"].email)
    body = client.get("/api/notifications").json
    assert body["unread"] == 3
    assert [item["kind"] for item in body["items"]] == [
        "action_overdue",
        "action_due_today",
        "action_due_soon",
    ]
    first = body["items"][0]
    made = notifications(plant["owner"])[-1]
    assert first == {
        "id": made.id,
        "kind": "action_overdue",
        "title": "Action overdue by 3 days",
        "body": made.body,
        "record": {
            "type": "action",
            "id": str(made.record_id),
            "nonconformity_id": str(made.nonconformity_id),
        },
        "created_at": first["created_at"],
        "read_at": None,
    }
    assert body["next_cursor"] is None


def test_pages_follow_the_cursor(client, auth, plant):
    remind(plant["north"], plant["owner"], 3, 2, 1, 0, -1)
    auth.login(plant["owner"].email)
    first = client.get("/api/notifications?limit=2").json
    second = client.get(f"/api/notifications?limit=2&cursor={first['next_cursor']}").json
    third = client.get(f"/api/notifications?limit=2&cursor={second['next_cursor']}").json
    ids = [item["id"] for page in (first, second, third) for item in page["items"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 5
    assert third["next_cursor"] is None


def test_marking_read_lowers_the_badge_once(client, auth, plant):
    remind(plant["north"], plant["owner"], 0, -1)
    auth.login(plant["owner"].email)
    newest = client.get("/api/notifications").json["items"][0]
    marked = client.post(f"/api/notifications/{newest['id']}/read")
    assert marked.status_code == 200 and marked.json["read_at"] is not None
    again = client.post(f"/api/notifications/{newest['id']}/read")
    assert again.json["read_at"] == marked.json["read_at"], "the first reading counts"
    body = client.get("/api/notifications").json
    assert body["unread"] == 1
    assert [item["id"] for item in client.get("/api/notifications?unread=true").json["items"]] == [
        body["items"][1]["id"]
    ]
    everything = client.post("/api/notifications/read")
    assert everything.json == {"marked": 1, "unread": 0}


def test_nobody_sees_or_marks_anyone_elses(client, auth, plant):
    remind(plant["north"], plant["owner"], 0)
    theirs = notifications(plant["owner"])[0]
    auth.login(plant["north_officer"].email)
    assert client.get("/api/notifications").json == {
        "items": [],
        "unread": 0,
        "next_cursor": None,
    }
    refused = client.post(f"/api/notifications/{theirs.id}/read")
    assert refused.status_code == 404
    assert refused.content_type == "application/problem+json"
    assert client.post("/api/notifications/read").json["marked"] == 0
    assert notifications(plant["owner"])[0].read_at is None


def test_another_organizations_notification_is_not_found(client, auth, plant):
    other = make_organization()
    stranger = make_user(other)
    remind(make_site(other), stranger, 0)
    # The owner also belongs to the other organization, but is signed in to the plant's.
    db.session.add(Membership(user_id=plant["owner"].id, organization_id=other.id, role="worker"))
    db.session.commit()
    remind(make_site(other), plant["owner"], -1)
    elsewhere = [n.id for n in notifications() if n.organization_id == other.id]
    auth.login(plant["owner"].email)
    assert client.get("/api/notifications").json["unread"] == 0
    for notification_id in elsewhere:
        assert client.post(f"/api/notifications/{notification_id}/read").status_code == 404


def test_signing_in_is_needed_and_bad_queries_are_refused(client, auth, plant):
    assert client.get("/api/notifications").status_code == 401
    auth.login(plant["owner"].email)
    bad = client.get("/api/notifications?cursor=abc&limit=0")
    assert bad.status_code == 422
    assert set(bad.json["errors"]) == {"cursor", "limit"}
    assert client.post("/api/notifications/99999999999/read").status_code == 404


@pytest.mark.parametrize("cursor", ["2147483648", "9999999999", "-1", "x"])
def test_a_cursor_beyond_the_column_is_a_field_error(client, auth, cursor):
    auth.login(make_user(make_organization()).email)
    response = client.get("/api/notifications", query_string={"cursor": cursor})
    assert response.status_code == 422, response.json
    assert "cursor" in response.json["errors"]
