"""Queue bench: /api/queue and /api/overview over 100,000 reports, with and without the indexes.

Makes a fresh database (SQLite in a temporary folder, or a new PostgreSQL database that it drops
at the end), migrates it, and bulk-inserts one organization with 5 sites and N reports (a mix of
kinds, statuses by age, photos, triage rows with priorities, categories and risk, and the queue
columns set to match). Then, through the real endpoints with Flask's test client signed in as an
officer, it times each case (first page, filtered page, text searches, a deep page after 20
cursors, a site-limited officer's first page, every status, the overview): p50 and p95 in ms,
and whether p95 < 100 ms. The same cases run again with the queue's two composite indexes
(ix_report_queue and its open-reports twin ix_report_queue_open) dropped, then recreated, and the
times are printed side by side. The plan (EXPLAIN QUERY PLAN / EXPLAIN) of each case's queries on
the report table is printed first.

    .venv/bin/python -m bench.desk_queue
    .venv/bin/python -m bench.desk_queue --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

import argparse
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import flask_migrate
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import make_url

from bench.common import bench_app, fresh_database, without_indexes
from server.auth.models import Membership, User
from server.extensions import db
from server.media.models import Attachment, Photo
from server.orgs.models import Organization, Site
from server.reports.models import Report, queue_key, risk_band
from server.triage.models import Triage
from server.triage.rules import BAND_PRIORITY, DEFAULT_SLA_HOURS

GOAL_MS = 100.0
SEED = 45001
CHUNK = 5000
PASSWORD = "bench password 1"
DEEP_PAGES = 20
INDEXES = ("ix_report_queue", "ix_report_queue_open")
SITES = (("NORTH", 35), ("SOUTH", 25), ("EAST", 20), ("WEST", 12), ("DOCKS", 8))
KINDS = (
    ("hazard", 45),
    ("near_miss", 20),
    ("audit_evidence", 12),
    ("good_practice", 10),
    ("environmental_incident", 8),
    ("injury", 5),
)
# (category, description template, weight): what people write, with a number to vary it.
TEMPLATES = (
    ("vehicles_traffic", "Forklift reversed out of aisle {n} without looking", 12),
    ("vehicles_traffic", "Pedestrian walked behind reversing truck at dock {n}", 6),
    ("slips_trips_falls", "Oil leak under press {n}, floor slippery", 12),
    ("slips_trips_falls", "Trailing cable across walkway {n}", 8),
    ("machinery", "Guard on conveyor {n} left open after cleaning", 9),
    ("work_at_height", "Scaffold tag missing at block {n}", 7),
    ("work_at_height", "Ladder with a broken rung in store {n}", 5),
    ("hazardous_substances", "Chemical drum in store {n} unlabelled and leaking", 6),
    ("environmental_release", "Diesel spill near drain {n} at the fuel bay", 5),
    ("fire_explosion", "Packaging piled in fire exit {n}", 6),
    ("electrical", "Damaged plug on extension lead at bench {n}", 6),
    ("manual_handling", "Heavy boxes lifted by hand at line {n}, no hoist", 5),
    ("emissions_noise_dust", "Noise from the chiller {n} above 85 dB", 4),
    ("housekeeping", "Pallets and rubbish left in bay {n}", 5),
    ("uncategorised", "Something not right at gate {n}, please check", 4),
)
DETAILS = ("", "Reported to the supervisor.", "Second time this week.", "Nobody hurt.")
# One report in a thousand mentions this: the worst case of a text search with LIKE.
RARE = "Asbestos lagging found on pipe {n}"
RARE_WORD = "asbestos"
# Most old reports are closed; recent ones are spread over the workflow.
OLD_STATUSES = (("closed", 95), ("in_progress", 5))
RECENT_STATUSES = (
    ("closed", 50),
    ("in_progress", 20),
    ("triaged", 25),
    ("received", 4),
    ("awaiting_photos", 1),
)
RATING_WEIGHTS = (15, 30, 30, 18, 7)


def parse_args() -> argparse.Namespace:
    """The bench's options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=100_000, help="reports (100000)")
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each case (30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs of each first (3)")
    parser.add_argument("--no-plans", action="store_true", help="do not print query plans")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL URL: the bench makes a fresh database on that server and drops it "
        "at the end (default: a SQLite file in a temporary folder)",
    )
    args = parser.parse_args()
    if args.database_url and make_url(args.database_url).get_backend_name() != "postgresql":
        parser.error("--database-url must be a PostgreSQL URL (SQLite is the default)")
    return args


