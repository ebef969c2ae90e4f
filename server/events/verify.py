"""Walking an organization's event chain from its first event to the head, and keeping the result.

The walk streams the events in seq order (a server-side cursor on PostgreSQL), holding one
chunk at a time, and stops at the first event that is not what the chain says it should be.
The result is kept on the chain head, so the desk reads it without walking anything.
"""

import hashlib
import json
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Text, cast, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from server.auth.throttle import wait_in_words
from server.dbtypes import utcnow
from server.events.chain import GENESIS, _encode, canonical_time
from server.events.models import Event, EventChain
from server.exceptions import RateLimited
from server.extensions import db
from server.orgs.models import Organization

CHUNK = 20_000
# The worker's sweep checks each chain in full at most this often (seconds)...
CHECK_EVERY = 3600
# ... and starts no new check once it has spent this long on checks in one sweep.
SWEEP_BUDGET = 5.0
# Someone asking for a check on demand may ask again after this long.
ON_DEMAND_EVERY = 60
# canonical_time's format, written by PostgreSQL itself.
PG_TIME_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'


@dataclass(frozen=True)
class Break:
    """The first event where the chain does not hold (event_id None: it is gone)."""

    seq: int
    event_id: int | None
    problem: str


@dataclass(frozen=True)
class Verification:
    """How far an organization's chain held: events 1 to `events` are intact."""

    organization_id: int
    events: int
    verified_up_to: datetime | None
    checked_at: datetime
    broken: Break | None = None


def verify_chain(organization_id: int, chunk: int = CHUNK) -> Verification:
    """Walk one organization's chain and say how far it holds; reads only."""
    head = db.session.execute(
        select(EventChain.last_seq, EventChain.last_hash).where(
            EventChain.organization_id == organization_id
        )
    ).first()
    seq, prev, broken = _walk(organization_id, head.last_seq if head else 0, chunk)
    if broken is None:
        broken = _after_walk(organization_id, head, seq, prev)
    if broken is not None and broken.seq <= seq:
        seq = broken.seq - 1  # the newest event is not the one the head holds: unverified
    return Verification(organization_id, seq, _time_of(organization_id, seq), utcnow(), broken)


def _after_walk(organization_id: int, head, seq: int, prev: str) -> Break | None:
    """What is wrong at the end of an intact walk to seq (whose hash is prev), if anything."""
    if head is None:
        return _beyond(organization_id, "the chain head is missing")
    if seq < head.last_seq:
        return Break(seq + 1, None, f"newest events missing after seq {seq}")
    if prev != head.last_hash:
        newest = _event_id(organization_id, seq)
        return Break(seq, newest, "the newest event does not match the chain head")
    return _beyond(organization_id, "inserted after the newest event of the chain head")


def _walk(organization_id: int, last_seq: int, chunk: int):
    """Check events 1 to last_seq in order: (last good seq, its hash, the first break).

    The rows come through the session's connection without the ORM, the data as its JSON text
    (the driver's own JSON parsing is slower than json.loads) and, on PostgreSQL, the time
    written by the database in the chain's format: a million events in a few seconds.
    """
    stmt = (
        select(*walk_columns(db.session.get_bind().dialect.name))
        .where(Event.organization_id == organization_id, Event.seq <= last_seq)
        .order_by(Event.seq)
        .execution_options(yield_per=chunk)
    )
    sha256, encode, loads, iso = hashlib.sha256, _encode, json.loads, canonical_time
    seq, prev = 0, GENESIS
    result = db.session.connection().execute(stmt)
    try:
        for event_id, at, actor, kind, entity, action, data, created, prev_hash, own in result:
            if at != seq + 1:
                missing = f"seq {seq + 1}" if at == seq + 2 else f"seq {seq + 1} to {at - 1}"
                return seq, prev, Break(at, event_id, f"previous event missing ({missing})")
            when = created if created.__class__ is str else iso(created)
            line = encode(
                [prev_hash, at, organization_id, actor, kind, entity, action, loads(data), when]
            )
            if sha256(line.encode("ascii")).hexdigest() != own:
                return seq, prev, Break(at, event_id, "hash does not match its content")
            if prev_hash != prev:
                problem = f"its prev_hash is not the hash of seq {seq} (altered or replaced)"
                if seq == 0:
                    problem = "its prev_hash is not the start of a chain (64 zeros)"
                return seq, prev, Break(at, event_id, problem)
            seq, prev = at, own
    finally:
        result.close()
    return seq, prev, None


def walk_columns(dialect: str) -> tuple:
    """The columns the walk reads, in its order (the bench reads them bare beside it)."""
    created = Event.created_at
    if dialect == "postgresql":
        created = func.to_char(func.timezone("UTC", Event.created_at), PG_TIME_FORMAT)
    head = (Event.id, Event.seq, Event.actor_id, Event.entity_type, Event.entity_id)
    return (*head, Event.action, cast(Event.data, Text), created, Event.prev_hash, Event.hash)


def _beyond(organization_id: int, problem: str) -> Break | None:
    """A break at the first event past the head's newest, if there is one.

    The head is read in the same statement: writers move it on in the transaction that adds
    their events, so an event committed while the walk ran is never taken for an intruder.
    """
    newest = (
        select(EventChain.last_seq)
        .where(EventChain.organization_id == organization_id)
        .scalar_subquery()
    )
    found = db.session.execute(
        select(Event.seq, Event.id)
        .where(Event.organization_id == organization_id, Event.seq > func.coalesce(newest, 0))
        .order_by(Event.seq)
        .limit(1)
    ).first()
    return Break(found.seq, found.id, problem) if found else None


