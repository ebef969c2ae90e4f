"""CSV exports of reports, NCs, actions and audit answers, read back with the csv module."""

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text, update

from server.extensions import db
from server.nonconformities.models import Action, Nonconformity
from server.reports.models import Report
from tests.exports.conftest import parse_csv, period, today
from tests.factories import make_stored_report

ISO_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
HOSTILE = ["=cmd|' /C calc'!A0", "+1", "@SUM(1)", "-2+3"]


def export(person, user, table: str, **params):
    response = person(user).get(f"/api/exports/{table}.csv", **params)
    assert response.status_code == 200, response.json
    assert response.mimetype == "text/csv"
    return parse_csv(response.get_data())


def test_reports_come_with_one_header_iso_times_and_their_photos(person, plant):
    worker = person(plant.worker)
    photo = worker.photo(1)
    item = worker.report(plant.north, "2026-03-10T09:30:00+01:00", photos=[photo], severity=4)
    header, rows = export(
        person, plant.officer, "reports", **{"from": "2026-03-01", "to": "2026-03-31"}
    )
    assert header[:4] == ["id", "site", "site_name", "kind"]
    [row] = rows
    assert row["id"] == item["id"]
    assert row["site"] == "NORTH" and row["site_name"] == "North Plant"
    assert row["observed_at"] == "2026-03-10T08:30:00Z"
    assert ISO_MOMENT.fullmatch(row["received_at"])
    assert row["reporter_email"] == plant.worker.email
    assert row["severity"] == "4" and row["likelihood"] == "4"
    assert row["photos"] == photo
    assert row["description"] == item["description"]


def test_the_period_is_inclusive_in_each_sites_own_days(person, plant):
    worker = person(plant.worker)
    # North keeps UTC; South's days are Berlin's (one hour ahead in March).
    inside = [
        worker.report(plant.north, "2026-03-01T00:00:00Z"),
        worker.report(plant.north, "2026-03-31T23:59:59Z"),
        worker.report(plant.south, "2026-02-28T23:30:00Z"),  # 1 March, 00:30 in Berlin
    ]
    outside = [
        worker.report(plant.north, "2026-02-28T23:59:59Z"),
        worker.report(plant.north, "2026-04-01T00:00:00Z"),
        worker.report(plant.south, "2026-03-31T22:30:00Z"),  # 1 April, 00:30 in Berlin
    ]
    _, rows = export(person, plant.officer, "reports", **{"from": "2026-03-01", "to": "2026-03-31"})
    assert {row["id"] for row in rows} == {item["id"] for item in inside}
    assert not {row["id"] for row in rows} & {item["id"] for item in outside}
    # In the order observed.
    assert [row["observed_at"] for row in rows] == sorted(row["observed_at"] for row in rows)


def test_one_site_and_the_sites_of_a_site_officer(person, plant):
    worker = person(plant.worker)
    north = worker.report(plant.north, "2026-03-05T10:00:00Z")
    south = worker.report(plant.south, "2026-03-05T10:00:00Z")
    march = {"from": "2026-03-01", "to": "2026-03-31"}
    _, rows = export(person, plant.officer, "reports", site_id=plant.north.id, **march)
    assert [row["id"] for row in rows] == [north["id"]]
    _, rows = export(person, plant.south_officer, "reports", **march)
    assert [row["id"] for row in rows] == [south["id"]]
    # North is not one of the South officer's sites: as if it did not exist.
    assert (
        person(plant.south_officer)
        .get("/api/exports/reports.csv", site_id=plant.north.id, **march)
        .status_code
        == 404
    )


def test_another_organization_is_never_included_and_its_site_is_a_404(person, plant):
    person(plant.other_worker).report(plant.other_site, "2026-03-05T10:00:00Z")
    mine = person(plant.worker).report(plant.north, "2026-03-05T10:00:00Z")
    march = {"from": "2026-03-01", "to": "2026-03-31"}
    for table in ("reports", "nonconformities", "actions", "audits"):
        _, rows = export(person, plant.officer, table, **march)
        assert all(row.get("site") != "ELSE" for row in rows)
        response = person(plant.officer).get(
            f"/api/exports/{table}.csv", site_id=plant.other_site.id, **march
        )
        assert response.status_code == 404
    _, rows = export(person, plant.officer, "reports", **march)
    assert [row["id"] for row in rows] == [mine["id"]]