# --- the database -------------------------------------------------------------------------


# --- the data -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Plant:
    """What the seeding made that the cases need."""

    organization_id: int
    officer: str
    limited_officer: str
    site_ids: list[int]
    officer_ids: list[int]


def pick(rng: random.Random, weighted) -> tuple:
    """One (value, ..., weight) row of weighted, by its weight (the last item)."""
    return rng.choices(weighted, weights=[row[-1] for row in weighted])[0]


def seed_people() -> Plant:
    """The organization, its sites, two signing-in officers and a few more to assign to."""
    organization = Organization(name="Bench Works")
    sites = [
        Site(organization=organization, code=code, name=f"{code.title()} plant")
        for code, _ in SITES
    ]
    officers = [User(email=f"officer{n}@bench.test", name=f"Officer {n}") for n in range(6)]
    for n, user in enumerate(officers):
        user.set_password(PASSWORD)
        limited = sites[:2] if n == 1 else []
        db.session.add(
            Membership(user=user, organization=organization, role="officer", sites=limited)
        )
    db.session.add_all(sites)
    db.session.commit()
    return Plant(
        organization.id,
        officers[0].email,
        officers[1].email,
        [site.id for site in sites],
        [user.id for user in officers],
    )


def report_row(rng: random.Random, plant: Plant, received_at: datetime, now: datetime) -> dict:
    """One report as sync would store it, its triage still to decide."""
    site_index = SITES.index(pick(rng, SITES))
    category, template, _ = pick(rng, TEMPLATES)
    if rng.random() < 0.001:
        category, template = "hazardous_substances", RARE
    text = f"{template.format(n=rng.randint(1, 60))}. {rng.choice(DETAILS)}".strip()
    rated = rng.random() < 0.7
    old = now - received_at > timedelta(days=90)
    return {
        "id": uuid.uuid4(),
        "organization_id": plant.organization_id,
        "site_id": plant.site_ids[site_index],
        "reporter_id": None,
        "kind": pick(rng, KINDS)[0],
        "description": text,
        "observed_at": received_at - timedelta(minutes=rng.randint(1, 360)),
        "received_at": received_at,
        "changed_at": received_at,
        "severity": rng.choices(range(1, 6), RATING_WEIGHTS)[0] if rated else None,
        "likelihood": rng.choices(range(1, 6), RATING_WEIGHTS)[0] if rated else None,
        "status": pick(rng, OLD_STATUSES if old else RECENT_STATUSES)[0],
        "content_hash": secrets.token_hex(32),
        "_category": category,
    }


def triage_row(rng: random.Random, report: dict, plant: Plant) -> dict:
    """The triage the job would have made of a report (sometimes an officer's priority)."""
    severity = report["severity"] or rng.choices(range(1, 6), RATING_WEIGHTS)[0]
    likelihood = report["likelihood"] or rng.choices(range(1, 6), RATING_WEIGHTS)[0]
    score = severity * likelihood
    band = risk_band(score)
    priority = BAND_PRIORITY[band]
    if rng.random() < 0.03:
        priority = rng.choice(("P1", "P2", "P3", "P4"))
    category = "uncategorised" if rng.random() < 0.08 else report["_category"]
    received_at = report["received_at"]
    return {
        "severity": severity,
        "likelihood": likelihood,
        "risk_score": score,
        "risk_band": band,
        "category": category,
        "priority": priority,
        "due_at": received_at + timedelta(hours=DEFAULT_SLA_HOURS[priority]),
        "reportable": report["kind"] == "injury" and rng.random() < 0.2,
        "assignee_id": rng.choice(plant.officer_ids),
        "computed": {"priority": BAND_PRIORITY[band], "category": report["_category"]},
        "reasons": {"risk": [f"severity {severity} x likelihood {likelihood} = {score}: {band}"]},
        "runs": 1,
        "created_at": received_at,
        "triaged_at": received_at + timedelta(seconds=2),
    }


