"""GET /api/queue: order, filters and keyset paging."""

from datetime import timedelta

from sqlalchemy import select

from server.extensions import db
from server.reports.models import Report
from server.triage.models import Triage
from tests.desk.conftest import START, make_report, triaged
from tests.factories import report_item


def queue(signed_in, user, **params) -> list[dict]:
    response = signed_in(user, "/api/queue", **params)
    assert response.status_code == 200, response.json
    return response.json["items"]


def order_key(report: Report) -> tuple:
    """The order the queue promises, worked out from the triage table, not the queue columns."""
    triage = db.session.scalar(select(Triage).where(Triage.report_pk == report.pk))
    if triage is None:
        risk = report.risk_score
        return (0, -(risk or 0), report.received_at, report.pk)
    return (int(triage.priority[1]), -triage.risk_score, report.received_at, report.pk)


def test_untriaged_first_then_p1_to_p4_riskiest_then_oldest(signed_in, plant):
    north = plant["north"]
    untriaged = [
        make_report(north, severity=None, likelihood=None),
        make_report(north, severity=2, likelihood=2),
        make_report(north, severity=4, likelihood=5),
    ]
    ratings = [(1, 1), (5, 5), (3, 3), (4, 4), (2, 3), (5, 5), (1, 2), (3, 3), (4, 2), (2, 2)]
    done = [triaged(make_report(north, severity=s, likelihood=lk)) for s, lk in ratings]
    reports = untriaged + done

    items = queue(signed_in, plant["officer"])
    expected = sorted(reports, key=order_key)
    assert [item["id"] for item in items] == [str(r.id) for r in expected]
    # The untriaged come first, by the reporter's own risk, unknown last.
    assert [item["id"] for item in items[:3]] == [str(untriaged[i].id) for i in (2, 1, 0)]
    assert {item["queue_priority"] for item in items[:3]} == {"awaiting_triage"}
    labels = [item["queue_priority"] for item in items[3:]]
    assert labels == sorted(labels) and {"P1", "P2", "P3", "P4"} <= set(labels)
    assert all(item["triage"]["priority"] == item["queue_priority"] for item in items[3:])
    # Same priority and risk: the oldest received first.
    twins = [str(done[i].id) for i in (1, 5)]
    assert [item["id"] for item in items if item["id"] in twins] == twins


def test_each_item_is_a_full_report_view(signed_in, plant):
    report = triaged(make_report(plant["north"], plant["worker"], severity=3, likelihood=3))
    (item,) = queue(signed_in, plant["officer"])
    assert item["id"] == str(report.id)
    assert item["site"]["code"] == "NORTH"
    assert item["reporter"]["id"] == plant["worker"].id
    assert item["photos"] == []
    assert item["triage"]["risk_band"] == "medium"
    assert item["triage"]["reasons"]["risk"]


def test_an_override_moves_the_report_and_a_rerun_keeps_it_there(client, signed_in, plant):
    north = plant["north"]
    low = triaged(make_report(north, severity=1, likelihood=2))
    urgent = [triaged(make_report(north, severity=5, likelihood=4)) for _ in range(2)]
    before = [item["id"] for item in queue(signed_in, plant["officer"])]
    assert before[-1] == str(low.id)

    response = client.patch(
        f"/api/reports/{low.id}/triage", json={"priority": "P1", "reason": "Visitor route"}
    )
    assert response.status_code == 200
    after = queue(signed_in, plant["officer"])
    # P1 now, but its risk (2) is the lowest among the P1s.
    assert [item["id"] for item in after] == [str(urgent[0].id), str(urgent[1].id), str(low.id)]
    assert after[2]["queue_priority"] == "P1"

    body = {"severity": 5, "likelihood": 5, "reason": "Re-rated on site"}
    assert client.patch(f"/api/reports/{low.id}/triage", json=body).status_code == 200
    triaged(low)
    after = queue(signed_in, plant["officer"])
    assert [item["id"] for item in after][0] == str(low.id)
    assert db.session.get(Report, low.pk).queue_risk == -25


def test_reports_synced_from_phones_carry_their_reported_risk(client, auth, signed_in, plant):
    auth.login(plant["worker"].email)
    items = [
        report_item(plant["north"].id, severity=None, likelihood=None),
        report_item(plant["north"].id, severity=5, likelihood=3),
    ]
    client.post("/api/sync", json={"reports": items})
    rows = db.session.execute(select(Report.id, Report.queue_priority, Report.queue_risk)).all()
    assert {(str(i), p, r) for i, p, r in rows} == {
        (items[0]["id"], 0, 0),
        (items[1]["id"], 0, -15),
    }
    assert [i["id"] for i in queue(signed_in, plant["officer"])] == [items[1]["id"], items[0]["id"]]


