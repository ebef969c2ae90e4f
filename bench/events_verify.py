"""Event chain bench: `flask events verify` over 1,000,000 events of one organization, beside a
bare streaming read of the same rows.

Makes a fresh database (SQLite in a temporary folder, or a new PostgreSQL database that it drops
at the end), migrates it, and seeds one organization's chain: events as the app writes them
(reports created, triaged, moved and closed, with their small data), each hashed in Python after
the one before and loaded with COPY on PostgreSQL (multi-row inserts on SQLite). Then it times
the command's own function (server.events.verify.verify_chain: streamed in seq order, every
line rebuilt and hashed) and, in the same run, the walk's own query read bare through a
server-side cursor, doing nothing with the rows: events per second, and the ratio.

    .venv/bin/python -m bench.events_verify
    .venv/bin/python -m bench.events_verify --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

bench/exports.py calls seed_events(session, organization_id, n) and measure(organization_id).
"""

import argparse
import json
import random
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import flask_migrate
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bench.common import add_database_option, bench_app, fresh_database, parse_with_database
from server.events.chain import GENESIS, canonical_line, chain_hash
from server.events.models import Event, EventChain
from server.events.verify import CHUNK as WALK_CHUNK
from server.events.verify import verify_chain, walk_columns
from server.extensions import db
from server.orgs.models import Organization

GOAL_S = 20.0
SEED = 1745
CHUNK = 50_000
START = datetime(2026, 1, 5, 7, 0, tzinfo=UTC)
# What a report's life writes, as the app writes it (server/reports, server/triage).
ACTIONS = (
    ("created", lambda rng: {"kind": rng.choice(("hazard", "near_miss", "injury")), "photos": 2}),
    (
        "triaged",
        lambda rng: {
            "risk_score": rng.randint(1, 25),
            "category": rng.choice(("slips_trips_falls", "electrical", "machinery")),
            "priority": rng.choice(("P1", "P2", "P3", "P4")),
            "confidence": round(rng.random(), 4),
        },
    ),
    ("status_changed", lambda rng: {"from": "triaged", "to": "in_progress"}),
    ("status_changed", lambda rng: {"from": "in_progress", "to": "closed", "note": "Fixed ✓"}),
)
COLUMNS = (
    "organization_id",
    "actor_id",
    "entity_type",
    "entity_id",
    "action",
    "data",
    "created_at",
    "seq",
    "prev_hash",
    "hash",
)


def parse_args() -> argparse.Namespace:
    """The bench's options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="events (1,000,000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each (3)")
    add_database_option(parser)
    return parse_with_database(parser)


# --- seeding --------------------------------------------------------------------------------


def _rows(organization_id: int, seq: int, prev: str, n: int, rng: random.Random):
    """n chained event rows (dicts) after the event at seq whose hash is prev."""
    entity = None
    for number in range(n):
        step = (seq + number) % len(ACTIONS)
        if step == 0 or entity is None:
            entity = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        action, make_data = ACTIONS[step]
        row = {
            "prev_hash": prev,
            "seq": seq + number + 1,
            "organization_id": organization_id,
            "actor_id": None,
            "entity_type": "report",
            "entity_id": entity,
            "action": action,
            "data": make_data(rng),
            "created_at": START + timedelta(milliseconds=37 * (seq + number)),
        }
        prev = row["hash"] = chain_hash(canonical_line(row))
        yield row


def seed_events(session: Session, organization_id: int, n: int, seed: int = SEED) -> int:
    """Append n chained events to an organization's log (COPY on PostgreSQL) and move its head
    on; commits. The head is read without a lock: for benches, with no other writer."""
    head = session.execute(
        sa.select(EventChain.last_seq, EventChain.last_hash).where(
            EventChain.organization_id == organization_id
        )
    ).first()
    seq, prev = head or (0, GENESIS)
    rng = random.Random(seed + seq)
    rows = _rows(organization_id, seq, prev, n, rng)
    if session.get_bind().dialect.name == "postgresql":
        last = _copy(session, rows)
    else:
        last = _insert(session, rows)
    if last is not None:
        seq, prev = last["seq"], last["hash"]
    values = {"organization_id": organization_id, "last_seq": seq, "last_hash": prev}
    if head is None:
        session.execute(sa.insert(EventChain).values(**values))
    else:
        session.execute(
            sa.update(EventChain)
            .where(EventChain.organization_id == organization_id)
            .values(last_seq=seq, last_hash=prev)
        )
    session.commit()
    return n


def _copy(session: Session, rows) -> dict | None:
    """COPY the rows into event; the last one."""
    cursor = session.connection().connection.driver_connection.cursor()
    last = None
    statement = f"COPY event ({', '.join(COLUMNS)}) FROM STDIN"
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([json.dumps(row["data"]) if c == "data" else row[c] for c in COLUMNS])
            last = row
    return last


def _insert(session: Session, rows) -> dict | None:
    """Multi-row inserts of CHUNK rows; the last one."""
    batch, last = [], None
    for row in rows:
        batch.append(row)
        last = row
        if len(batch) == CHUNK:
            session.execute(sa.insert(Event), batch)
            batch = []
    if batch:
        session.execute(sa.insert(Event), batch)
    return last


# --- measuring ------------------------------------------------------------------------------


def bare_read(organization_id: int) -> tuple[int, float]:
    """The walk's own query (same columns, rows and order), streamed and thrown away."""
    stmt = (
        sa.select(*walk_columns(db.engine.dialect.name))
        .where(Event.organization_id == organization_id)
        .order_by(Event.seq)
        .execution_options(yield_per=WALK_CHUNK)
    )
    started = time.perf_counter()
    count = 0
    with db.engine.connect() as connection:
        for partition in connection.execute(stmt).partitions():
            count += len(partition)
    return count, time.perf_counter() - started


