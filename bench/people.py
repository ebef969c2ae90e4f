"""People bench: the training matrix and the people list at 5,000 people and 50,000 competence
records, first and late pages of 50 and of 200.

Makes a fresh database (a new PostgreSQL database that it drops at the end, or a SQLite file in
a temporary folder), migrates it, and bulk-inserts one organization with 5 sites, 5,000 members
(workers mostly, some auditors and officers, a third limited to one site, a few deactivated) and
50,000 competence records in the four modules and two of the organization's own: valid, due,
expired and never expiring, renewals among them. Then, through the real endpoints with Flask's
test client signed in as an officer, it times GET /api/competences/matrix and GET /api/users,
page 1 and a late page, 50 and 200 a page: p50 and p95 in ms against the goal of 100 ms, and the
number of SQL statements one request of each case sends (the same whatever the page's size or
number: a page's queries do not grow with it).

    .venv/bin/python -m bench.people --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python -m bench.people            # SQLite
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from datetime import date, timedelta
from pathlib import Path

import flask_migrate
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import make_url

from bench.common import add_database_option, bench_app, fresh_database, parse_with_database
from server.auth.models import Membership, User, membership_site
from server.extensions import db
from server.orgs.models import Organization, Site
from server.people.models import MODULES, Competence, CompetenceModule

GOAL_MS = 100.0
SEED = 45001
CHUNK = 10_000
PASSWORD = "bench password 1"
OFFICER = "officer@bench.test"
OWN_MODULES = (("forklift_b2", "Forklift licence (B2)"), ("working_at_height", "Working at height"))
ROLES = (("worker", 80), ("auditor", 10), ("officer", 8), ("admin", 2))
FIRST = ("Ann", "Bo", "Chen", "Dara", "Eli", "Femi", "Grace", "Hugo", "Ines", "Jon", "Kai", "Lea")
LAST = ("Lee", "Okafor", "Silva", "Novak", "Brown", "Kaur", "Moreau", "Tanaka", "Berg", "Ruiz")


def parse_args() -> argparse.Namespace:
    """The bench's options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=5_000, help="members (5000)")
    parser.add_argument("--records", type=int, default=50_000, help="competence records (50000)")
    parser.add_argument("--runs", type=int, default=50, help="timed requests of each case (50)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests first (3)")
    add_database_option(parser)
    return parse_with_database(parser)


# --- the data -----------------------------------------------------------------------------


def seed_people(people: int) -> tuple[int, int, list[int]]:
    """The organization, its sites and own modules, the officer who signs in, and the members
    (bulk-inserted, the officer's password hash shared: hashing each would be the seed's cost)."""
    rng = random.Random(SEED)
    organization = Organization(name="Bench People Works")
    sites = [Site(organization=organization, code=f"S{n}", name=f"Site {n}") for n in range(5)]
    officer = User(email=OFFICER, name="Olu Officer")
    officer.set_password(PASSWORD)
    db.session.add_all([organization, *sites, officer])
    db.session.add(Membership(user=officer, organization=organization, role="officer"))
    db.session.flush()
    for slug, label in OWN_MODULES:
        db.session.add(CompetenceModule(organization_id=organization.id, slug=slug, label=label))
    db.session.commit()
    users = [
        {
            "email": f"person{n}@bench.test",
            "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}",
            "password_hash": officer.password_hash,
            "active": rng.random() > 0.02,
        }
        for n in range(people - 1)
    ]
    ids = db.session.scalars(
        sa.insert(User).returning(User.id, sort_by_parameter_order=True), users
    ).all()
    roles, weights = zip(*ROLES, strict=True)
    memberships = [
        {
            "user_id": user_id,
            "organization_id": organization.id,
            "role": rng.choices(roles, weights)[0],
            "active": rng.random() > 0.02,
        }
        for user_id in ids
    ]
    membership_ids = db.session.scalars(
        sa.insert(Membership).returning(Membership.id, sort_by_parameter_order=True), memberships
    ).all()
    limited = [
        {"membership_id": mid, "site_id": rng.choice(sites).id}
        for mid in membership_ids
        if rng.random() < 0.33
    ]
    db.session.execute(sa.insert(membership_site), limited)
    db.session.commit()
    return organization.id, sites[0].id, [officer.id, *ids]


def competence_row(rng: random.Random, organization_id: int, user_id: int, today: date) -> dict:
    """One record: completed up to 4 years ago, lasting 1 to 3 years or for good."""
    module = rng.choice([*MODULES, *(slug for slug, _ in OWN_MODULES)])
    completed = today - timedelta(days=rng.randrange(0, 4 * 365))
    lasts = rng.choice((365, 730, 1095, None))
    return {
        "uid": uuid.UUID(int=rng.getrandbits(128)),
        "organization_id": organization_id,
        "user_id": user_id,
        "module": module,
        "title": f"{module.replace('_', ' ').capitalize()} course",
        "completed_on": completed,
        "expires_on": completed + timedelta(days=lasts) if lasts else None,
    }


