"""Day and week boundaries on the desk follow each site's time zone, not UTC.

Auckland is UTC+13 and Los Angeles UTC-8 in late November: midnight UTC is the middle of the
day at both, and a report near it lands on different days depending on its site.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from server.dbtypes import utcnow
from server.extensions import db
from tests.desk.conftest import make_report, triaged
from tests.factories import make_organization, make_site, make_user

AUCKLAND, LOS_ANGELES = "Pacific/Auckland", "America/Los_Angeles"


def at(zone: str, *fields: int) -> datetime:
    """A wall-clock time in zone, as an aware datetime."""
    return datetime(*fields, tzinfo=ZoneInfo(zone))


def zoned_site(organization, code: str, zone: str):
    site = make_site(organization, code)
    site.time_zone = zone
    db.session.commit()
    return site


@pytest.fixture
def world(app):
    """One organization with a site in Auckland and one in Los Angeles, and their officers."""
    organization = make_organization()
    akl = zoned_site(organization, "AKL", AUCKLAND)
    lax = zoned_site(organization, "LAX", LOS_ANGELES)
    return {
        "akl": akl,
        "lax": lax,
        "officer": make_user(organization, role="officer"),
        "akl_officer": make_user(organization, role="officer", sites=[akl]),
    }


@pytest.fixture
def near_midnight(world):
    """Reports a little either side of midnight UTC around 20 November 2026."""
    akl, lax = world["akl"], world["lax"]
    return {
        # 23:30 UTC on the 19th: already 12:30 on the 20th in Auckland.
        "akl_20th": make_report(akl, observed_at=datetime(2026, 11, 19, 23, 30, tzinfo=UTC)),
        # 12:00 UTC on the 20th: 01:00 on the 21st in Auckland.
        "akl_21st": make_report(akl, observed_at=datetime(2026, 11, 20, 12, 0, tzinfo=UTC)),
        # 06:00 UTC on the 20th: still 22:00 on the 19th in Los Angeles.
        "lax_19th": make_report(lax, observed_at=datetime(2026, 11, 20, 6, 0, tzinfo=UTC)),
        # 02:00 UTC on the 21st: 18:00 on the 20th in Los Angeles.
        "lax_20th": make_report(lax, observed_at=datetime(2026, 11, 21, 2, 0, tzinfo=UTC)),
    }


def found(signed_in, user, **params) -> set[str]:
    response = signed_in(user, "/api/queue", **params)
    assert response.status_code == 200, response.json
    return {item["id"] for item in response.json["items"]}


def ids(reports: dict, *names: str) -> set[str]:
    return {str(reports[name].id) for name in names}


def test_a_plain_date_is_that_day_at_each_report_s_site(signed_in, world, near_midnight):
    day = {"observed_from": "2026-11-20", "observed_to": "2026-11-20"}
    assert found(signed_in, world["officer"], **day) == ids(near_midnight, "akl_20th", "lax_20th")


def test_a_plain_date_with_a_site_is_that_site_s_day(signed_in, world, near_midnight):
    officer, day = world["officer"], {"observed_from": "2026-11-20", "observed_to": "2026-11-20"}
    assert found(signed_in, officer, site_id=world["akl"].id, **day) == ids(
        near_midnight, "akl_20th"
    )
    assert found(signed_in, officer, site_id=world["lax"].id, **day) == ids(
        near_midnight, "lax_20th"
    )


def test_from_a_date_and_up_to_a_date_each_in_the_site_s_zone(signed_in, world, near_midnight):
    officer = world["officer"]
    assert found(signed_in, officer, observed_from="2026-11-20") == ids(
        near_midnight, "akl_20th", "akl_21st", "lax_20th"
    )
    assert found(signed_in, officer, observed_to="2026-11-19") == ids(near_midnight, "lax_19th")
    assert found(signed_in, officer, observed_from="2026-11-21") == ids(near_midnight, "akl_21st")


def test_a_date_and_a_time_mix(signed_in, world, near_midnight):
    params = {"observed_from": "2026-11-20", "observed_to": "2026-11-20T12:00:00Z"}
    assert found(signed_in, world["officer"], **params) == ids(near_midnight, "akl_20th")


def test_times_with_offsets_are_instants_whatever_the_site(signed_in, world, near_midnight):
    params = {"observed_from": "2026-11-20T00:00:00Z", "observed_to": "2026-11-21T00:00:00Z"}
    assert found(signed_in, world["officer"], **params) == ids(
        near_midnight, "akl_21st", "lax_19th"
    )


def test_a_site_limited_officer_gets_the_days_of_their_site(signed_in, world, near_midnight):
    day = {"observed_from": "2026-11-20", "observed_to": "2026-11-20"}
    assert found(signed_in, world["akl_officer"], **day) == ids(near_midnight, "akl_20th")


def test_a_date_on_a_site_one_may_not_see_finds_nothing(signed_in, world, near_midnight):
    response = signed_in(
        world["akl_officer"], "/api/queue", site_id=world["lax"].id, observed_from="2026-11-20"
    )
    assert response.status_code == 200 and response.json["items"] == []


def test_a_day_across_a_daylight_saving_change_is_its_real_length(signed_in, world):
    # Los Angeles falls back on Sunday 1 November 2026: that day has 25 hours.
    lax = world["lax"]
    first = make_report(lax, observed_at=at(LOS_ANGELES, 2026, 11, 1, 0, 10))
    last = make_report(lax, observed_at=at(LOS_ANGELES, 2026, 11, 1, 23, 50))
    make_report(lax, observed_at=at(LOS_ANGELES, 2026, 11, 2, 0, 10))
    make_report(lax, observed_at=at(LOS_ANGELES, 2026, 10, 31, 23, 50))
    day = {"observed_from": "2026-11-01", "observed_to": "2026-11-01"}
    assert found(signed_in, world["officer"], **day) == {str(first.id), str(last.id)}


@pytest.mark.parametrize(
    "value", ["2026-02-30", "2026-11-2", "1899-12-31", "9999-01-01", "2026-11-20T09:00:00"]
)
def test_a_bad_date_is_a_field_error(signed_in, world, value):
    for field in ("observed_from", "observed_to"):
        response = signed_in(world["officer"], "/api/queue", **{field: value})
        assert response.status_code == 422, (field, value)
        assert response.mimetype == "application/problem+json"
        assert list(response.json["errors"]) == [field], response.json


def test_the_openapi_document_says_what_a_plain_date_means(client):
    parameters = client.get("/api/openapi.json").json["paths"]["/api/queue"]["get"]["parameters"]
    observed_from = next(p for p in parameters if p["name"] == "observed_from")
    assert "time zone" in observed_from["description"]
    assert {"format": "date", "type": "string"} in observed_from["schema"]["anyOf"]


def monday_in(zone: str, now: datetime) -> date:
    """The Monday of this week in zone."""
    today = now.astimezone(ZoneInfo(zone)).date()
    return today - timedelta(days=today.weekday())


def expected_weeks(*zones: str) -> list[date]:
    """The overview's twelve Mondays: this week where it began first, and the eleven before."""
    last = max(monday_in(zone, utcnow()) for zone in zones)
    return [last - timedelta(weeks=n) for n in range(11, -1, -1)]