def _event_id(organization_id: int, seq: int) -> int | None:
    return db.session.scalar(
        select(Event.id).where(Event.organization_id == organization_id, Event.seq == seq)
    )


def _time_of(organization_id: int, seq: int) -> datetime | None:
    """When the event at seq was written (None for seq 0)."""
    if seq == 0:
        return None
    return db.session.scalar(
        select(Event.created_at).where(Event.organization_id == organization_id, Event.seq == seq)
    )


def organization_ids(organization_id: int | None = None) -> list[int]:
    """The organizations whose chains to walk: one, or all (by id)."""
    stmt = select(Organization.id).order_by(Organization.id)
    if organization_id is not None:
        stmt = stmt.where(Organization.id == organization_id)
    return list(db.session.scalars(stmt))


def save(verification: Verification) -> None:
    """Keep a verification's result on its chain head (made for an organization with no events
    yet) and commit."""
    broken = asdict(verification.broken) if verification.broken else None
    result = {
        "checked_at": verification.checked_at,
        "verified_seq": verification.events,
        "verified_up_to": verification.verified_up_to,
        "broken": broken,
    }
    if broken is None:
        dialect = db.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        values = {"organization_id": verification.organization_id, "last_seq": 0}
        stmt = insert(EventChain).values(**values, last_hash=GENESIS, **result)
        db.session.execute(
            stmt.on_conflict_do_update(index_elements=[EventChain.organization_id], set_=result)
        )
    else:
        # A chain whose head is gone gets none made here: its events still name the break.
        db.session.execute(
            update(EventChain)
            .where(EventChain.organization_id == verification.organization_id)
            .values(**result)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()


def _claim(organization_id: int, every: float) -> float:
    """Mark one organization's check as started unless one started within `every` seconds;
    0 when claimed, else the seconds until it may be. Commits."""
    now = utcnow()
    cutoff = now - timedelta(seconds=every)
    claimed = db.session.execute(
        update(EventChain)
        .where(
            EventChain.organization_id == organization_id,
            or_(EventChain.check_started_at.is_(None), EventChain.check_started_at <= cutoff),
        )
        .values(check_started_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    started = None
    if not claimed:
        started = db.session.scalar(
            select(EventChain.check_started_at).where(EventChain.organization_id == organization_id)
        )
    db.session.commit()
    if claimed or started is None:
        return 0.0
    return max(1.0, (started - cutoff).total_seconds())


def verify_due_chains() -> int:
    """The sweep's task: walk in full each chain not checked for CHECK_EVERY seconds, one
    claimed at a time (workers share them out), until SWEEP_BUDGET is spent; how many."""
    every = float(current_app.config.get("EVENT_CHAIN_CHECK_EVERY", CHECK_EVERY))
    budget_ends = time.monotonic() + SWEEP_BUDGET
    checked = 0
    while time.monotonic() < budget_ends:
        cutoff = utcnow() - timedelta(seconds=every)
        due = db.session.scalar(
            select(EventChain.organization_id)
            .where(
                or_(EventChain.check_started_at.is_(None), EventChain.check_started_at <= cutoff)
            )
            .order_by(EventChain.check_started_at.is_not(None), EventChain.check_started_at)
            .limit(1)
        )
        db.session.commit()
        if due is None:
            break
        if _claim(due, every):
            continue  # another worker's sweep took it meanwhile
        save(verify_chain(due))
        checked += 1
    return checked


def verify_now(organization_id: int) -> None:
    """Walk an organization's chain on demand and keep the result; RateLimited when a check of
    it began less than ON_DEMAND_EVERY seconds ago (one check at a time, none back to back)."""
    every = float(current_app.config.get("EVENT_CHAIN_CHECK_ON_DEMAND_EVERY", ON_DEMAND_EVERY))
    wait = _claim(organization_id, every)
    if wait:
        seconds = round(wait)
        raise RateLimited(
            f"The event log was checked moments ago; try again in {wait_in_words(seconds)}.",
            retry_after=seconds,
        )
    save(verify_chain(organization_id))


def status(organization_id: int) -> dict:
    """The last verification's result as kept on the head: what the desk shows."""
    head = db.session.execute(
        select(
            EventChain.verified_up_to,
            EventChain.verified_seq,
            EventChain.checked_at,
            EventChain.broken,
            EventChain.last_seq,
        ).where(EventChain.organization_id == organization_id)
    ).first()
    if head is None:
        # In one statement: a writer makes the head in the transaction of its first event.
        headless = ~exists().where(EventChain.organization_id == organization_id)
        gone = db.session.scalar(
            select(exists().where(Event.organization_id == organization_id, headless))
        )
        problem = {"seq": 1, "event_id": None, "problem": "the chain head is missing"}
        return _status(None, 0, None, problem if gone else None, 0)
    return _status(head[0], head[1] or 0, head[2], head[3], head[4])


def _status(up_to, events: int, checked_at, broken: dict | None, logged: int) -> dict:
    return {
        "verified_up_to": up_to,
        "events": events,
        "checked_at": checked_at,
        "broken": broken,
        "logged": logged,
    }