def seed_records(organization_id: int, user_ids: list[int], records: int) -> None:
    """records competence records spread over the people, inserted CHUNK at a time."""
    rng, today = random.Random(SEED + 1), date.today()
    for first in range(0, records, CHUNK):
        rows = [
            competence_row(rng, organization_id, user_ids[(first + n) % len(user_ids)], today)
            for n in range(min(CHUNK, records - first))
        ]
        # Rows alike in which columns are NULL together: psycopg's batches break at each change.
        rows.sort(key=lambda row: row["expires_on"] is None)
        db.session.execute(sa.insert(Competence), rows)
        db.session.commit()


# --- the cases ----------------------------------------------------------------------------


def sign_in(app: Flask):
    """A test client with the officer's session."""
    client = app.test_client()
    response = client.post("/api/auth/login", json={"email": OFFICER, "password": PASSWORD})
    assert response.status_code == 200, response.get_json()
    return client


def cases(client, site_id: int) -> dict[str, str]:
    """Each case's name: its URL. A late page is the last full one of 5,000 people."""
    found = {}
    for per_page in (50, 200):
        last = total_of(client, f"/api/competences/matrix?per_page={per_page}") // per_page
        found[f"matrix, {per_page} a page, page 1"] = f"/api/competences/matrix?per_page={per_page}"
        found[f"matrix, {per_page} a page, page {last}"] = (
            f"/api/competences/matrix?per_page={per_page}&page={last}"
        )
    for per_page in (50, 200):
        last = total_of(client, f"/api/users?page=1&per_page={per_page}") // per_page
        found[f"people, {per_page} a page, page 1"] = f"/api/users?page=1&per_page={per_page}"
        found[f"people, {per_page} a page, page {last}"] = (
            f"/api/users?page={last}&per_page={per_page}"
        )
    found["matrix, 50 a page, a site's auditors"] = (
        f"/api/competences/matrix?per_page=50&role=auditor&site_id={site_id}"
    )
    found["matrix, 50 a page, search 'okafor'"] = "/api/competences/matrix?per_page=50&q=okafor"
    return found


def get_ok(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.get_data()[:300])
    return response


def total_of(client, url: str) -> int:
    """The number of people a list or the matrix says match."""
    response = get_ok(client, url)
    if "X-Total-Count" in response.headers:
        return int(response.headers["X-Total-Count"])
    return response.get_json()["total"]


def time_case(client, url: str, runs: int, warmup: int) -> list[float]:
    """Wall times in ms of runs GETs of url, after warmup untimed ones."""
    samples = []
    for number in range(warmup + runs):
        started = time.perf_counter()
        get_ok(client, url)
        if number >= warmup:
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def statements_of(app: Flask, client, url: str) -> int:
    """How many SQL statements one GET of url sends."""
    sent = []

    def count(*_args):
        sent.append(1)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        get_ok(client, url)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return len(sent)


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 of samples."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples), cuts[94]


def print_results(app: Flask, client, found: dict[str, str], args) -> bool:
    """Time each case and count its statements; the table; True when every p95 meets the goal."""
    width = max(len(name) for name in found) + 2
    print(f"\n{'case':<{width}}{'p50 ms':>8}{'p95 ms':>8}  {'p95 < 100 ms':<13}{'SQL':>4}")
    met, counts = True, {}
    for name, url in found.items():
        p50, p95 = percentiles(time_case(client, url, args.runs, args.warmup))
        counts[name] = statements_of(app, client, url)
        met &= p95 < GOAL_MS
        verdict = "met" if p95 < GOAL_MS else "MISSED"
        print(f"{name:<{width}}{p50:>8.1f}{p95:>8.1f}  {verdict:<13}{counts[name]:>4}")
    for prefix in ("matrix", "people"):
        paged = {n: c for n, c in counts.items() if n.startswith(prefix) and "page" in n}
        paged = {n: c for n, c in paged.items() if "auditors" not in n and "search" not in n}
        same = len(set(paged.values())) == 1
        shown = ", ".join(f"{n.split(', ', 1)[1]}: {c}" for n, c in paged.items())
        print(f"SQL statements a request, {prefix}: {shown} -> {'equal' if same else 'DIFFER'}")
        met &= same
    return met


def main() -> int:
    """Seed, then time the matrix and the people list."""
    args = parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="safeloop-people-")))
        database_url = stack.enter_context(fresh_database(args.database_url, folder))
        app = bench_app(database_url, folder)
        seeding = time.perf_counter()
        with app.app_context():
            flask_migrate.upgrade()
            organization_id, site_id, user_ids = seed_people(args.people)
            seed_records(organization_id, user_ids, args.records)
            if db.engine.dialect.name == "postgresql":
                db.session.execute(sa.text("ANALYZE"))
                db.session.commit()
            db.session.remove()
        backend = make_url(database_url).get_backend_name()
        print(
            f"Safeloop people bench: {args.people} people, {args.records} competence records, "
            f"database {backend}, seeded in {time.perf_counter() - seeding:.0f} s; {args.runs} "
            f"requests per case after {args.warmup} warm-up, through the Flask test client"
        )
        client = sign_in(app)
        met = print_results(app, client, cases(client, site_id), args)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    print(f"\ngoals (every p95 < {GOAL_MS:g} ms; statements equal): {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