def measure(organization_id: int, runs: int = 3) -> dict:
    """Time verify_chain (the command's function) and a bare read of the same rows, each the
    best of runs, inside an app context: events, seconds, events per second and the ratio."""
    verify_times, bare_times, verification = [], [], None
    for _ in range(runs):
        db.session.remove()
        started = time.perf_counter()
        verification = verify_chain(organization_id)
        verify_times.append(time.perf_counter() - started)
        db.session.remove()
        count, seconds = bare_read(organization_id)
        bare_times.append(seconds)
    verify_s, bare_s = min(verify_times), min(bare_times)
    return {
        "events": verification.events,
        "broken": verification.broken,
        "verify_s": verify_s,
        "verify_events_per_s": verification.events / verify_s if verify_s else 0.0,
        "bare_read_s": bare_s,
        "bare_rows": count,
        "bare_rows_per_s": count / bare_s if bare_s else 0.0,
        "ratio": verify_s / bare_s if bare_s else 0.0,
    }


def main() -> int:
    """Seed, time the verification beside the bare read."""
    args = parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="safeloop-chain-")))
        database_url = stack.enter_context(fresh_database(args.database_url, folder))
        app = bench_app(database_url, folder)
        with app.app_context():
            flask_migrate.upgrade()
            organization = Organization(name="Bench Chain Works")
            db.session.add(organization)
            db.session.commit()
            seeding = time.perf_counter()
            seed_events(db.session, organization.id, args.events)
            seeded = time.perf_counter() - seeding
            if db.engine.dialect.name == "postgresql":
                autocommit = db.engine.execution_options(isolation_level="AUTOCOMMIT")
                with autocommit.connect() as connection:
                    connection.execute(sa.text("VACUUM ANALYZE event"))
            backend = make_url(database_url).get_backend_name()
            print(
                f"Safeloop event chain bench: {args.events:,} events of one organization, "
                f"database {backend}, seeded in {seeded:.1f} s "
                f"({args.events / seeded:,.0f} events/s); best of {args.runs} runs"
            )
            result = measure(organization.id, args.runs)
            db.session.remove()
            db.engine.dispose()
    print_result(result)
    met = result["broken"] is None and result["verify_s"] < GOAL_S
    print(f"\ngoal (verify {args.events:,} events < {GOAL_S:g} s): {'met' if met else 'MISSED'}")
    return 0 if met else 1


def print_result(result: dict) -> None:
    """The two timings side by side."""
    broken = result["broken"]
    print(
        f"  flask events verify (verify_chain): {result['events']:,} events in "
        f"{result['verify_s']:.2f} s = {result['verify_events_per_s']:,.0f} events/s"
        f"{'; chain intact' if broken is None else f'; BROKEN: {broken}'}"
    )
    print(
        f"  bare streaming SELECT of the same rows: {result['bare_rows']:,} rows in "
        f"{result['bare_read_s']:.2f} s = {result['bare_rows_per_s']:,.0f} rows/s"
    )
    print(f"  verify / bare read: {result['ratio']:.1f}x the time")


if __name__ == "__main__":
    sys.exit(main())
