"""Reports and NCs are written line by line by the database (server.exports.sqlcells): each
line must be what the csv module and json.dumps write from the same values in Python, for
hostile text too, on both databases."""

import csv
import io
import json
import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update

from server.auth.access import actor_for
from server.exports.cells import cell, plain
from server.exports.scope import export_scope
from server.exports.tables import NC_COLUMNS, REPORT_COLUMNS, TABLES_BY_NAME
from server.extensions import db
from server.media.attachments import attach
from server.media.models import Photo
from server.nonconformities.models import Nonconformity
from server.reports.models import Report
from tests.audits.conftest import make_template
from tests.exports.conftest import parse_csv, period
from tests.factories import make_stored_report

HOSTILE = [
    "=cmd|' /C calc'!A0",
    "'=already escaped",
    "''+two apostrophes",
    "'plain apostrophe",
    "+1",
    "-2+3",
    "@SUM(1)",
    "\tleading tab",
    "\rleading return",
    'quote " inside, and a comma',
    "line\nbreak and\r\nCRLF",
    "back\\slash and \"quotes\" and 'single'",
    "bell \x07 escape \x1b unit \x1f",
    "non-ASCII: Łódź ĐĆ ı € 😀 \u2028 \u2029 \u00a0",
    "",
    " leading space",
    "trailing comma,",
]
DAY = date(2026, 3, 5)


def _csv_line(values: list) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([cell(value) for value in values])
    return buffer.getvalue()


def _json_line(columns: tuple, values: list) -> str:
    record = {name: plain(value) for name, value in zip(columns, values, strict=True)}
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def _lines(table: str, form: str, actor) -> list[str]:
    scope = export_scope(actor, date(2026, 3, 1), date(2026, 3, 31))
    stmt = TABLES_BY_NAME[table].lines(scope, form)
    return [row[0] for row in db.session.execute(stmt)]


def _photos(organization, count: int) -> list[str]:
    hashes = [f"{n:x}" * 64 for n in range(count)]
    for sha in hashes:
        db.session.add(
            Photo(
                organization_id=organization.id,
                sha256=sha[:64],
                content_type="image/jpeg",
                size_bytes=10,
                width=1,
                height=1,
            )
        )
    db.session.flush()
    return [sha[:64] for sha in hashes]


def _attach(organization, kind: str, record_pk: int, hashes: list[str]) -> None:
    rows = [
        {"sha256": sha, "content_type": "image/jpeg", "width": 1, "height": 1} for sha in hashes
    ]
    attach(organization.id, kind, {record_pk: rows})


def _report_values(report: Report) -> list:
    reporter = report.reporter
    return [
        report.id,
        report.site.code,
        report.site.name,
        report.kind,
        report.observed_at,
        report.received_at,
        reporter.name if reporter else None,
        reporter.email if reporter else None,
        report.description,
        report.severity,
        report.likelihood,
        report.status,
        report.queue_category,
        report.closed_at,
    ]


def test_report_lines_are_the_csv_modules_and_jsons(app, plant):
    photos = _photos(plant.organization, 3)
    made = []
    for n, text in enumerate(HOSTILE):
        report = make_stored_report(
            plant.north if n % 2 else plant.south,
            reporter=plant.worker if n % 3 else None,
            description=text,
            observed_at=datetime(2026, 3, 5, 8, n, 30, 999999, tzinfo=UTC),
            commit=False,
        )
        made.append(report)
    db.session.flush()
    first, second = made[0], made[1]
    first.severity, first.likelihood, first.queue_category = 5, 1, "=machinery"
    second.closed_at = datetime(2026, 3, 6, 23, 59, 59, 500000, tzinfo=UTC)
    _attach(plant.organization, "report", first.pk, [photos[2], photos[0], photos[1]])
    _attach(plant.organization, "report", second.pk, photos[1:2])
    db.session.commit()
    shown = {first.pk: [photos[2], photos[0], photos[1]], second.pk: photos[1:2]}
    plant.north.name = 'North "Plant", = 1'
    db.session.commit()

    actor = actor_for(plant.officer.memberships[0])
    expected = [[*_report_values(r), shown.get(r.pk, [])] for r in made]
    assert _lines("reports", "csv", actor) == [_csv_line(values) for values in expected]
    assert _lines("reports", "json", actor) == [
        _json_line(REPORT_COLUMNS, values) for values in expected
    ]