def weekly(signed_in, user) -> dict:
    response = signed_in(user, "/api/overview")
    assert response.status_code == 200, response.json
    return response.json["weekly"]


def series(body: dict) -> dict[str, list[int]]:
    return {s["category"]: s["counts"] for s in body["categories"]}


def test_each_report_counts_in_its_own_site_s_local_week(signed_in, world):
    weeks = expected_weeks(AUCKLAND, LOS_ANGELES)
    monday = weeks[-4]
    near = timedelta(minutes=30)
    akl, lax = world["akl"], world["lax"]
    akl_start = datetime.combine(monday, datetime.min.time(), ZoneInfo(AUCKLAND))
    lax_start = datetime.combine(monday, datetime.min.time(), ZoneInfo(LOS_ANGELES))
    # Monday 00:30 in Auckland is Sunday in UTC; Sunday 23:30 in Los Angeles is Monday in UTC.
    make_report(akl, observed_at=akl_start + near, queue_category="work_at_height")
    make_report(akl, observed_at=akl_start - near, queue_category="work_at_height")
    make_report(lax, observed_at=lax_start - near, queue_category="environmental_release")
    make_report(lax, observed_at=lax_start + near, queue_category="environmental_release")
    # Just before the first week at its site: not counted.
    first = datetime.combine(weeks[0], datetime.min.time(), ZoneInfo(LOS_ANGELES))
    make_report(lax, observed_at=first - near, queue_category="environmental_release")

    body = weekly(signed_in, world["officer"])
    assert body["weeks"] == [week.isoformat() for week in weeks]
    one_each = [0] * 7 + [1, 1, 0, 0, 0]
    assert series(body) == {"work_at_height": one_each, "environmental_release": one_each}


def test_weeks_of_one_site_are_its_own_mondays(signed_in, world):
    akl = world["akl"]
    weeks = expected_weeks(AUCKLAND)
    start = datetime.combine(weeks[-1], datetime.min.time(), ZoneInfo(AUCKLAND))
    make_report(akl, observed_at=start + timedelta(minutes=1))
    make_report(akl, observed_at=start - timedelta(minutes=1))
    make_report(world["lax"], observed_at=start + timedelta(minutes=1))

    body = weekly(signed_in, world["akl_officer"])
    assert body["weeks"] == [week.isoformat() for week in weeks]
    assert series(body) == {"uncategorised": [0] * 10 + [1, 1]}


def test_overdue_items_carry_their_site_s_zone(signed_in, world):
    report = triaged(make_report(world["akl"], severity=5, likelihood=5))
    report.queue_due_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    items = signed_in(world["officer"], "/api/overview").json["overdue"]["items"]
    assert [(item["id"], item["site_time_zone"]) for item in items] == [(str(report.id), AUCKLAND)]


def test_triage_says_the_due_day_and_time_at_the_site(signed_in, world):
    received = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    report = triaged(make_report(world["akl"], severity=5, likelihood=5, received_at=received))
    triage = signed_in(world["officer"], f"/api/reports/{report.id}/triage").json
    assert triage["priority"] == "P1"
    # 24 hours after 08:00 UTC on the 20th is 21:00 on Saturday the 21st in Auckland.
    assert triage["reasons"]["due_at"] == [
        "P1: 24 h from receipt under the default SLA: due Sat 21 Nov 2026 21:00 Pacific/Auckland"
    ]


def test_the_weekly_counts_read_one_index_range(app, signed_in, world):
    statements = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if "GROUP BY" in statement and "observed_at" in statement:
            statements.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", keep)
    try:
        weekly(signed_in, world["officer"])
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", keep)
    ((statement, parameters),) = statements
    sqlite = db.engine.dialect.name == "sqlite"
    with db.engine.connect() as connection:
        if not sqlite:
            # An empty table is read whole anyway: ask whether the index can serve at all.
            connection.exec_driver_sql("SET enable_seqscan = off")
        prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
        plan = " ".join(
            str(row) for row in connection.exec_driver_sql(prefix + statement, parameters)
        )
    assert "ix_report_weeks" in plan
    assert "observed_at>?" in plan if sqlite else "observed_at >=" in plan
