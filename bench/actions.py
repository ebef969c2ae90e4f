"""Actions bench: the NC list, My actions and the reminder scan over 20,000 NCs and 60,000 actions.

Seeds the queue bench's plant and reports (100,000 by default), then NCs raised from one report in
five, three actions each, owned by 200 workers, due from 90 days ago to 60 days ahead, in every
status. Through the real endpoints with Flask's test client it times the NC list (first page,
by status, overdue, one site), one NC, and My actions of the worker who owns most: p50 and
p95 in ms against the goal of 100 ms, and again with the NC list's and My actions' indexes dropped,
side by side. Then the reminder scan: once over a tenth of the actions, once over all of them
(each from no reminder sent), timing it and counting its SQL statements: the count must not grow
with the number of actions. A second scan right after must send nothing.

    .venv/bin/python -m bench.actions
    .venv/bin/python -m bench.actions --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

import argparse
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import flask_migrate
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import make_url

from bench.common import bench_app, fresh_database, without_indexes
from bench.desk_queue import PASSWORD, get_json, measure, seed, sign_in
from server.auth.models import Membership, User
from server.extensions import db
from server.nonconformities.models import ACTION_KINDS, CONTROLS, Action, Nonconformity
from server.reminders.models import Notification, Reminder
from server.reminders.scan import scan
from server.reports.models import Report

GOAL_MS = 100.0
SCAN_GOAL_S = 5.0
SEED = 14001
CHUNK = 5000
WORKERS = 200
INDEXES = ("ix_action_owner_due", "ix_action_nonconformity", "ix_nonconformity_list")
# NC status and how many of its three actions are done.
NC_MIX = (("open", 0, 10), ("analysed", 0, 10), ("actions", 1, 45), ("verifying", 3, 15))
NC_MIX += (("closed", 3, 18), ("cancelled", 0, 2))


def parse_args() -> argparse.Namespace:
    """The bench's options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=100_000, help="reports (100000)")
    parser.add_argument("--ncs", type=int, default=20_000, help="nonconformities (20000)")
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each case (30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs of each first (3)")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL URL: the bench makes a fresh database on that server and drops it "
        "at the end (default: a SQLite file in a temporary folder)",
    )
    args = parser.parse_args()
    if args.database_url and make_url(args.database_url).get_backend_name() != "postgresql":
        parser.error("--database-url must be a PostgreSQL URL (SQLite is the default)")
    return args


# --- the data -----------------------------------------------------------------------------


def seed_workers(organization_id: int) -> list[int]:
    """The workers who own actions; the first signs in for My actions."""
    users = [User(email=f"worker{n}@bench.test", name=f"Worker {n}") for n in range(WORKERS)]
    users[0].set_password(PASSWORD)
    for user in users[1:]:
        user.password_hash = users[0].password_hash  # hashing 200 times would be the seed's cost
    for user in users:
        db.session.add(Membership(user=user, organization_id=organization_id, role="worker"))
    db.session.commit()
    return [user.id for user in users]


def nc_rows(rng: random.Random, reports: list, now: datetime) -> list[dict]:
    """One NC per report given, in the mix of statuses, raised some days after the report."""
    rows = []
    for pk, site_id, received_at, organization_id in reports:
        status, done, _ = rng.choices(NC_MIX, weights=[m[-1] for m in NC_MIX])[0]
        rows.append(
            {
                "id": uuid.uuid4(),
                "organization_id": organization_id,
                "site_id": site_id,
                "report_pk": pk,
                "title": f"Nonconformity from report {pk}",
                "description": "Raised from a triaged report.",
                "severity": rng.choice(("minor", "major")),
                "source": "report",
                "clause": rng.choice(("8.1.2", "7.2", "9.1", "10.2")),
                "status": status,
                "checks": 1 if status == "closed" else 0,
                "effective": True if status == "closed" else None,
                "verify_after": now - timedelta(days=rng.randint(-10, 20))
                if status == "verifying"
                else None,
                "created_at": min(received_at + timedelta(days=2), now),
                "changed_at": min(received_at + timedelta(days=2), now),
                "content_hash": "0" * 64,
                "_done": done,
            }
        )
    return rows


