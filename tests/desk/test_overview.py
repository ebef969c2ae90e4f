"""GET /api/overview: open counts, twelve weeks by category, overdue P1/P2 items."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from server.dbtypes import utcnow
from server.extensions import db
from server.reports.models import Report
from server.triage.models import Triage
from tests.desk.conftest import make_report, triaged


def overview(signed_in, user) -> dict:
    response = signed_in(user, "/api/overview")
    assert response.status_code == 200, response.json
    return response.json


def close(report: Report) -> None:
    report.status = "closed"
    db.session.commit()


def test_open_reports_by_risk_band_and_status(signed_in, plant):
    north = plant["north"]
    for severity, likelihood in ((5, 5), (4, 5), (3, 4), (2, 2), (1, 1)):
        triaged(make_report(north, severity=severity, likelihood=likelihood))
    make_report(north, severity=5, likelihood=5)
    make_report(north, status="awaiting_photos")
    close(triaged(make_report(north, severity=5, likelihood=5)))
    in_progress = triaged(make_report(north, severity=3, likelihood=3))
    in_progress.status = "in_progress"
    db.session.commit()

    body = overview(signed_in, plant["officer"])
    assert body["open_total"] == 8
    assert body["open_by_risk_band"] == [
        {"risk_band": "critical", "count": 2},
        {"risk_band": "high", "count": 1},
        {"risk_band": "medium", "count": 1},
        {"risk_band": "low", "count": 2},
        {"risk_band": None, "count": 2},
    ]
    assert body["open_by_status"] == [
        {"status": "awaiting_photos", "count": 1},
        {"status": "received", "count": 1},
        {"status": "triaged", "count": 5},
        {"status": "in_progress", "count": 1},
    ]


def monday(weeks_ago: int) -> datetime:
    """00:00 UTC on the Monday weeks_ago weeks before this one."""
    today = utcnow().date()
    start = today - timedelta(days=today.weekday(), weeks=weeks_ago)
    return datetime(start.year, start.month, start.day, tzinfo=UTC)


def test_twelve_weeks_by_category_every_week_present(signed_in, plant):
    north = plant["north"]
    ladder = "Broken ladder rung"
    triaged(make_report(north, description=ladder, observed_at=monday(0) + timedelta(hours=1)))
    triaged(make_report(north, description=ladder, observed_at=monday(11)))
    make_report(north, observed_at=monday(11) + timedelta(days=6, hours=23, minutes=59))
    make_report(north, observed_at=monday(11) - timedelta(seconds=1))  # week 12: too old
    close(triaged(make_report(north, description=ladder, observed_at=monday(3))))
    spill = "Diesel spill near the drain"
    triaged(make_report(north, description=spill, observed_at=monday(3) + timedelta(days=2)))

    weekly = overview(signed_in, plant["officer"])["weekly"]
    assert weekly["weeks"] == [monday(n).date().isoformat() for n in range(11, -1, -1)]
    series = {s["category"]: s for s in weekly["categories"]}
    assert series["work_at_height"]["label"] == "Work at height"
    assert series["work_at_height"]["counts"] == [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1]
    assert series["environmental_release"]["counts"] == [0] * 8 + [1, 0, 0, 0]
    assert series["uncategorised"]["counts"] == [1] + [0] * 11
    assert len(series) == 3


def test_an_empty_overview_still_has_every_week_and_band(signed_in, plant):
    body = overview(signed_in, plant["admin"])
    assert body["open_total"] == 0
    assert len(body["weekly"]["weeks"]) == 12 and body["weekly"]["categories"] == []
    assert [row["count"] for row in body["open_by_risk_band"]] == [0] * 5
    assert body["overdue"] == {"total": 0, "items": []}


def set_due(client, report: Report, due_at: datetime) -> None:
    """An officer's due date for a report, through the API."""
    body = {"due_at": due_at.isoformat(), "reason": "Agreed with the site"}
    assert client.patch(f"/api/reports/{report.id}/triage", json=body).status_code == 200


def test_overdue_p1_and_p2_oldest_due_first(client, auth, signed_in, plant):
    north, now = plant["north"], utcnow()
    p1 = triaged(make_report(north, description="Scaffold board missing", severity=5, likelihood=5))
    p2 = triaged(make_report(north, description="Forklift too fast", severity=4, likelihood=4))
    p3 = triaged(make_report(north, severity=2, likelihood=3))
    closed = triaged(make_report(north, severity=5, likelihood=5))
    future = triaged(make_report(north, severity=5, likelihood=5))
    auth.login(plant["officer"].email)
    for report, hours in ((p1, -2), (p2, -30), (p3, -50), (closed, -60), (future, 3)):
        set_due(client, report, now + timedelta(hours=hours))
    close(closed)

    body = overview(signed_in, plant["officer"])["overdue"]
    assert body["total"] == 2
    assert [item["id"] for item in body["items"]] == [str(p2.id), str(p1.id)]
    first = body["items"][0]
    assert (first["priority"], first["site_name"]) == ("P2", north.name)
    assert first["description"] == "Forklift too fast"
    assert datetime.fromisoformat(first["due_at"]) == now - timedelta(hours=30)
    assert first["assignee_name"] == "Test User"

    # An officer's new due date and priority count: the P3 past due becomes a P1 overdue.
    body = {"priority": "P1", "due_at": (now - timedelta(days=9)).isoformat(), "reason": "Audit"}
    assert client.patch(f"/api/reports/{p3.id}/triage", json=body).status_code == 200
    body = overview(signed_in, plant["officer"])["overdue"]
    assert [item["id"] for item in body["items"]] == [str(p3.id), str(p2.id), str(p1.id)]


def test_at_most_fifty_overdue_items_with_the_total(signed_in, plant):
    reports = [make_report(plant["north"], severity=5, likelihood=5) for _ in range(53)]
    for report in reports:
        triaged(report)
    # What an officer's override of each due date would write, in one go.
    yesterday = utcnow() - timedelta(days=1)
    db.session.execute(update(Triage).values(due_at=yesterday))
    db.session.execute(update(Report).values(queue_due_at=yesterday))
    db.session.commit()
    body = overview(signed_in, plant["officer"])["overdue"]
    assert body["total"] == 53
    assert len(body["items"]) == 50
    assert body["items"][0]["id"] == str(reports[0].id)
