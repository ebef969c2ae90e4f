"""Every figure of the desk counts only the reports its reader may open.

Critical reports received at the fixtures' START are past their SLA: they count as overdue.
"""

from datetime import timedelta

from server.dbtypes import utcnow
from tests.desk.conftest import make_report, triaged
from tests.factories import make_organization, make_site, make_user


def figures(body: dict) -> dict:
    """The overview's counts, in one comparable shape."""
    return {
        "open_total": body["open_total"],
        "bands": {row["risk_band"]: row["count"] for row in body["open_by_risk_band"]},
        "statuses": {row["status"]: row["count"] for row in body["open_by_status"]},
        "weekly": {s["category"]: sum(s["counts"]) for s in body["weekly"]["categories"]},
        "overdue": body["overdue"]["total"],
        "overdue_ids": {item["id"] for item in body["overdue"]["items"]},
    }


def test_a_site_limited_officer_counts_only_their_site(signed_in, plant):
    now = utcnow()
    north = [
        triaged(
            make_report(
                plant["north"],
                description="Ladder rung broken",
                severity=5,
                likelihood=5,
                observed_at=now - timedelta(days=1),
            )
        )
        for _ in range(2)
    ]
    south = [
        triaged(
            make_report(
                plant["south"],
                description="Diesel spill near the drain",
                severity=5,
                likelihood=5,
                observed_at=now - timedelta(days=1),
            )
        )
        for _ in range(3)
    ]
    make_report(plant["south"], status="awaiting_photos", observed_at=now - timedelta(days=2))
    elsewhere = make_organization()
    theirs = triaged(make_report(make_site(elsewhere), severity=5, likelihood=5))

    limited = figures(signed_in(plant["north_officer"], "/api/overview").json)
    assert limited == {
        "open_total": 2,
        "bands": {"critical": 2, "high": 0, "medium": 0, "low": 0, None: 0},
        "statuses": {"awaiting_photos": 0, "received": 0, "triaged": 2, "in_progress": 0},
        "weekly": {"work_at_height": 2},
        "overdue": 2,
        "overdue_ids": {str(r.id) for r in north},
    }
    everyone = figures(signed_in(plant["officer"], "/api/overview").json)
    assert everyone["open_total"] == 6 and everyone["overdue"] == 5
    assert everyone["overdue_ids"] == {str(r.id) for r in north + south}
    assert everyone["weekly"] == {
        "work_at_height": 2,
        "environmental_release": 3,
        "uncategorised": 1,
    }
    assert everyone["statuses"]["awaiting_photos"] == 1
    outsider = figures(signed_in(make_user(elsewhere, role="officer"), "/api/overview").json)
    assert (outsider["open_total"], outsider["overdue_ids"]) == (1, {str(theirs.id)})


def test_a_site_limited_officers_queue_is_the_reports_they_may_open(client, signed_in, plant):
    north = [triaged(make_report(plant["north"])) for _ in range(2)]
    triaged(make_report(plant["south"]))
    make_report(make_site(make_organization()))
    for params in ({}, {"status": "all"}, {"q": "oil"}, {"site_id": plant["south"].id}):
        response = signed_in(plant["north_officer"], "/api/queue", **params)
        items = response.json["items"]
        assert {item["id"] for item in items} <= {str(r.id) for r in north}, params
        for item in items:
            assert client.get(f"/api/reports/{item['id']}").status_code == 200
            assert "duplicates" not in item["triage"]["reasons"]
    assert len(signed_in(plant["north_officer"], "/api/queue").json["items"]) == 2