def action_rows(rng: random.Random, ncs: list[dict], pks: list[int], owners: list[int]) -> list:
    """Three actions of each NC, the first _done of them done, due around today."""
    today = datetime.now(UTC).date()
    rows = []
    for nc, pk in zip(ncs, pks, strict=True):
        for number in range(3):
            done = number < nc["_done"]
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "organization_id": nc["organization_id"],
                    "site_id": nc["site_id"],
                    "nonconformity_pk": pk,
                    "title": f"Action {number + 1}",
                    "kind": ACTION_KINDS[number % len(ACTION_KINDS)],
                    "control": rng.choice(CONTROLS),
                    # A few owners hold many actions (as a maintenance lead does).
                    "owner_id": owners[min(int(rng.paretovariate(1.2)) - 1, len(owners) - 1)],
                    "due_on": today + timedelta(days=rng.randint(-90, 60)),
                    "status": "done" if done else "open",
                    "notes": "Done as planned." if done else None,
                    "done_at": nc["created_at"] + timedelta(days=5) if done else None,
                    "created_at": nc["created_at"],
                    "changed_at": nc["created_at"],
                    "content_hash": "0" * 64,
                }
            )
    return rows


def seed_ncs(count: int, organization_id: int) -> list[int]:
    """count NCs from the newest reports, with three actions each; the workers who own them."""
    rng, now = random.Random(SEED), datetime.now(UTC)
    owners = seed_workers(organization_id)
    reports = db.session.execute(
        sa.select(Report.pk, Report.site_id, Report.received_at, Report.organization_id)
        .order_by(Report.pk.desc())
        .limit(count)
    ).all()
    for first in range(0, len(reports), CHUNK):
        ncs = nc_rows(rng, reports[first : first + CHUNK], now)
        columns = [{k: v for k, v in nc.items() if not k.startswith("_")} for nc in ncs]
        pks = db.session.scalars(
            sa.insert(Nonconformity).returning(Nonconformity.pk, sort_by_parameter_order=True),
            columns,
        ).all()
        db.session.execute(sa.insert(Action), action_rows(rng, ncs, pks, owners))
        db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
    return owners


# --- the endpoints ------------------------------------------------------------------------


def cases(app: Flask, officer: str) -> dict[str, tuple]:
    """Each case's name: (client, url)."""
    officer_client, worker = sign_in(app, officer), sign_in(app, "worker0@bench.test")
    some = get_json(officer_client, "/api/nonconformities?status=actions")
    nc_id = some["items"][0]["id"]
    with app.app_context():
        site_id = db.session.scalar(sa.select(Nonconformity.site_id).limit(1))
        owned = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Action)
            .join(User, User.id == Action.owner_id)
            .where(User.email == "worker0@bench.test", Action.status == "open")
        )
    return {
        "NC list, first page": (officer_client, "/api/nonconformities"),
        "NC list, status actions": (officer_client, "/api/nonconformities?status=actions"),
        "NC list, overdue": (officer_client, "/api/nonconformities?overdue=true"),
        "NC list, one site": (officer_client, f"/api/nonconformities?site_id={site_id}"),
        "one NC": (officer_client, f"/api/nonconformities/{nc_id}"),
        f"My actions ({owned} open)": (worker, "/api/actions?owner=me&status=open"),
    }


# --- the reminder scan --------------------------------------------------------------------


@contextmanager
def counted_statements(app: Flask) -> Iterator[list[int]]:
    """Count the SQL statements run inside the block (the count is the list's one item)."""
    count = [0]

    def listen(*_args):
        count[0] += 1

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        yield count
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)


def timed_scan(app: Flask) -> tuple[float, int, int]:
    """Seconds, SQL statements and reminders of one scan, from what is sent so far."""
    with counted_statements(app) as count, app.app_context():
        started = time.perf_counter()
        result = scan()
        seconds = time.perf_counter() - started
        db.session.remove()
    return seconds, count[0], result.reminders


def forget_reminders(app: Flask) -> None:
    """As if no reminder had ever been sent."""
    with app.app_context():
        db.session.execute(sa.delete(Notification))
        db.session.execute(sa.delete(Reminder))
        db.session.commit()


