"""Ishikawa bench: build_analysis over a report with 1,000 related reports, against a bare SELECT.

Makes a fresh database (SQLite in a temporary folder, or a new PostgreSQL database that it drops
at the end), migrates it, inserts one organization, one site, the target report and N related
reports (same site, the last 90 days, varied descriptions), then times, interleaved after a
warm-up:

- baseline: the bare SELECT of the related reports' descriptions;
- build: build_analysis from scratch (the analysis deleted before each run, not timed): the
  related-reports query, mining, merging, and writing the version, its revision and its event;
- rebuild: build_analysis again with nothing new (query, mining, compare; no write).

Prints the median of each in ms and the ratios to the baseline. Goal: build under 1 s.

    .venv/bin/python -m bench.ishikawa
    .venv/bin/python -m bench.ishikawa --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

import argparse
import random
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import flask_migrate
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bench.common import add_database_option, bench_app, fresh_database, parse_with_database
from server.extensions import db
from server.ishikawa.jobs import build_analysis
from server.ishikawa.models import Analysis
from server.orgs.models import Organization, Site
from server.reports.models import Report

GOAL_MS = 1000.0
SEED = 45001

OPENINGS = [
    "Forklift reversed out of aisle {n} without looking",
    "Oil leak under press {n}, floor slippery",
    "New starter on line {n} had not been trained on the guillotine",
    "Guard on conveyor {n} left open after cleaning",
    "Pallets stacked too high in bay {n}",
    "Chemical drum in store {n} unlabelled and leaking",
    "Pressure gauge on compressor {n} unreadable",
    "Wet floor by loading door {n}, no sign out",
    "Lighting out on stairwell {n}",
    "Ice on the walkway to gate {n}",
    "Operator at cell {n} tired after a double shift",
    "Hot work started at tank {n} without a permit",
    "Packaging and shrink wrap piled in fire exit {n}",
    "Calibration overdue on weighbridge {n}",
    "Noise from the chiller {n} above 85 dB",
    "Trailing cable across walkway {n}",
    "Scaffold tag missing at block {n}",
    "Pedestrian walked behind reversing truck at dock {n}",
    "Gas detector in pit {n} not working",
    "Rain coming through the roof above bench {n}",
]
DETAILS = [
    "",
    "Reported to the supervisor.",
    "Second time this week.",
    "No risk assessment for the task.",
    "Procedure not followed.",
    "Hose worn and frayed.",
    "Heat in the area made it worse.",
    "No reading recorded on the check sheet.",
    "Sensor on the door was bypassed.",
    "Nobody hurt.",
]
TARGET = (
    "Oil leak under press 4 spread to the walkway; the new starter slipped. Guard on the pump "
    "was worn and no risk assessment for the cleaning task. Poor lighting in the bay."
)


def parse_args() -> argparse.Namespace:
    """The bench's options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--related", type=int, default=1000, help="related reports (1000)")
    parser.add_argument("--runs", type=int, default=9, help="timed runs of each (9)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs of each first (2)")
    add_database_option(parser)
    return parse_with_database(parser)


def description(rng: random.Random) -> str:
    """A realistic, varied report description."""
    opening = rng.choice(OPENINGS).format(n=rng.randint(1, 40))
    return f"{opening}. {rng.choice(DETAILS)}".strip()


def report(site: Site, text: str, observed_at: datetime) -> Report:
    """A received report (no photos) as sync would have stored it."""
    return Report(
        id=uuid.uuid4(),
        organization_id=site.organization_id,
        site_id=site.id,
        kind="hazard",
        description=text,
        observed_at=observed_at,
        received_at=observed_at,
        changed_at=observed_at,
        status="received",
        content_hash=secrets.token_hex(32),
    )


def seed(related: int) -> tuple[int, int]:
    """One organization and site, the target report and the related ones; (target pk, site id)."""
    rng, now = random.Random(SEED), datetime.now(UTC)
    organization = Organization(name="Bench Ltd")
    site = Site(organization=organization, code="PLANT", name="Bench Plant")
    db.session.add_all([organization, site])
    db.session.flush()
    db.session.add_all(
        report(site, description(rng), now - timedelta(minutes=rng.randint(60, 90 * 24 * 60)))
        for _ in range(related)
    )
    target = report(site, TARGET, now)
    db.session.add(target)
    db.session.commit()
    return target.pk, site.id


def baseline(target_pk: int, site_id: int) -> Callable[[], None]:
    """The bare SELECT of the related reports' descriptions."""

    def run() -> None:
        stmt = sa.select(Report.description).where(
            Report.site_id == site_id, Report.pk != target_pk
        )
        db.session.execute(stmt).all()
        db.session.commit()

    return run


def build(target_pk: int) -> Callable[[], None]:
    """build_analysis from scratch."""
    return lambda: build_analysis(target_pk)


def reset() -> None:
    """Delete the analysis (and, by cascade, its revisions) so the next build starts afresh."""
    db.session.execute(sa.delete(Analysis))
    db.session.commit()


def time_ms(run: Callable[[], None], before: Callable[[], None] | None = None) -> float:
    """One run's wall time in ms (before() runs first, untimed)."""
    if before:
        before()
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def measure(args: argparse.Namespace, target_pk: int, site_id: int) -> dict[str, list[float]]:
    """Interleaved runs of baseline, build and rebuild; returns the timed samples."""
    phases = {
        "baseline": (baseline(target_pk, site_id), None),
        "build": (build(target_pk), reset),
        "rebuild": (build(target_pk), None),
    }
    samples: dict[str, list[float]] = {name: [] for name in phases}
    for number in range(args.warmup + args.runs):
        for name, (run, before) in phases.items():
            elapsed = time_ms(run, before)
            if number >= args.warmup:
                samples[name].append(elapsed)
    return samples


def print_result(args, backend: str, target_pk: int, samples: dict[str, list[float]]) -> bool:
    """The medians, ratios and goal; True when the goal is met."""
    analysis = db.session.scalar(sa.select(Analysis).where(Analysis.report_pk == target_pk))
    related = [c for c in analysis.causes if c["source"] == "related"]
    print(
        f"Safeloop Ishikawa bench: {args.related} related reports, database {backend}, "
        f"median of {args.runs} interleaved runs after {args.warmup} warm-up"
    )
    print(
        f"analysis: {len(analysis.causes)} causes ({len(related)} recurring), "
        f"largest count {max(c['count'] for c in analysis.causes)}"
    )
    medians = {name: statistics.median(values) for name, values in samples.items()}
    for name, median in medians.items():
        ratio = median / medians["baseline"]
        spread = f"{min(samples[name]):.1f}-{max(samples[name]):.1f}"
        print(f"{name:<9}{median:>9.1f} ms  (range {spread} ms)  {ratio:>6.1f}x baseline")
    met = medians["build"] < GOAL_MS
    print(
        f"build over {args.related} reports: {medians['build']:.1f} ms "
        f"(goal < {GOAL_MS:g} ms: {'met' if met else 'MISSED'})"
    )
    return met


def main() -> int:
    """Set up, measure, report; exit status 1 when the goal is missed."""
    args = parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="safeloop-ishi-")))
        database_url = stack.enter_context(fresh_database(args.database_url, folder))
        app = bench_app(database_url, folder)
        with app.app_context():
            flask_migrate.upgrade()
            target_pk, site_id = seed(args.related)
            samples = measure(args, target_pk, site_id)
            backend = make_url(database_url).get_backend_name()
            met = print_result(args, backend, target_pk, samples)
            db.session.remove()
            db.engine.dispose()
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