def desk_copy(report: dict, triage: dict | None) -> dict:
    """The queue columns, as triage would have set them (see server.triage.services.settle)."""
    if triage is None:
        score = report["severity"] * report["likelihood"] if report["severity"] else None
        priority, risk = queue_key(None, score)
        return {
            "queue_priority": priority,
            "queue_risk": risk,
            "queue_category": None,
            "queue_due_at": None,
        }
    priority, risk = queue_key(triage["priority"], triage["risk_score"])
    return {
        "queue_priority": priority,
        "queue_risk": risk,
        "queue_category": triage["category"],
        "queue_due_at": triage["due_at"],
    }


def seed_chunk(rng: random.Random, plant: Plant, received: list[datetime], now: datetime) -> None:
    """Insert one chunk of reports with their triage rows and photos (Core executemany)."""
    reports = [report_row(rng, plant, at, now) for at in received]
    triages = [
        None if r["status"] in ("received", "awaiting_photos") else triage_row(rng, r, plant)
        for r in reports
    ]
    for report, triage in zip(reports, triages, strict=True):
        report.update(desk_copy(report, triage))
    rows = [{k: v for k, v in r.items() if not k.startswith("_")} for r in reports]
    pks = db.session.scalars(
        sa.insert(Report).returning(Report.pk, sort_by_parameter_order=True), rows
    ).all()
    triage_rows = [t | {"report_pk": pk} for pk, t in zip(pks, triages, strict=True) if t]
    db.session.execute(sa.insert(Triage), triage_rows)
    seed_photos(rng, plant, pks)
    db.session.commit()


def seed_photos(rng: random.Random, plant: Plant, pks: list[int]) -> None:
    """0-2 photos per report, almost all received."""
    refs, held = [], []
    for pk in pks:
        for position in range(rng.choices((0, 1, 2), (40, 45, 15))[0]):
            sha = secrets.token_hex(32)
            refs.append({"record_pk": pk, "sha256": sha, "position": position})
            if rng.random() < 0.97:
                held.append(sha)
    common = {"content_type": "image/jpeg", "width": 1600, "height": 1200}
    common |= {"organization_id": plant.organization_id, "record_type": "report"}
    if refs:
        db.session.execute(sa.insert(Attachment), [ref | common for ref in refs])
    if held:
        photos = [
            {"organization_id": plant.organization_id, "sha256": s, "size_bytes": 250_000}
            for s in held
        ]
        db.session.execute(sa.insert(Photo), [p | common for p in photos])


def seed(count: int) -> Plant:
    """The plant and count reports received over two years, oldest first."""
    rng, now = random.Random(SEED), datetime.now(UTC)
    plant = seed_people()
    start, step = now - timedelta(days=730), timedelta(days=730) / count
    for first in range(0, count, CHUNK):
        received = [start + step * n for n in range(first, min(first + CHUNK, count))]
        seed_chunk(rng, plant, received, now)
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
    return plant


# --- the cases ----------------------------------------------------------------------------


def sign_in(app: Flask, email: str):
    """A test client with a session for email."""
    client = app.test_client()
    response = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.get_json()
    return client


def get_json(client, url: str) -> dict:
    """GET url, which must answer 200."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.get_json())
    return response.get_json()


def deep_cursor(client) -> str:
    """The cursor of page DEEP_PAGES + 1, following next_cursor from the first page."""
    cursor = None
    for _ in range(DEEP_PAGES):
        suffix = f"?cursor={cursor}" if cursor else ""
        cursor = get_json(client, f"/api/queue{suffix}")["next_cursor"]
    return cursor


def cases(app: Flask, plant: Plant) -> dict[str, tuple]:
    """Each case's name: (client, url)."""
    officer, limited = sign_in(app, plant.officer), sign_in(app, plant.limited_officer)
    site = plant.site_ids[2]
    return {
        "first page": (officer, "/api/queue"),
        "filtered page": (
            officer,
            f"/api/queue?site_id={site}&category=slips_trips_falls&risk_band=high",
        ),
        "text search (common)": (officer, "/api/queue?q=forklift"),
        f"text search (rare, 0.1%: '{RARE_WORD}')": (officer, f"/api/queue?q={RARE_WORD}"),
        f"deep page (after {DEEP_PAGES} cursors)": (
            officer,
            f"/api/queue?cursor={deep_cursor(officer)}",
        ),
        "first page, officer of 2 sites": (limited, "/api/queue"),
        "first page, every status": (officer, "/api/queue?status=all"),
        "overview": (officer, "/api/overview"),
    }


