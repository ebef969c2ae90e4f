"""/api/sync hands each named list to the feature that registered it and merges every feed."""

import marshmallow as ma
import pytest
from sqlalchemy import select

from server.events.models import Event
from server.events.services import record_event
from server.extensions import db
from server.sync import registry, services
from server.sync.registry import FeedSource, SyncList
from tests.factories import make_organization, make_site, make_user, report_item


def _notes(actor, items):
    """A second record type's list: answers each item by its id, on its own."""
    return [
        {"id": item.get("id"), "status": "created" if item.get("text") else "rejected"}
        for item in items
    ]


def _note_changes(actor, since, limit):
    """Notes in the feed: their events, as a feature's feed source reads its records."""
    events = db.session.scalars(
        select(Event)
        .where(
            Event.organization_id == actor.organization_id,
            Event.entity_type == "note",
            Event.id > since,
        )
        .order_by(Event.id)
        .limit(limit)
    )
    return [
        {"id": e.entity_id, "change_id": e.id, "changed_at": e.created_at, "text": e.data["text"]}
        for e in events
    ]


class NoteChangeOut(ma.Schema):
    id = ma.fields.String()
    text = ma.fields.String()


@pytest.fixture
def notes():
    """Register a "notes" list and feed, as a feature would, for this test only."""
    registry.register_sync_list(SyncList("notes", _notes, "Notes"))
    registry.register_feed_source(FeedSource("note", _note_changes, NoteChangeOut()))
    yield
    del registry._LISTS["notes"], registry._FEED["note"]


def test_each_list_is_answered_by_its_own_feature_item_by_item(client, auth, notes):
    organization = make_organization()
    site = make_site(organization)
    auth.login(make_user(organization).email)
    report = report_item(site.id)
    body = {"reports": [report], "notes": [{"id": "n1", "text": "Hi"}, {"id": "n2"}]}
    answer = client.post("/api/sync", json=body).json

    assert [r["status"] for r in answer["notes"]] == ["created", "rejected"]
    assert [r["id"] for r in answer["notes"]] == ["n1", "n2"]
    assert answer["reports"][0]["id"] == report["id"]
    assert answer["reports"][0]["status"] == "created"
    assert answer["results"] == answer["reports"]


def test_a_list_alone_needs_no_reports(client, auth, notes):
    auth.login(make_user(make_organization()).email)
    answer = client.post("/api/sync", json={"notes": [{"id": "n1", "text": "Hi"}]}).json
    assert answer == {"notes": [{"id": "n1", "status": "created"}]}


@pytest.mark.parametrize(
    "body, field",
    [
        ({"audits": []}, "audits"),
        ({"reports": "not a list"}, "reports"),
        ({}, "_schema"),
    ],
)
def test_unknown_lists_and_non_lists_are_field_errors(client, auth, body, field):
    auth.login(make_user(make_organization()).email)
    response = client.post("/api/sync", json=body)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in response.json["errors"]


def test_the_batch_limit_counts_every_list(app, client, auth, notes):
    app.config["SYNC_MAX_BATCH"] = 3
    organization = make_organization()
    site = make_site(organization)
    auth.login(make_user(organization).email)
    body = {"reports": [report_item(site.id) for _ in range(2)], "notes": [{"id": "a"}] * 2}
    response = client.post("/api/sync", json=body)
    assert response.status_code == 413
    assert "at most 3 items; this one has 4" in response.json["detail"]


def test_the_feed_merges_every_record_type_in_change_order(client, auth, notes, monkeypatch):
    monkeypatch.setattr(services, "CHANGE_SETTLE", services.timedelta(0))
    organization = make_organization()
    site = make_site(organization)
    worker = make_user(organization)
    auth.login(worker.email)
    first = record_event(organization.id, worker.id, "note", "n1", "created", text="before")
    db.session.commit()
    report = report_item(site.id)
    client.post("/api/sync", json={"reports": [report]})
    last = record_event(organization.id, worker.id, "note", "n2", "created", text="after")
    db.session.commit()
    # Another organization's note never shows.
    record_event(make_organization().id, None, "note", "n3", "created", text="theirs")
    db.session.commit()

    body = client.get(f"/api/sync?since={first.id - 1}").json
    assert [(c["type"], c["id"]) for c in body["changes"]] == [
        ("note", "n1"),
        ("report", report["id"]),
        ("note", "n2"),
    ]
    assert body["changes"][0]["text"] == "before" and "status" in body["changes"][1]
    assert body["cursor"] == last.id
    assert client.get(f"/api/sync?since={body['cursor']}").json["changes"] == []
