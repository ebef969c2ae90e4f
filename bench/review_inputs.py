"""Review inputs bench: server.reviews.inputs.review_inputs over a big organization.

measure(app, organization_id, site_ids, start, end) times review_inputs (the median of a few
runs after one untimed) and counts its SQL statements: bench/exports.py calls it on its own
seeded organization (100,000 reports, 20,000 NCs, 1,000 audits), against the goal of 2 s.

Run alone, it makes a fresh database (SQLite in a temporary folder, or a new PostgreSQL database
that it drops at the end) and seeds a smaller organization: the queue bench's plant and reports
(20,000 by default, over two years), the actions bench's NCs with three actions each (4,000),
audits signed off over the two years with 40 answers each (200), and a register of 500 entries
per site with a review each. Then it measures the last whole quarter for every site, and for
one site.

    .venv/bin/python -m bench.review_inputs
    .venv/bin/python -m bench.review_inputs --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import flask_migrate
import sqlalchemy as sa
from flask import Flask

from bench.actions import counted_statements, seed_ncs
from bench.common import add_database_option, bench_app, fresh_database, parse_with_database
from bench.desk_queue import seed
from server.audits.models import Audit, AuditResponse, AuditTemplate, AuditTemplateVersion
from server.extensions import db
from server.nonconformities.models import Nonconformity
from server.reviews.inputs import review_inputs
from server.reviews.periods import quarter_of
from server.risks.models import Risk, RiskReview

GOAL_S = 2.0
SEED = 9003
CHUNK = 5000
QUESTIONS = 40
CLAUSES = ("4.1", "5.4", "6.1.2", "7.2", "7.4", "8.1.2", "8.2", "9.1", "9.2", "10.2")
RESULTS = (("conforming", 80), ("observation", 8), ("minor_nc", 9), ("major_nc", 3))


def measure(
    app: Flask, organization_id: int, site_ids: list[int], start: date, end: date, runs: int = 5
) -> dict:
    """Time review_inputs for these sites (empty: every site) and days: the median, fastest and
    slowest of runs after one untimed run, the SQL statements of one run, and a few figures."""
    with app.app_context():
        found = review_inputs(organization_id, site_ids, start, end)
        db.session.remove()
    samples = []
    for _ in range(runs):
        with counted_statements(app) as count, app.app_context():
            started = time.perf_counter()
            review_inputs(organization_id, site_ids, start, end)
            samples.append(time.perf_counter() - started)
            db.session.remove()
    performance = found["performance"]
    return {
        "median_s": statistics.median(samples),
        "min_s": min(samples),
        "max_s": max(samples),
        "runs": runs,
        "statements": count[0],
        "goal_s": GOAL_S,
        "met": statistics.median(samples) < GOAL_S,
        "reports": performance["incidents"]["current"]["total"],
        "actions_due": performance["actions"]["current"]["due"],
        "ncs_raised": performance["nonconformities"]["current"]["raised"],
        "audits_submitted": performance["audits"]["current"]["submitted"],
    }


def print_measure(name: str, found: dict) -> None:
    """One line per measure: the times, the statements and what was counted."""
    verdict = "met" if found["met"] else "NOT MET"
    print(
        f"{name:<34} median {found['median_s'] * 1000:8.1f} ms  "
        f"(min {found['min_s'] * 1000:.1f}, max {found['max_s'] * 1000:.1f}, "
        f"{found['runs']} runs)  {found['statements']} statements  "
        f"goal < {found['goal_s']:.0f} s: {verdict}"
    )
    print(
        f"{'':<34} counted: {found['reports']} reports, {found['actions_due']} actions due, "
        f"{found['ncs_raised']} NCs raised, {found['audits_submitted']} audits signed off"
    )


# --- the data -----------------------------------------------------------------------------


def seed_checks() -> None:
    """The actions bench's closed NCs were checked 40 days after they were raised (effective,
    one in five at the second check)."""
    closed = db.session.execute(
        sa.select(Nonconformity.pk, Nonconformity.created_at).where(
            Nonconformity.status == "closed"
        )
    ).all()
    rows = [
        {
            "b_pk": pk,
            "verified_at": created + timedelta(days=40),
            "closed_at": created + timedelta(days=40),
            "checks": 2 if pk % 5 == 0 else 1,
        }
        for pk, created in closed
    ]
    if rows:
        db.session.connection().execute(
            sa.update(Nonconformity.__table__).where(
                Nonconformity.__table__.c.pk == sa.bindparam("b_pk")
            ),
            rows,
        )
    db.session.commit()


def seed_template(organization_id: int) -> tuple[int, list[tuple[uuid.UUID, str]]]:
    """A template version of QUESTIONS questions over the clauses; its pk and questions."""
    questions = [(uuid.uuid4(), CLAUSES[n % len(CLAUSES)]) for n in range(QUESTIONS)]
    template = AuditTemplate(
        id=uuid.uuid4(), organization_id=organization_id, name="Bench audit", standard="other"
    )
    db.session.add(template)
    db.session.flush()
    sections = [
        {
            "ref": clause,
            "title": clause,
            "questions": [{"id": str(q), "ref": clause} for q, c in questions if c == clause],
        }
        for clause in CLAUSES
    ]
    version = AuditTemplateVersion(
        template_pk=template.pk,
        version=1,
        name="Bench audit",
        standard="other",
        sections=sections,
        question_count=QUESTIONS,
    )
    db.session.add(version)
    db.session.commit()
    return version.pk, questions


def seed_audits(count: int, organization_id: int, site_ids: list[int]) -> None:
    """count audits signed off over two years, one site after another, each answering every
    question (one in ten answered twice, the later answer counting)."""
    rng, now = random.Random(SEED), datetime.now(UTC)
    version_pk, questions = seed_template(organization_id)
    step = timedelta(days=730) / max(count, 1)
    for first in range(0, count, CHUNK // QUESTIONS):
        numbers = range(first, min(first + CHUNK // QUESTIONS, count))
        audits = [
            {
                "id": uuid.uuid4(),
                "organization_id": organization_id,
                "site_id": site_ids[n % len(site_ids)],
                "template_version_pk": version_pk,
                "status": "submitted",
                "due_on": (now - timedelta(days=730) + step * n).date(),
                "submitted_at": now - timedelta(days=730) + step * n,
                "signed_at": now - timedelta(days=730) + step * n,
                "score": round(rng.uniform(60, 100), 1),
                "created_at": now - timedelta(days=731) + step * n,
                "changed_at": now - timedelta(days=730) + step * n,
            }
            for n in numbers
        ]
        pks = db.session.scalars(
            sa.insert(Audit).returning(Audit.pk, sort_by_parameter_order=True), audits
        ).all()
        db.session.execute(
            sa.insert(AuditResponse), _answers(rng, organization_id, audits, pks, questions)
        )
        db.session.commit()


def _answers(rng, organization_id: int, audits: list[dict], pks: list[int], questions) -> list:
    rows = []
    for audit, pk in zip(audits, pks, strict=True):
        for question_id, clause in questions:
            for again in range(2 if rng.random() < 0.1 else 1):
                result = rng.choices(RESULTS, weights=[r[-1] for r in RESULTS])[0][0]
                rows.append(
                    {
                        "id": uuid.uuid4(),
                        "organization_id": organization_id,
                        "audit_pk": pk,
                        "question_id": question_id,
                        "clause": clause,
                        "result": result,
                        "notes": "Seen" if result != "conforming" else None,
                        "answered_at": audit["submitted_at"] - timedelta(hours=2 - again),
                        "created_at": audit["submitted_at"],
                        "content_hash": "0" * 64,
                    }
                )
    return rows


def seed_register(per_site: int, organization_id: int, site_ids: list[int]) -> None:
    """per_site register entries per site, entered over two years, each reviewed once."""
    rng, now = random.Random(SEED), datetime.now(UTC)
    number = 0
    for site_id in site_ids:
        risks = []
        for _ in range(per_site):
            number += 1
            made = now - timedelta(days=rng.randint(1, 730))
            risks.append(
                {
                    "id": uuid.uuid4(),
                    "organization_id": organization_id,
                    "site_id": site_id,
                    "number": number,
                    "kind": "opportunity" if rng.random() < 0.1 else "risk",
                    "activity": f"Activity {number}",
                    "hazard": f"Hazard {number}",
                    "who": "Operators",
                    "severity": rng.randint(1, 5),
                    "likelihood": rng.randint(1, 5),
                    "controls": [],
                    "residual_severity": rng.randint(1, 5),
                    "residual_likelihood": rng.randint(1, 5),
                    "review_on": (made + timedelta(days=365)).date(),
                    "status": "archived" if rng.random() < 0.1 else "active",
                    "created_at": made,
                    "changed_at": made,
                    "content_hash": "0" * 64,
                }
            )
        pks = db.session.scalars(
            sa.insert(Risk).returning(Risk.pk, sort_by_parameter_order=True), risks
        ).all()
        reviews = []
        for risk, pk in zip(risks, pks, strict=True):
            for when, severity, likelihood in (
                (risk["created_at"], rng.randint(1, 5), rng.randint(1, 5)),
                (
                    risk["created_at"] + timedelta(days=30),
                    risk["residual_severity"],
                    risk["residual_likelihood"],
                ),
            ):
                reviews.append(
                    {
                        "risk_pk": pk,
                        "severity": risk["severity"],
                        "likelihood": risk["likelihood"],
                        "controls": [],
                        "residual_severity": severity,
                        "residual_likelihood": likelihood,
                        "review_on": risk["review_on"],
                        "reviewed_at": when,
                    }
                )
        db.session.execute(sa.insert(RiskReview), reviews)
        db.session.commit()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=20_000, help="reports (20000)")
    parser.add_argument("--ncs", type=int, default=4_000, help="nonconformities (4000)")
    parser.add_argument("--audits", type=int, default=200, help="audits signed off (200)")
    parser.add_argument("--risks", type=int, default=500, help="register entries a site (500)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs (5)")
    add_database_option(parser)
    return parse_with_database(parser)


def main() -> int:
    args = parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        url = stack.enter_context(fresh_database(args.database_url, folder))
        app = bench_app(url, folder)
        with app.app_context():
            flask_migrate.upgrade()
            started = time.perf_counter()
            plant = seed(args.reports)
            seed_ncs(args.ncs, plant.organization_id)
            seed_checks()
            seed_audits(args.audits, plant.organization_id, plant.site_ids)
            seed_register(args.risks, plant.organization_id, plant.site_ids)
            if db.engine.dialect.name == "postgresql":
                db.session.execute(sa.text("ANALYZE"))
                db.session.commit()
            seeded = time.perf_counter() - started
            backend = db.engine.dialect.name
            db.session.remove()
            db.engine.dispose()
        quarter = quarter_of(quarter_of(date.today()).start - timedelta(days=1))
        print(
            f"{backend}: {args.reports} reports, {args.ncs} NCs (three actions each), "
            f"{args.audits} audits, {args.risks} register entries a site, seeded in "
            f"{seeded:.0f} s; the quarter {quarter.start} to {quarter.end}"
        )
        every = measure(app, plant.organization_id, [], quarter.start, quarter.end, args.runs)
        one = measure(
            app, plant.organization_id, plant.site_ids[:1], quarter.start, quarter.end, args.runs
        )
        print_measure("review inputs, every site", every)
        print_measure("review inputs, one site", one)
    return 0 if every["met"] and one["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
