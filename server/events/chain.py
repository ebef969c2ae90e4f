"""The event log as a hash chain, one per organization, so that editing or deleting any past
event shows.

Each event carries `seq` (1, 2, 3, ... within its organization), `prev_hash` (the hash of the
event before; GENESIS for the first) and `hash`, the SHA-256 (hex) of its canonical line:

    hash = sha256(canonical_line(event).encode("ascii")).hexdigest()

The canonical line is one JSON array, keys sorted, no spaces, non-ASCII escaped (so ASCII):

    [prev_hash, seq, organization_id, actor_id or null, entity_type, entity_id, action, data,
     created_at]

with created_at in UTC as "2026-11-20T09:30:00.123456Z". The line holds the previous hash, so
one hash covers both the event and its place in the chain; everything in it is what SQLite and
PostgreSQL give back (the data as JSON parsed again, the time to the microsecond).

The chain head (EventChain) holds each organization's newest seq and hash. Writers append under
its row lock (an upsert on the head row: a row lock on PostgreSQL, the database's write lock on
SQLite), so two transactions never give out the same seq or fork the chain; the verifier
compares the newest event with the head, so removing the newest events shows too.
"""

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from server.events.models import EventChain
from server.extensions import db

GENESIS = "0" * 64
_encode = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode
_FIELDS = (
    "prev_hash",
    "seq",
    "organization_id",
    "actor_id",
    "entity_type",
    "entity_id",
    "action",
    "data",
)


def canonical_time(moment: datetime) -> str:
    """A time as the chain writes it: ISO 8601 in UTC to the microsecond, with a Z."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def canonical_line(event) -> str:
    """The one line of an event that its hash covers (an Event, a row or a mapping)."""
    if isinstance(event, Mapping):
        values = [event[name] for name in _FIELDS]
        moment = event["created_at"]
    else:
        values = [getattr(event, name) for name in _FIELDS]
        moment = event.created_at
    return _encode([*values, canonical_time(moment)])


def chain_hash(line: str) -> str:
    """The hash of an event: the SHA-256 of its canonical line, in hex."""
    return hashlib.sha256(line.encode("ascii")).hexdigest()


def link(organization_id: int, rows: list[dict]) -> None:
    """Give rows (values of new events of one organization, created_at set) their seq,
    prev_hash and hash after the organization's newest event, and move the head on.

    The head stays locked until the caller's transaction ends, so the rows must be written in
    it. Pending changes are flushed first: records are locked before the head, every time.
    """
    seq, prev = _take_head(organization_id, len(rows))
    for row in rows:
        seq += 1
        row["organization_id"] = organization_id
        row["seq"], row["prev_hash"] = seq, prev
        prev = row["hash"] = chain_hash(canonical_line(row))
    db.session.execute(
        update(EventChain)
        .where(EventChain.organization_id == organization_id)
        .values(last_hash=prev)
        .execution_options(synchronize_session=False)
    )


def _take_head(organization_id: int, count: int) -> tuple[int, str]:
    """Lock the organization's head (made at its first event), move its seq on by count, and
    return the seq and hash it stood at."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(EventChain).values(
        organization_id=organization_id, last_seq=count, last_hash=GENESIS
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[EventChain.organization_id],
        set_={"last_seq": EventChain.last_seq + count},
    ).returning(EventChain.last_seq, EventChain.last_hash)
    last_seq, last_hash = db.session.execute(stmt).one()
    return last_seq - count, last_hash
