"""The event log of a period, as JSON lines, with each event's place in the hash chain.

Each line is one event: what changed (entity_type, entity_id, action, data), who (actor_id),
when (created_at), and its chain fields: seq (its place in the organization's chain),
prev_hash, hash, and canonical, the exact text the hash is the SHA-256 of, so that an auditor
recomputes each hash and follows prev_hash from one event to the next.

An export of every site of the organization holds every event of the period, in chain order:
a run of the chain with nothing left out. An export of some sites holds the events of the
records of those sites only (the chain then has gaps, each event's own hash still checks).
"""

import uuid
from collections.abc import Iterator

from sqlalchemy import select

from server.events.chain import canonical_line
from server.events.models import Event
from server.exports.cells import json_pieces
from server.exports.scope import ExportScope
from server.exports.tables import record_batches
from server.extensions import db
from server.records.registry import record_type

COLUMNS = (
    "id",
    "seq",
    "entity_type",
    "entity_id",
    "action",
    "actor_id",
    "created_at",
    "data",
    "prev_hash",
    "hash",
    "canonical",
)
CHAIN_NOTE = (
    "Each line of events/events.jsonl is one event with its place in the organization's hash "
    "chain: seq counts the events from 1, prev_hash is the hash of the event before it (64 "
    "zeros for the first), and hash is the SHA-256 (hex) of the line's canonical text, which "
    "holds prev_hash, seq and the event itself. To recompute every hash:\n"
    '       python3 -c \'import json,hashlib,sys; [print(e["seq"], hashlib.sha256(e["canonical'
    '"].encode()).hexdigest() == e["hash"]) for e in map(json.loads, sys.stdin)]\' '
    "< events/events.jsonl\n"
    "   Each line prints True, and each prev_hash is the hash of the line before it. A bundle "
    "of some sites leaves the other sites' events out: each event's own hash still checks."
)


def _row(event: Event) -> dict:
    row = {name: getattr(event, name) for name in COLUMNS[:-1]}
    row["canonical"] = canonical_line(event)
    return row


def _visible(scope: ExportScope, events: list[Event]) -> list[Event]:
    """Those of these events whose record the scope's actor may open (for some sites only)."""
    wanted: dict[str, set[uuid.UUID]] = {}
    for event in events:
        try:
            wanted.setdefault(event.entity_type, set()).add(uuid.UUID(event.entity_id))
        except ValueError:
            continue
    shown: set[tuple[str, str]] = set()
    for name, ids in wanted.items():
        try:
            kind = record_type(name)
        except LookupError:
            continue
        found = db.session.scalars(kind.visible_ids(scope.actor, list(ids)))
        shown |= {(name, str(found_id)) for found_id in found}
    return [event for event in events if (event.entity_type, event.entity_id) in shown]


def event_rows(scope: ExportScope) -> Iterator[dict]:
    """The period's events in chain order (see the module's note on some sites)."""
    low, high = scope.widest()
    stmt = (
        select(Event)
        .where(
            Event.organization_id == scope.organization_id,
            Event.created_at >= low,
            Event.created_at < high,
        )
        .order_by(Event.seq)
    )
    for batch in record_batches(stmt):
        events = [row[0] for row in batch]
        if not scope.whole_organization:
            events = _visible(scope, events)
        for event in events:
            yield _row(event)


def event_pieces(scope: ExportScope) -> Iterator[bytes]:
    """events.jsonl's bytes."""
    return json_pieces(COLUMNS, event_rows(scope))
