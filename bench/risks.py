"""Register bench: the register page, the heat map and link suggestions over 20 sites x 5,000
entries, and a 5,000-row CSV import beside a bare COPY of the same rows.

Makes a fresh database (SQLite in a temporary folder, or a new PostgreSQL database that it drops
at the end), migrates it, and bulk-inserts one organization with 20 sites, an officer and 50
owners, and 5,000 register entries per site (each with its first history row): risks and a few
opportunities in the triage categories, texts as people write them, ratings weighted to the
middle of the matrix, one in ten archived, some due for review; and a report per site with its
triage category. Then, through the real endpoints with Flask's test client signed in as the
officer, it times each case (a site's register, first page and one residual band; the heat map
of a site and of every site; the link suggestions for a site's new report): p50 and p95 in ms
against the goal of 100 ms. An endpoint the app does not have (yet) is listed as missing.

Then the import: a file of 5,000 new entries for one site, POSTed to /api/risks/import and timed
with its SQL statements, beside a bare load of the same file into a scratch table (COPY on
PostgreSQL, executemany on SQLite) in the same run; the same file again (nothing new: it was
imported); and the site's register exported, every severity changed, and imported again (5,000
reviews).

    .venv/bin/python -m bench.risks
    .venv/bin/python -m bench.risks --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

import argparse
import csv
import io
import random
import secrets
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import flask_migrate
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import make_url
from werkzeug.exceptions import MethodNotAllowed, NotFound

from bench.actions import counted_statements
from bench.common import add_database_option, bench_app, fresh_database, parse_with_database
from bench.desk_queue import PASSWORD, TEMPLATES, measure, pick, sign_in
from server.auth.models import Membership, User
from server.extensions import db
from server.nonconformities.models import CONTROLS
from server.orgs.models import Organization, Site
from server.reports.models import Report
from server.risks import spreadsheet
from server.risks.models import Risk, RiskReview

GOAL_MS = 100.0
IMPORT_GOAL_S = 5.0
SEED = 6001
CHUNK = 5000
OWNERS = 50
OFFICER = "officer@bench.test"
ACTIVITIES = (
    "Loading lorries at bay {n}",
    "Forklift work in aisle {n}",
    "Cleaning press {n}",
    "Maintenance on conveyor {n}",
    "Work on the roof of block {n}",
    "Storing chemicals in store {n}",
    "Refuelling at the fuel bay {n}",
    "Hot work in workshop {n}",
    "Manual sorting at line {n}",
    "Night shift in hall {n}",
)
WHO = ("Drivers and loaders", "Operators", "Maintenance fitters", "Contractors", "Visitors")
OPPORTUNITIES = (
    "Daylight sensors in hall {n} save power",
    "Reusable pallets at line {n} cut waste",
    "Heat recovery from compressor {n}",
)
CONTROL_TEXTS = ("Guard fitted", "Banksman", "Permit to work", "Training", "Gloves and goggles")
RATING_WEIGHTS = (10, 25, 35, 20, 10)


def parse_args() -> argparse.Namespace:
    """The bench's options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=20, help="sites (20)")
    parser.add_argument("--per-site", type=int, default=5000, help="entries per site (5000)")
    parser.add_argument("--import-rows", type=int, default=5000, help="rows imported (5000)")
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each case (30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs of each first (3)")
    add_database_option(parser)
    return parse_with_database(parser)


# --- the data -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Plant:
    """What the seeding made that the cases need."""

    organization_id: int
    site_ids: list[int]
    site_codes: list[str]
    owners: list[tuple[int, str]]
    report_ids: list[uuid.UUID]


def seed_people(sites: int) -> Plant:
    """The organization, its sites, the officer who signs in and the owners of entries."""
    organization = Organization(name="Bench Register Works")
    made = [
        Site(organization=organization, code=f"S{n:02}", name=f"Site {n}") for n in range(sites)
    ]
    officer = User(email=OFFICER, name="Officer")
    officer.set_password(PASSWORD)
    owners = [User(email=f"owner{n}@bench.test", name=f"Owner {n}") for n in range(OWNERS)]
    for user in owners:
        user.password_hash = officer.password_hash  # hashing 50 times would be the seed's cost
    db.session.add(Membership(user=officer, organization=organization, role="officer"))
    for user in owners:
        db.session.add(Membership(user=user, organization=organization, role="worker"))
    db.session.add_all(made)
    db.session.commit()
    return Plant(
        organization.id,
        [site.id for site in made],
        [site.code for site in made],
        [(user.id, user.email) for user in owners],
        [],
    )


def _rating(rng: random.Random) -> int:
    return rng.choices(range(1, 6), RATING_WEIGHTS)[0]


def risk_row(rng: random.Random, plant: Plant, site_id: int, number: int, today: date) -> dict:
    """One entry as the register keeps it."""
    opportunity = rng.random() < 0.08
    category, template, _ = pick(rng, TEMPLATES)
    hazard = rng.choice(OPPORTUNITIES) if opportunity else template
    severity, likelihood = _rating(rng), _rating(rng)
    controls = [
        {"text": rng.choice(CONTROL_TEXTS), "control": rng.choice(CONTROLS)}
        for _ in range(rng.randint(0, 3))
    ]
    now = datetime.now(UTC)
    return {
        "id": uuid.uuid4(),
        "organization_id": plant.organization_id,
        "site_id": site_id,
        "number": number,
        "kind": "opportunity" if opportunity else "risk",
        "activity": rng.choice(ACTIVITIES).format(n=rng.randint(1, 40)),
        "hazard": hazard.format(n=rng.randint(1, 60)),
        "who": rng.choice(WHO),
        "category": None if opportunity else category,
        "severity": severity,
        "likelihood": likelihood,
        "controls": controls,
        "residual_severity": max(1, severity - rng.randint(0, 2)),
        "residual_likelihood": max(1, likelihood - rng.randint(0, 3)),
        "owner_id": rng.choice(plant.owners)[0],
        "review_on": today + timedelta(days=rng.randint(-60, 365)),
        "review_reason": "incident" if rng.random() < 0.03 else None,
        "status": "archived" if rng.random() < 0.1 else "active",
        "created_by_id": None,
        "created_at": now,
        "content_hash": secrets.token_hex(32),
        "change_id": 0,
        "changed_at": now,
    }


def seed_register(plant: Plant, per_site: int) -> int:
    """per_site entries at every site, numbered in one sequence, each with its history row."""
    rng, today, number = random.Random(SEED), date.today(), 0
    rated = ("severity", "likelihood", "controls", "residual_severity", "residual_likelihood")
    for site_id in plant.site_ids:
        for first in range(0, per_site, CHUNK):
            rows = []
            for _ in range(min(CHUNK, per_site - first)):
                number += 1
                rows.append(risk_row(rng, plant, site_id, number, today))
            # Rows alike in which columns are NULL together: psycopg's batches break at each
            # change (one statement per run), so the seed takes a few statements a chunk.
            rows.sort(key=lambda row: (row["category"] is None, row["review_reason"] is None))
            pks = db.session.scalars(
                sa.insert(Risk).returning(Risk.pk, sort_by_parameter_order=True), rows
            ).all()
            history = [
                {
                    "risk_pk": pk,
                    "review_on": row["review_on"],
                    "reviewed_at": row["created_at"],
                    **{name: row[name] for name in rated},
                }
                for pk, row in zip(pks, rows, strict=True)
            ]
            db.session.execute(sa.insert(RiskReview), history)
            db.session.commit()
    return number


def seed_reports(plant: Plant) -> list[uuid.UUID]:
    """A new report at each site, with the category triage gave it."""
    rng, now, ids = random.Random(SEED + 1), datetime.now(UTC), []
    for site_id in plant.site_ids:
        category, template, _ = pick(rng, TEMPLATES)
        report = Report(
            id=uuid.uuid4(),
            organization_id=plant.organization_id,
            site_id=site_id,
            kind="hazard",
            description=template.format(n=rng.randint(1, 60)),
            observed_at=now,
            received_at=now,
            changed_at=now,
            status="triaged",
            queue_category=category,
            content_hash=secrets.token_hex(32),
        )
        db.session.add(report)
        ids.append(report.id)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
    return ids


# --- the endpoints ------------------------------------------------------------------------


def has_route(app: Flask, url: str) -> bool:
    """True when the app routes a GET of url to a view (the register's parts come in turns)."""
    try:
        app.url_map.bind("bench.local").match(url.split("?")[0], "GET")
    except (NotFound, MethodNotAllowed):
        return False
    return True


def cases(app: Flask, plant: Plant) -> tuple[dict[str, tuple], list[str]]:
    """Each case's name: (client, url); and the names of the cases with no endpoint yet."""
    officer, site = sign_in(app, OFFICER), plant.site_ids[len(plant.site_ids) // 2]
    wanted = {
        "register, a site's first page": f"/api/risks?site_id={site}",
        "register, a site's high residual": f"/api/risks?site_id={site}&band=high",
        "register, a site's review due": f"/api/risks?site_id={site}&review_due=true",
        "register, every site's first page": "/api/risks",
        "heat map, one site": f"/api/risks/heatmap?site_id={site}",
        "heat map, every site": "/api/risks/heatmap",
        "link suggestions, a new report": (
            f"/api/reports/{plant.report_ids[len(plant.report_ids) // 2]}/risk-suggestions"
        ),
    }
    found = {name: (officer, url) for name, url in wanted.items() if has_route(app, url)}
    return found, [name for name in wanted if name not in found]


# --- the import ---------------------------------------------------------------------------


def import_file(plant: Plant, rows: int) -> bytes:
    """A spreadsheet of rows new entries for one site, as an officer would fill one in."""
    rng, today = random.Random(SEED + 2), date.today()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(spreadsheet.COLUMNS)
    code = plant.site_codes[0]
    for n in range(rows):
        entry = risk_row(rng, plant, plant.site_ids[0], 0, today)
        entry["review_on"] = today + timedelta(days=rng.randint(1, 365))
        # An entry of its own: the import refuses a twin of an active entry of the site.
        entry["activity"] += f", new line {n + 1}"
        cells = {
            **entry,
            "ref": "",
            "site": code,
            "controls": spreadsheet.controls_cell(entry["controls"]),
            "owner": next(email for pk, email in plant.owners if pk == entry["owner_id"]),
        }
        writer.writerow([cells[name] for name in spreadsheet.COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def timed_import(app: Flask, client, body: bytes) -> tuple[float, int, dict]:
    """Seconds, SQL statements and the answer of one POST of body to the import."""
    with counted_statements(app) as count:
        started = time.perf_counter()
        response = client.post("/api/risks/import", data=body, content_type="text/csv")
        seconds = time.perf_counter() - started
    assert response.status_code == 200, (response.status_code, response.get_json())
    return seconds, count[0], response.get_json()


SCRATCH = (
    "CREATE TEMPORARY TABLE risk_scratch (ref text, site text, kind text, activity text, "
    "hazard text, who text, category text, severity int, likelihood int, controls text, "
    "residual_severity int, residual_likelihood int, owner text, review_on date)"
)


def bare_load(app: Flask, body: bytes) -> tuple[str, float]:
    """The same file loaded bare into a scratch table: COPY on PostgreSQL, else executemany."""
    with app.app_context():
        connection = db.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(SCRATCH)
            started = time.perf_counter()
            if db.engine.dialect.name == "postgresql":
                how = "COPY FROM STDIN (csv)"
                with cursor.copy("COPY risk_scratch FROM STDIN WITH (FORMAT csv, HEADER)") as copy:
                    copy.write(body.decode("utf-8-sig"))
            else:
                how = "executemany INSERT"
                rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))[1:]
                marks = ", ".join("?" * len(spreadsheet.COLUMNS))
                cursor.executemany(f"INSERT INTO risk_scratch VALUES ({marks})", rows)
            connection.commit()
            seconds = time.perf_counter() - started
        finally:
            connection.close()
            db.engine.dispose()
    return how, seconds


def round_trip(client, site_id: int) -> bytes:
    """The site's register exported, every severity one step along (a review each)."""
    response = client.get(f"/api/risks/export.csv?site_id={site_id}")
    assert response.status_code == 200
    text = response.get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    at = rows[0].index("severity")
    for row in rows[1:]:
        row[at] = str(int(row[at]) % 5 + 1)
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def imports(app: Flask, plant: Plant, rows: int) -> list[tuple[str, float, int, dict]]:
    """The import cases, one after the other on the same register."""
    client, body = sign_in(app, OFFICER), import_file(plant, rows)
    first = timed_import(app, client, body)
    again = timed_import(app, client, body)
    started = time.perf_counter()
    edited = round_trip(client, plant.site_ids[0])
    exported = time.perf_counter() - started
    reviews = timed_import(app, client, edited)
    reviewed = edited.count(b"\n") - 1
    how, bare = bare_load(app, body)
    return [
        (f"{rows} new rows", *first),
        ("the same file again", *again),
        (f"the site's {reviewed} entries, every severity changed", *reviews),
        (f"bare {how}, {rows} rows", bare, 0, {}),
        (f"(the export for that edit: {exported:.2f} s)", 0.0, 0, {}),
    ]


# --- the report ---------------------------------------------------------------------------


def print_endpoints(results: dict, missing: list[str]) -> bool:
    """The table of cases; True when every p95 meets the goal."""
    width = max([len(name) for name in [*results, *missing]] + [10]) + 2
    print(f"\n{'case':<{width}}{'p50':>8}{'p95':>8}  p95<{GOAL_MS:g}ms")
    met = True
    for name, (p50, p95) in results.items():
        met &= p95 < GOAL_MS
        print(f"{name:<{width}}{p50:>8.1f}{p95:>8.1f}  {'yes' if p95 < GOAL_MS else 'NO'}")
    for name in missing:
        print(f"{name:<{width}}{'':>8}{'':>8}  missing: the app has no such endpoint yet")
    return met


def print_imports(rows: list) -> bool:
    """The import cases beside the bare load; True when the new rows meet the goal."""
    print(f"\n{'import of':<52}{'s':>8}{'SQL':>7}  answer")
    for name, seconds, statements, answer in rows:
        shown = " ".join(f"{k} {v}" for k, v in answer.items())
        if seconds or statements:
            print(f"{name:<52}{seconds:>8.2f}{statements or '':>7}  {shown}")
        else:
            print(name)
    new, bare = rows[0][1], rows[3][1]
    print(
        f"new rows: {new:.2f} s ({new / bare:.0f}x the bare load, "
        f"{new / rows[0][3]['created'] * 1000:.2f} ms a row); goal < {IMPORT_GOAL_S:g} s: "
        f"{'met' if new < IMPORT_GOAL_S else 'MISSED'}"
    )
    return new < IMPORT_GOAL_S and rows[1][3]["created"] == 0


def main() -> int:
    """Seed, time the endpoints, time the imports beside the bare load."""
    args = parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="safeloop-risks-")))
        database_url = stack.enter_context(fresh_database(args.database_url, folder))
        app = bench_app(database_url, folder)
        seeding = time.perf_counter()
        with app.app_context():
            flask_migrate.upgrade()
            plant = seed_people(args.sites)
            entries = seed_register(plant, args.per_site)
            plant = replace(plant, report_ids=seed_reports(plant))
            db.session.remove()
        backend = make_url(database_url).get_backend_name()
        print(
            f"Safeloop register bench: {args.sites} sites x {args.per_site} entries = {entries}, "
            f"{OWNERS} owners, database {backend}, seeded in "
            f"{time.perf_counter() - seeding:.0f} s; {args.runs} runs per case after "
            f"{args.warmup} warm-up, through the Flask test client"
        )
        found, missing = cases(app, plant)
        endpoints_met = print_endpoints(measure(found, args), missing)
        imports_met = print_imports(imports(app, plant, args.import_rows))
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    met = endpoints_met and imports_met
    print(
        f"\ngoals (every p95 < {GOAL_MS:g} ms; {args.import_rows} new rows imported in < "
        f"{IMPORT_GOAL_S:g} s): {'met' if met else 'MISSED'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