def test_nul_in_text_is_written_as_a_replacement_character(app, plant):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL refuses NUL in text")
    report = make_stored_report(
        plant.north, observed_at=datetime(2026, 3, 5, 9, tzinfo=UTC), description="x"
    )
    db.session.execute(
        update(Report).where(Report.pk == report.pk).values(description="=nul \x00 inside")
    )
    db.session.commit()
    actor = actor_for(plant.officer.memberships[0])
    pieces = b"".join(TABLES_BY_NAME["reports"].csv(_scope(actor)))
    assert "'=nul \ufffd inside" in pieces.decode("utf-8")
    lines = b"".join(TABLES_BY_NAME["reports"].json_lines(_scope(actor))).decode("utf-8")
    assert json.loads(lines)["description"] == "=nul \ufffd inside"


def _scope(actor):
    return export_scope(actor, date(2026, 3, 1), date(2026, 3, 31))


def _nc_values(nc: Nonconformity) -> list:
    cause = nc.root_cause or {}
    return [
        nc.id,
        nc.site.code,
        nc.site.name,
        nc.title,
        nc.source,
        None,
        nc.clause,
        nc.category,
        nc.severity,
        nc.status,
        nc.description,
        nc.containment,
        cause.get("method"),
        cause.get("statement"),
        nc.created_at,
        None,
        nc.verify_after,
        nc.verified_at,
        None,
        nc.checks or 0,
        nc.effective,
    ]


def test_nc_lines_are_the_csv_modules_and_jsons(app, plant):
    photos = _photos(plant.organization, 2)
    made = []
    for n, text in enumerate(HOSTILE):
        nc = Nonconformity(
            id=uuid.uuid4(),
            organization_id=plant.organization.id,
            site_id=plant.north.id,
            title=text or "t",
            description=text,
            severity="major" if n % 2 else "minor",
            source="other",
            clause=text[:20] or None,
            containment=text if n % 2 else None,
            root_cause={"method": "5whys", "whys": ["a"], "statement": text} if n % 3 else None,
            status="open",
            checks=n if n % 4 else 0,
            effective=(None, True, False)[n % 3],
            verify_after=datetime(2026, 4, 1, 12, tzinfo=UTC) if n % 2 else None,
            created_at=datetime(2026, 3, 5, 8, n, 1, tzinfo=UTC),
            changed_at=datetime(2026, 3, 5, 8, n, 1, tzinfo=UTC),
            content_hash="0" * 64,
        )
        db.session.add(nc)
        made.append(nc)
    db.session.flush()
    _attach(plant.organization, "nonconformity", made[0].pk, photos)
    _attach(plant.organization, "nonconformity_check", made[0].pk, photos[1:])
    db.session.commit()

    actor = actor_for(plant.officer.memberships[0])
    expected = []
    for nc in made:
        photos_of = photos if nc is made[0] else []
        checks_of = photos[1:] if nc is made[0] else []
        expected.append([*_nc_values(nc), nc.closed_at, nc.cancel_reason, photos_of, checks_of])
    assert _lines("nonconformities", "csv", actor) == [_csv_line(v) for v in expected]
    assert _lines("nonconformities", "json", actor) == [
        _json_line(NC_COLUMNS, values) for values in expected
    ]


def test_audit_lines_carry_hostile_question_text_and_the_score(app, plant, person):
    sections = [
        {
            "ref": "7",
            "title": "Support",
            "questions": [
                {"ref": "=7.1", "text": 'Guard "fitted", =SUM(1)\nsecond line'},
                {"ref": "7.2", "text": "@risk, plain"},
            ],
        }
    ]
    template = make_template(plant.organization, name='=Hostile, "template"', sections=sections)
    db.session.commit()
    audit = person(plant.officer).audit(template, plant.north, {"=7.1": "minor_nc"})
    actor = actor_for(plant.officer.memberships[0])
    scope = export_scope(actor, *(date.fromisoformat(day) for day in period().values()))
    table = TABLES_BY_NAME["audits"]
    _, rows = parse_csv(b"".join(table.csv(scope)))
    assert [(row["question_ref"], row["question"], row["current"]) for row in rows] == [
        ("'=7.1", 'Guard "fitted", =SUM(1)\nsecond line', "yes"),
        ("7.2", "'@risk, plain", "yes"),
    ]
    assert {row["template"] for row in rows} == {'\'=Hostile, "template"'}
    assert {row["score"] for row in rows} == {repr(float(audit["score"]["overall"]))}
    lines = b"".join(table.json_lines(scope)).decode("utf-8").splitlines()
    objects = [json.loads(line) for line in lines]
    assert [(o["question_ref"], o["question"]) for o in objects] == [
        ("=7.1", 'Guard "fitted", =SUM(1)\nsecond line'),
        ("7.2", "@risk, plain"),
    ]
    assert {o["score"] for o in objects} == {float(audit["score"]["overall"])}
    assert {o["audit_id"] for o in objects} == {audit["id"]}