def scans(app: Flask, total_actions: int) -> list[tuple[str, float, int, int]]:
    """The scan over a tenth of the open actions, over all, and again at once (nothing new)."""
    with app.app_context():
        open_pks = db.session.scalars(
            sa.select(Action.pk).where(Action.status == "open").order_by(Action.pk)
        ).all()
        # A tenth: the rest set aside as done, then put back.
        rest = open_pks[len(open_pks) // 10 :]
        db.session.execute(sa.update(Action).where(Action.pk.in_(rest)).values(status="done"))
        db.session.commit()
    forget_reminders(app)
    small = timed_scan(app)
    with app.app_context():
        db.session.execute(sa.update(Action).where(Action.pk.in_(rest)).values(status="open"))
        db.session.commit()
    forget_reminders(app)
    full = timed_scan(app)
    again = timed_scan(app)
    return [
        (f"{len(open_pks) - len(rest)} open actions", *small),
        (f"all {len(open_pks)} open actions (of {total_actions})", *full),
        ("right after, nothing new", *again),
    ]


# --- the report ---------------------------------------------------------------------------


def print_endpoints(with_index: dict, without: dict) -> bool:
    """The side-by-side table; True when every p95 meets the goal with the indexes."""
    width = max(len(name) for name in with_index) + 2
    print(f"\n{'case':<{width}}{'p50':>8}{'p95':>8}  p95<{GOAL_MS:g}ms | without the indexes: p95")
    met = True
    for name, (p50, p95) in with_index.items():
        met &= p95 < GOAL_MS
        ratio = without[name][1] / p95 if p95 else 0
        print(
            f"{name:<{width}}{p50:>8.1f}{p95:>8.1f}  {'yes' if p95 < GOAL_MS else 'NO ':<9}"
            f" |{without[name][1]:>10.1f} ({ratio:.1f}x)"
        )
    return met


def print_scans(rows: list) -> bool:
    """The scans; True when the full scan meets its goal and its statements did not grow."""
    print(f"\n{'reminder scan over':<44}{'s':>8}{'SQL':>6}{'reminded':>10}")
    for name, seconds, statements, reminded in rows:
        print(f"{name:<44}{seconds:>8.2f}{statements:>6}{reminded:>10}")
    (_, _, small_sql, _), (_, full_s, full_sql, _), (_, _, _, again) = rows
    flat = full_sql <= small_sql
    print(
        f"statements with 10x the actions: {small_sql} -> {full_sql} "
        f"({'flat' if flat else 'GROWS'}); second scan reminded {again}"
    )
    return full_s < SCAN_GOAL_S and flat and again == 0


def main() -> int:
    """Seed, measure the endpoints with and without the indexes, time the scans."""
    args = parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="safeloop-actions-")))
        database_url = stack.enter_context(fresh_database(args.database_url, folder))
        app = bench_app(database_url, folder)
        seeding = time.perf_counter()
        with app.app_context():
            flask_migrate.upgrade()
            plant = seed(args.reports)
            seed_ncs(args.ncs, plant.organization_id)
            ncs = db.session.scalar(sa.select(sa.func.count()).select_from(Nonconformity))
            actions = db.session.scalar(sa.select(sa.func.count()).select_from(Action))
            db.session.remove()
        backend = make_url(database_url).get_backend_name()
        print(
            f"Safeloop actions bench: {args.reports} reports, {ncs} NCs, {actions} actions, "
            f"{WORKERS} owners, database {backend}, seeded in "
            f"{time.perf_counter() - seeding:.0f} s; {args.runs} runs per case after "
            f"{args.warmup} warm-up, through the Flask test client"
        )
        all_cases = cases(app, plant.officer)
        with_index = measure(all_cases, args)
        with without_indexes(app, (Action.__table__, Nonconformity.__table__), INDEXES):
            without = measure(all_cases, args)
        endpoints_met = print_endpoints(with_index, without)
        scans_met = print_scans(scans(app, actions))
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    print(
        f"\ngoals (every p95 < {GOAL_MS:g} ms; the scan < {SCAN_GOAL_S:g} s with flat "
        f"statements): {'met' if endpoints_met and scans_met else 'MISSED'}"
    )
    return 0 if endpoints_met and scans_met else 1


if __name__ == "__main__":
    sys.exit(main())