def time_case(client, url: str, runs: int, warmup: int) -> list[float]:
    """Wall times in ms of runs GETs of url, after warmup untimed ones."""
    samples = []
    for number in range(warmup + runs):
        started = time.perf_counter()
        get_json(client, url)
        if number >= warmup:
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 of samples."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples), cuts[94]


def measure(all_cases: dict, args: argparse.Namespace) -> dict[str, tuple[float, float]]:
    """p50 and p95 of each case."""
    return {
        name: percentiles(time_case(client, url, args.runs, args.warmup))
        for name, (client, url) in all_cases.items()
    }


# --- query plans --------------------------------------------------------------------------


REPORT_QUERY = re.compile(r"\bFROM report\b(?!_)")


def captured_statements(app: Flask, client, url: str) -> list[tuple[str, object]]:
    """The SQL statements on the report table that one GET of url runs."""
    seen = []

    def listen(_conn, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().startswith("SELECT") and REPORT_QUERY.search(statement):
            seen.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        get_json(client, url)
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)
    return seen


def explain(app: Flask, statement: str, parameters) -> list[str]:
    """The database's plan of a statement, a line a step."""
    with app.app_context(), db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            return [f"{'  ' * (parent > 0)}{detail}" for _id, parent, _, detail in rows]
        rows = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)
        return [row[0] for row in rows]


def print_plans(app: Flask, all_cases: dict, names: list[str]) -> None:
    """Each case's report queries and their plans."""
    for name in names:
        client, url = all_cases[name]
        print(f"\n-- {name}: {url}")
        for statement, parameters in captured_statements(app, client, url):
            first = " ".join(statement.split())[:160]
            print(f"   {first}{'...' if len(statement) > 160 else ''}")
            for line in explain(app, statement, parameters):
                print(f"      {line}")


# --- main ---------------------------------------------------------------------------------


def print_results(with_index: dict, without: dict) -> bool:
    """The side-by-side table; True when every case's p95 meets the goal with the index."""
    width = max(len(name) for name in with_index) + 2
    print(
        f"\n{'case':<{width}}{'p50':>8}{'p95':>8}  p95<{GOAL_MS:g}ms"
        + " | without the queue indexes:   p50     p95"
    )
    met = True
    for name, (p50, p95) in with_index.items():
        ok = p95 < GOAL_MS
        met &= ok
        n50, n95 = without[name]
        print(
            f"{name:<{width}}{p50:>8.1f}{p95:>8.1f}  {'yes' if ok else 'NO ':<9}"
            f" |{'':>24}{n50:>8.1f}{n95:>8.1f}"
        )
    return met


def main() -> int:
    """Set up, measure with and without the index, report; exit 1 when the goal is missed."""
    args = parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="safeloop-queue-")))
        database_url = stack.enter_context(fresh_database(args.database_url, folder))
        app = bench_app(database_url, folder)
        seeding = time.perf_counter()
        with app.app_context():
            flask_migrate.upgrade()
            plant = seed(args.reports)
            open_count = db.session.scalar(
                sa.select(sa.func.count()).where(Report.status != "closed")
            )
            db.session.remove()
        backend = make_url(database_url).get_backend_name()
        print(
            f"Safeloop queue bench: {args.reports} reports ({open_count} open) over "
            f"{len(SITES)} sites, database {backend}, "
            f"seeded in {time.perf_counter() - seeding:.0f} s; "
            f"{args.runs} runs per case after {args.warmup} warm-up, through the Flask test client"
        )
        all_cases = cases(app, plant)
        if not args.no_plans:
            print_plans(app, all_cases, list(all_cases))
        with_index = measure(all_cases, args)
        with without_indexes(app, (Report.__table__,), INDEXES):
            if not args.no_plans:
                print(f"\nwithout {' and '.join(INDEXES)}:")
                print_plans(app, all_cases, ["first page", "filtered page"])
            without = measure(all_cases, args)
        met = print_results(with_index, without)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    print(f"\ngoal (every p95 < {GOAL_MS:g} ms with the index): {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