def test_filters(signed_in, plant):
    north, south = plant["north"], plant["south"]
    spill = triaged(
        make_report(
            south,
            kind="environmental_incident",
            description="Diesel SPILL near the drain, 100% of the tank",
            observed_at=START - timedelta(days=3),
            severity=4,
            likelihood=4,
        )
    )
    ladder = triaged(make_report(north, description="Broken ladder rung", severity=4, likelihood=5))
    waiting = make_report(north, description="Loose cable", status="awaiting_photos")
    closed = triaged(make_report(north, description="Fixed: loose handrail"))
    closed.status = "closed"
    db.session.commit()
    officer = plant["officer"]

    def found(**params) -> list[str]:
        return sorted(item["id"] for item in queue(signed_in, officer, **params))

    def of(*reports) -> list[str]:
        return sorted(str(r.id) for r in reports)

    assert found() == of(spill, ladder, waiting)
    assert found(site_id=south.id) == of(spill)
    assert found(kind="environmental_incident") == of(spill)
    assert found(category="environmental_release") == of(spill)
    assert found(category="work_at_height") == of(ladder)
    assert found(risk_band="critical") == of(ladder)
    assert found(risk_band="high", site_id=south.id, category="environmental_release") == of(spill)
    assert found(risk_band="high", site_id=north.id) == []
    assert found(status="awaiting_photos") == of(waiting)
    assert found(status=["awaiting_photos", "closed"]) == of(waiting, closed)
    assert found(status="all") == of(spill, ladder, waiting, closed)
    assert found(observed_to=(START - timedelta(days=1)).isoformat()) == of(spill)
    assert found(observed_from=(START - timedelta(days=1)).isoformat()) == of(ladder, waiting)
    assert found(q="diesel spill") == of(spill)
    assert found(q="100%") == of(spill)
    assert found(q="0%") == of(spill)
    assert found(q="_") == []
    assert found(q="LADDER") == of(ladder)


def test_bad_filters_get_422(signed_in, plant):
    officer = plant["officer"]
    for params in (
        {"kind": "rumour"},
        {"status": "lost"},
        {"category": "weather"},
        {"risk_band": "extreme"},
        {"observed_from": "2026-11-20T09:00:00"},
        {"limit": 0},
        {"limit": 201},
        {"q": ""},
    ):
        response = signed_in(officer, "/api/queue", **params)
        assert response.status_code == 422, params
        assert response.mimetype == "application/problem+json"


def test_a_malformed_cursor_gets_422(signed_in, plant):
    for cursor in ("nonsense", "W10", "WzEsMiwzXQ", "WzEsMiwibm90IGEgdGltZSIsNF0", "%%%"):
        response = signed_in(plant["officer"], "/api/queue", cursor=cursor)
        assert response.status_code == 422, cursor
        assert response.json["errors"] == {"cursor": ["Not a cursor this API gave out."]}


def test_paging_walks_every_report_once_while_reports_arrive(signed_in, plant):
    north = plant["north"]
    ratings = [(None, None), (2, 2), (5, 5), (3, 4), (1, 1), (4, 4), (2, 3)] * 3
    reports = [make_report(north, severity=s, likelihood=lk, commit=False) for s, lk in ratings]
    db.session.commit()
    for report in reports[::2]:
        triaged(report)
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 4} | ({"cursor": cursor} if cursor else {})
        response = signed_in(plant["officer"], "/api/queue", **params).json
        seen += [item["id"] for item in response["items"]]
        pages += 1
        # New reports, riskier and less risky than any, arrive between pages.
        make_report(north, severity=5, likelihood=5)
        make_report(north, severity=None, likelihood=None)
        cursor = response["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen))
    assert {str(r.id) for r in reports} <= set(seen)
    assert pages >= len(reports) // 4


def test_the_report_keeps_a_copy_of_the_effective_triage(client, auth, plant):
    reports = [
        triaged(make_report(plant["north"], severity=s, likelihood=lk))
        for s, lk in ((5, 5), (2, 2), (None, None))
    ]
    auth.login(plant["officer"].email)
    body = {"category": "electrical", "likelihood": 1, "reason": "Seen by the electrician"}
    assert client.patch(f"/api/reports/{reports[0].id}/triage", json=body).status_code == 200
    db.session.expire_all()
    for report in reports:
        triage = db.session.scalar(select(Triage).where(Triage.report_pk == report.pk))
        assert (report.queue_priority, report.queue_risk) == (
            int(triage.priority[1]),
            -triage.risk_score,
        )
        assert (report.queue_category, report.queue_due_at) == (triage.category, triage.due_at)
    assert reports[0].queue_category == "electrical" and reports[0].queue_risk == -5


def test_the_risk_band_filter_is_triages_not_the_reporters(signed_in, plant):
    reported = make_report(plant["north"], severity=5, likelihood=5)
    critical = triaged(make_report(plant["north"], severity=5, likelihood=4))
    found = queue(signed_in, plant["officer"], risk_band="critical")
    assert [item["id"] for item in found] == [str(critical.id)]
    assert queue(signed_in, plant["officer"])[0]["id"] == str(reported.id)
