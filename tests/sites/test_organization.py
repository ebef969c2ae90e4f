"""The organization's settings: read by every member, changed by admins, used for new sites."""

import pytest
from sqlalchemy import select

from server.events.models import Event
from server.extensions import db
from tests.auth.helpers import plant, signed_in


@pytest.fixture
def people(app):
    return plant()


def test_every_member_reads_the_settings_and_me_shows_them(app, people):
    expected = {
        "id": people["organization"].id,
        "name": people["organization"].name,
        "time_zone": "UTC",
        "training_due_days": 60,
        "document_review_months": 12,
    }
    worker = signed_in(app, people["worker"])
    assert worker.get("/api/organization").json == expected
    assert worker.get("/api/auth/me").json["organization"] == expected
    assert app.test_client().get("/api/organization").status_code == 401


def test_an_admin_changes_the_settings_and_the_change_is_logged(app, people):
    admin = signed_in(app, people["admin"])
    change = {
        "name": "Northwind Foundry",
        "time_zone": "Europe/Berlin",
        "training_due_days": 30,
        "document_review_months": 24,
    }
    answer = admin.patch("/api/organization", json=change)
    assert answer.status_code == 200
    assert answer.json == {"id": people["organization"].id, **change}
    assert admin.get("/api/auth/me").json["organization"]["time_zone"] == "Europe/Berlin"
    [event] = db.session.scalars(select(Event).where(Event.entity_type == "organization"))
    assert (event.action, event.data) == ("changed", change)
    assert admin.patch("/api/organization", json={"training_due_days": 30}).status_code == 200
    assert db.session.scalar(
        select(db.func.count(Event.id)).where(Event.entity_type == "organization")
    ) == 1, "no change, no event"  # fmt: skip


def test_only_admins_change_the_settings(app, people):
    for role in ("officer", "worker", "auditor"):
        client = signed_in(app, people[role])
        assert client.patch("/api/organization", json={"name": "Mine"}).status_code == 403


def test_a_name_another_organization_has_is_a_conflict(app, people):
    admin = signed_in(app, people["admin"])
    answer = admin.patch("/api/organization", json={"name": people["other"].name})
    assert answer.status_code == 409
    assert answer.json["errors"] == {"name": ["Another organization has this name."]}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("time_zone", "Mars/Olympus"),
        ("time_zone", "europe/berlin"),
        ("time_zone", "localtime"),
        ("time_zone", "UTC\x00"),
        ("training_due_days", 0),
        ("training_due_days", 366),
        ("training_due_days", 2**63),
        ("training_due_days", "30"),
        ("document_review_months", 0),
        ("document_review_months", 61),
        ("document_review_months", 1.5),
        ("name", ""),
        ("name", "Plant \ud800"),
        ("name", "Plant\x00"),
        ("name", "x" * 201),
    ],
)
def test_bad_settings_are_field_errors(app, people, field, value):
    answer = signed_in(app, people["admin"]).patch("/api/organization", json={field: value})
    assert answer.status_code == 422
    assert list(answer.json["errors"]) == [field]


def test_a_new_site_takes_the_organizations_time_zone_unless_told(app, people):
    admin = signed_in(app, people["admin"])
    admin.patch("/api/organization", json={"time_zone": "America/Chicago"})
    plain = admin.post("/api/sites", json={"name": "East Yard", "code": "EAST"})
    assert plain.status_code == 201
    assert plain.json["time_zone"] == "America/Chicago"
    told = admin.post(
        "/api/sites", json={"name": "West Yard", "code": "WEST", "time_zone": "Asia/Tokyo"}
    )
    assert told.json["time_zone"] == "Asia/Tokyo"
    renamed = admin.patch(f"/api/sites/{told.json['id']}", json={"name": "West Dock"})
    assert renamed.status_code == 200
    actions = db.session.execute(
        select(Event.entity_id, Event.action, Event.data)
        .where(Event.entity_type == "site")
        .order_by(Event.id)
    ).all()
    assert [(int(e), a) for e, a, _ in actions] == [
        (plain.json["id"], "created"),
        (told.json["id"], "created"),
        (told.json["id"], "changed"),
    ]
    assert actions[-1][2] == {"name": "West Dock"}