def test_hostile_cells_are_neutralised_and_numbers_stay_numbers(person, plant):
    worker = person(plant.worker)
    for text_value in HOSTILE:
        worker.report(plant.north, "2026-03-05T10:00:00Z", description=text_value, severity=2)
    response = person(plant.officer).get(
        "/api/exports/reports.csv", **{"from": "2026-03-01", "to": "2026-03-31"}
    )
    _, rows = parse_csv(response.get_data())
    assert sorted(row["description"] for row in rows) == sorted("'" + value for value in HOSTILE)
    for row in rows:
        assert row["severity"] == "2"
    # Numbers are written bare: no apostrophe, no quotes.
    body = response.get_data().decode("utf-8")
    assert ",2,4," in body and "'2" not in body


def test_a_cell_is_neutralised_only_when_it_is_text():
    from server.exports.cells import cell

    assert [cell(value) for value in ("\tx", "\rx", "=1", "'=1", "plain")] == [
        "'\tx",
        "'\rx",
        "'=1",
        "''=1",
        "plain",
    ]
    assert [cell(value) for value in (-2, 3, 1.5, True, None, ["a", "b"])] == [
        -2,
        3,
        1.5,
        "yes",
        "",
        "a b",
    ]


def test_control_characters_never_break_the_file(person, plant):
    stored = make_stored_report(plant.north, description="bell \x07 and escape \x1b inside")
    if db.engine.dialect.name == "sqlite":  # PostgreSQL refuses NUL in text
        db.session.execute(
            update(Report).where(Report.pk == stored.pk).values(description="nul \x00 inside")
        )
        db.session.commit()
    _, rows = export(person, plant.officer, "reports", **period())
    [row] = rows
    assert row["description"] in ("bell \x07 and escape \x1b inside", "nul \ufffd inside")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"to": "2026-03-31"}, "from"),
        ({"from": "2026-03-01"}, "to"),
        ({"from": "2026-13-01", "to": "2026-03-31"}, "from"),
        ({"from": "0001-01-01", "to": "2026-03-31"}, "from"),
        ({"from": "2026-03-01", "to": "2026-03-31\x00"}, "to"),
        ("from=2026-03-01&to=2026-03-%ED%A0%80", "to"),
        ("from=2026-03-01&to=2026-03-%FF%FE", "to"),
        ({"from": "2026-03-31", "to": "2026-03-01"}, "to"),
        ({"from": "2026-03-01", "to": "2026-03-31", "site_id": str(2**63)}, "site_id"),
        ({"from": "2026-03-01", "to": "2026-03-31", "site_id": "1\x00"}, "site_id"),
        ({"from": "2026-03-01", "to": "2026-03-31", "site_id": "x"}, "site_id"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(person, plant, params, field):
    officer = person(plant.officer)
    for table in ("reports", "audits"):
        url = f"/api/exports/{table}.csv"
        if isinstance(params, str):  # bytes that are no UTF-8, as a browser may send them
            response = officer.client.get(f"{url}?{params}")
        else:
            response = officer.get(url, **params)
        assert response.status_code == 422, response.get_data()
        assert field in response.json["errors"], response.json


def test_workers_and_auditors_may_not_export(person, plant):
    for user in (plant.worker, plant.auditor):
        for table in ("reports", "nonconformities", "actions", "audits"):
            response = person(user).get(f"/api/exports/{table}.csv", **period())
            assert response.status_code == 403


def _nc_with_done_action(officer, plant, photo=None, **nc_fields):
    nc = officer.nc(plant.north, **nc_fields)
    officer.root_cause(nc)
    action = officer.plan(nc, plant.officer, due_on=today().isoformat())
    officer.done(action, photos=[photo] if photo else [])
    return nc, action


def test_nonconformities_with_their_root_cause_and_effectiveness(person, plant):
    officer = person(plant.officer)
    checked, _ = _nc_with_done_action(officer, plant, title="Oil on the floor")
    officer.verify(checked, effective=True)
    later = officer.nc(plant.south, severity="major", clause="8.1.2", title="@Guard missing")
    old = officer.nc(plant.north, title="Last year")
    db.session.execute(
        update(Nonconformity)
        .where(Nonconformity.id == uuid.UUID(old["id"]))
        .values(created_at=datetime.now(UTC) - timedelta(days=400))
    )
    db.session.commit()
    header, rows = export(person, plant.officer, "nonconformities", **period())
    assert "root_cause" in header and "effective" in header
    by_id = {row["id"]: row for row in rows}
    assert set(by_id) == {checked["id"], later["id"]}
    done = by_id[checked["id"]]
    assert done["status"] == "closed" and done["effective"] == "yes" and done["checks"] == "1"
    assert done["root_cause"] == "No preventive maintenance plan for the press seals."
    assert done["root_cause_method"] == "5whys"
    assert ISO_MOMENT.fullmatch(done["raised_at"]) and ISO_MOMENT.fullmatch(done["verified_at"])
    major = by_id[later["id"]]
    assert major["title"] == "'@Guard missing"
    assert (major["severity"], major["clause"], major["site"]) == ("major", "8.1.2", "SOUTH")
    assert major["effective"] == "" and major["verified_at"] == ""


def test_actions_say_where_they_come_from_and_whether_they_were_on_time(person, plant):
    officer = person(plant.officer)
    photo = officer.photo(7)
    nc, done = _nc_with_done_action(officer, plant, photo=photo)
    late = officer.plan(nc, plant.worker, due_on=(today() + timedelta(days=1)).isoformat())
    # Planned for tomorrow, and now two days late (a day cannot be planned in the past).
    db.session.execute(
        update(Action)
        .where(Action.id == uuid.UUID(late["id"]))
        .values(due_on=today() - timedelta(days=2))
    )
    db.session.commit()
    coming = officer.plan(nc, plant.worker, due_on=(today() + timedelta(days=3)).isoformat())
    _, rows = export(person, plant.officer, "actions", **period(days_on=5))
    by_id = {row["id"]: row for row in rows}
    assert set(by_id) == {done["id"], late["id"], coming["id"]}
    assert by_id[done["id"]]["nonconformity_id"] == nc["id"]
    assert by_id[done["id"]]["review_id"] == ""
    assert (by_id[done["id"]]["status"], by_id[done["id"]]["on_time"]) == ("done", "yes")
    assert by_id[done["id"]]["photos"] == photo
    assert (by_id[late["id"]]["status"], by_id[late["id"]]["on_time"]) == ("open", "no")
    assert by_id[coming["id"]]["on_time"] == ""
    assert by_id[done["id"]]["due_on"] == today().isoformat()
    # Due or done in the period only.
    _, rows = export(
        person, plant.officer, "actions", **{"from": today().isoformat(), "to": today().isoformat()}
    )
    assert [row["id"] for row in rows] == [done["id"]]


def test_audits_give_one_row_per_answer_in_the_templates_order(person, plant):
    officer = person(plant.officer)
    photo = officer.photo(9)
    audit = officer.audit(plant.template, plant.north, {"7.1": "minor_nc"}, photos=[photo])
    # A second answer to 4.1 after sign-off is impossible; answer 4.2 twice before another one.
    header, rows = export(person, plant.officer, "audits", **period())
    assert header[:3] == ["audit_id", "site", "site_name"]
    assert [row["question_ref"] for row in rows] == ["4.1", "4.2", "7.1", "7.2", "9.1"]
    assert {row["audit_id"] for row in rows} == {audit["id"]}
    finding = rows[2]
    assert (finding["clause"], finding["result"], finding["current"]) == ("7", "minor_nc", "yes")
    assert finding["question"] == "Are guards fitted?"
    assert finding["photos"] == photo and finding["notes"] == "Seen on the floor"
    assert finding["template"] == "Plant audit" and finding["template_version"] == "1"
    assert ISO_MOMENT.fullmatch(finding["answered_at"]) and ISO_MOMENT.fullmatch(
        finding["signed_at"]
    )


def test_every_answer_is_a_row_and_the_latest_counts(person, plant, client):
    officer = person(plant.officer)
    started = officer.post(
        "/api/audits",
        {
            "id": "5a1f9a61-6f0e-4c55-9a0e-6f0b1d0e1f01",
            "template_id": str(plant.template.id),
            "site_id": plant.south.id,
        },
    ).json
    questions = [q for s in started["template"]["sections"] for q in s["questions"]]
    first = datetime.now(UTC) - timedelta(minutes=5)
    items = [
        {
            "id": f"5a1f9a61-6f0e-4c55-9a0e-6f0b1d0e2f{n:02}",
            "audit_id": started["id"],
            "question_id": q["id"],
            "result": "conforming",
            "notes": None,
            "photos": [],
            "answered_at": first.isoformat(),
        }
        for n, q in enumerate(questions)
    ]
    changed = {
        **items[0],
        "id": "5a1f9a61-6f0e-4c55-9a0e-6f0b1d0e3f00",
        "result": "observation",
        "notes": "Only in draft",
        "answered_at": (first + timedelta(minutes=1)).isoformat(),
    }
    assert client.post("/api/sync", json={"responses": [*items, changed]}).status_code == 200
    assert (
        officer.post(
            f"/api/audits/{started['id']}/submit", {"signed_at": datetime.now(UTC).isoformat()}
        ).status_code
        == 200
    )
    _, rows = export(person, plant.officer, "audits", **period())
    assert [(row["question_ref"], row["result"], row["current"]) for row in rows[:2]] == [
        ("4.1", "conforming", "no"),
        ("4.1", "observation", "yes"),
    ]
    assert len(rows) == len(questions) + 1


def test_unsigned_audits_and_other_periods_are_left_out(person, plant):
    officer = person(plant.officer)
    officer.post(
        "/api/audits",
        {
            "id": "5a1f9a61-6f0e-4c55-9a0e-6f0b1d0e1f02",
            "template_id": str(plant.template.id),
            "site_id": plant.north.id,
        },
    )
    officer.audit(plant.template, plant.north, {})
    _, rows = export(person, plant.officer, "audits", **period())
    assert len(rows) == 5
    _, rows = export(person, plant.officer, "audits", **{"from": "2020-01-01", "to": "2020-12-31"})
    assert rows == []


def test_an_export_of_nothing_is_its_header(person, plant):
    for table in ("reports", "nonconformities", "actions", "audits"):
        response = person(plant.officer).get(
            f"/api/exports/{table}.csv", **{"from": "2020-01-01", "to": "2020-01-31"}
        )
        body = response.get_data().decode("utf-8")
        assert body.startswith("\ufeff") and body.count("\r\n") == 1
        assert (
            f'filename="{table}-2020-01-01-to-2020-01-31.csv"'
            in response.headers["Content-Disposition"]
        )
    with_site = person(plant.officer).get(
        "/api/exports/reports.csv",
        site_id=plant.south.id,
        **{"from": "2020-01-01", "to": "2020-01-31"},
    )
    assert (
        'filename="reports-SOUTH-2020-01-01-to-2020-01-31.csv"'
        in with_site.headers["Content-Disposition"]
    )


def test_rows_are_read_in_batches_not_whole(person, plant):
    """More reports than one batch: every one comes, each once, in order."""
    from server.exports.tables import BATCH

    for n in range(BATCH + 7):
        make_stored_report(
            plant.north,
            description=f"Report {n}",
            observed_at=datetime(2026, 3, 1, tzinfo=UTC) + timedelta(minutes=n),
            commit=False,
        )
    db.session.commit()
    _, rows = export(person, plant.officer, "reports", **{"from": "2026-03-01", "to": "2026-03-31"})
    assert [row["description"] for row in rows] == [f"Report {n}" for n in range(BATCH + 7)]
    assert db.session.execute(text("SELECT 1")).scalar() == 1


def test_an_action_from_a_management_review_names_its_review(person, plant):
    from server.nonconformities.models import Action as ActionModel
    from server.reviews.models import Review

    review = Review(
        id=uuid.uuid4(),
        organization_id=plant.organization.id,
        title="Management review 2026 Q1",
        period_start=today() - timedelta(days=90),
        period_end=today(),
        status="held",
        held_on=today(),
        content_hash="0" * 64,
    )
    db.session.add(review)
    db.session.flush()
    action = ActionModel(
        id=uuid.uuid4(),
        organization_id=plant.organization.id,
        site_id=plant.south.id,
        review_pk=review.pk,
        title="Audit every site each quarter",
        kind="preventive",
        control="administrative",
        owner_id=plant.officer.id,
        due_on=today(),
        content_hash="0" * 64,
    )
    db.session.add(action)
    db.session.commit()
    _, rows = export(person, plant.officer, "actions", **period())
    [row] = rows
    assert (row["id"], row["review_id"], row["nonconformity_id"]) == (
        str(action.id),
        str(review.id),
        "",
    )
    assert (row["site"], row["on_time"], row["status"]) == ("SOUTH", "", "open")
