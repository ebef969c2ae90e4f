"""Logging an NC: idempotent on the client's id, raised from a report and linked both ways."""

import uuid

import pytest
from sqlalchemy import func, select

from server.events.models import Event
from server.extensions import db
from server.nonconformities.models import Nonconformity
from server.reports.models import Report
from server.triage.jobs import triage_report
from tests.factories import make_photo_row, make_stored_report
from tests.nonconformities.conftest import action_body, nc_body

SHA_A, SHA_B = "a" * 64, "b" * 64


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_same_nc_sent_again_is_the_same_nc(desk, plant):
    desk.as_(plant.officer)
    body = nc_body(plant.north, clause="8.1.2", containment="Area roped off")
    first = desk.post("/api/nonconformities", body)
    assert first.status_code == 201
    assert first.json["raised_by"]["id"] == plant.officer.id
    for _ in range(2):
        again = desk.post("/api/nonconformities", body)
        assert again.status_code == 200
        assert again.json["id"] == first.json["id"]
    assert count(Nonconformity) == 1
    assert db.session.scalar(select(func.count()).select_from(Event)) == 1


def test_the_same_id_with_other_content_is_a_conflict(desk, plant):
    desk.as_(plant.officer)
    body = nc_body(plant.north)
    desk.post("/api/nonconformities", body)
    other = desk.post("/api/nonconformities", {**body, "severity": "major"})
    assert other.status_code == 409
    assert other.json["type"] == "/api/problems/conflict"
    assert db.session.scalar(select(Nonconformity.severity)) == "minor"


def test_an_id_taken_at_a_site_i_do_not_see_is_a_conflict_too(desk, plant):
    body = nc_body(plant.south)
    desk.as_(plant.officer).post("/api/nonconformities", body)
    refused = desk.as_(plant.north_officer).post(
        "/api/nonconformities", {**body, "site_id": plant.north.id}
    )
    assert refused.status_code == 409
    assert "South" not in str(refused.json)


def test_an_nc_names_a_site_of_mine(desk, plant):
    refused = desk.as_(plant.north_officer).post("/api/nonconformities", nc_body(plant.south))
    assert refused.status_code == 422
    assert "site_id" in refused.json["errors"]


def test_photos_sent_with_an_nc_are_its_photos(desk, plant):
    make_photo_row(plant.organization, SHA_A)
    photos = [
        {"sha256": SHA_A, "content_type": "image/jpeg", "width": 800, "height": 600},
        {"sha256": SHA_B, "content_type": "image/png"},
    ]
    nc = desk.as_(plant.officer).new_nc(plant.north, source="audit", photos=photos)
    assert [(p["sha256"], p["received"]) for p in nc["photos"]] == [(SHA_A, True), (SHA_B, False)]
    assert nc["photos"][0]["urls"]["thumb"] == f"/api/photos/{SHA_A}/thumb"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Oil\x00leak"),
        ("description", "Half an emoji \ud83d"),
        ("site_id", 2**40),
        ("severity", "catastrophic"),
        ("source", "rumour"),
        ("title", "   "),
        ("title", "x" * 201),
        ("id", "not-a-uuid"),
        ("category", "not_a_category"),
    ],
)
def test_bad_fields_are_field_errors(desk, plant, field, value):
    response = desk.as_(plant.officer).post(
        "/api/nonconformities", {**nc_body(plant.north), field: value}
    )
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in response.json["errors"]


@pytest.mark.parametrize("due_on", ["0001-01-01", "10000-01-01", "2026-02-30", 20260101])
def test_a_due_day_outside_the_calendar_is_a_field_error(desk, plant, due_on):
    desk.as_(plant.officer)
    nc = desk.new_nc(plant.north)
    response = desk.post(
        f"/api/nonconformities/{nc['id']}/actions",
        action_body(plant.officer, kind="correction", due_on=due_on),
    )
    assert response.status_code == 422
    assert "due_on" in response.json["errors"]


def test_an_nc_raised_from_a_report_is_linked_both_ways(desk, plant):
    report = plant.report
    triage_report(report.pk)
    category = db.session.scalar(select(Report.queue_category))
    assert category is not None
    desk.as_(plant.officer)
    raised = desk.post(f"/api/reports/{report.id}/nonconformity", {"severity": "major"})
    assert raised.status_code == 201, raised.json
    nc = raised.json
    assert (nc["source"], nc["site"]["id"], nc["severity"]) == ("report", plant.north.id, "major")
    assert nc["report"]["id"] == str(report.id) and nc["report_id"] == str(report.id)
    assert nc["category"] == category
    assert nc["title"].startswith("Hazard at North Plant: Oil leak")
    assert nc["description"] == report.description
    seen = desk.get(f"/api/reports/{report.id}").json
    assert seen["nonconformity"] == {"id": nc["id"], "status": "open", "severity": "major"}
    log = [e["action"] for e in desk.get(f"/api/reports/{report.id}/events").json]
    assert log[-1] == "nonconformity_raised"


def test_raising_again_from_the_same_report_gives_the_same_nc(desk, plant):
    desk.as_(plant.officer)
    url = f"/api/reports/{plant.report.id}/nonconformity"
    first = desk.post(url, {"severity": "minor", "title": "Oil leak", "clause": "8.1.2"})
    second = desk.post(url, {"severity": "major"})
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json["id"] == first.json["id"]
    assert second.json["severity"] == "minor"
    assert (first.json["title"], first.json["clause"]) == ("Oil leak", "8.1.2")
    assert count(Nonconformity) == 1
    taken = desk.post(
        "/api/nonconformities",
        nc_body(plant.north, source="report", report_id=str(plant.report.id)),
    )
    assert taken.status_code == 409
    assert "report_id" in taken.json["errors"]


def test_a_report_brings_its_photos_to_the_nc(desk, plant):
    make_photo_row(plant.organization, SHA_A)
    item = {
        "id": str(uuid.uuid4()),
        "kind": "near_miss",
        "site_id": plant.south.id,
        "observed_at": "2026-11-20T09:30:00+01:00",
        "description": "Forklift reversed without looking, nearly hit a walker",
        "photos": [{"sha256": SHA_A, "content_type": "image/jpeg", "width": 4, "height": 3}],
    }
    assert desk.as_(plant.worker).post("/api/sync", {"reports": [item]}).status_code == 200
    nc = (
        desk.as_(plant.officer)
        .post(f"/api/reports/{item['id']}/nonconformity", {"severity": "minor"})
        .json
    )
    assert [(p["sha256"], p["width"]) for p in nc["photos"]] == [(SHA_A, 4)]


def test_post_with_a_report_id_checks_the_report(desk, plant):
    desk.as_(plant.officer)
    elsewhere = desk.post(
        "/api/nonconformities",
        nc_body(plant.south, source="report", report_id=str(plant.report.id)),
    )
    assert elsewhere.status_code == 422
    assert "site_id" in elsewhere.json["errors"]
    unknown = desk.post("/api/nonconformities", nc_body(plant.north, report_id=str(uuid.uuid4())))
    assert unknown.status_code == 422
    assert "report_id" in unknown.json["errors"]
    linked = desk.post(
        "/api/nonconformities",
        nc_body(plant.north, source="report", report_id=str(plant.report.id)),
    )
    assert linked.status_code == 201
    assert linked.json["report"]["id"] == str(plant.report.id)


def test_raising_from_a_report_i_may_not_see_is_404(desk, plant):
    south_report = make_stored_report(plant.south, plant.south_worker)
    response = desk.as_(plant.north_officer).post(
        f"/api/reports/{south_report.id}/nonconformity", {"severity": "minor"}
    )
    assert response.status_code == 404
    assert count(Nonconformity) == 0
