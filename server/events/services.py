"""Writing to the event log, inside the caller's transaction."""

import json
import uuid
from collections.abc import Callable
from types import SimpleNamespace

from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from server.auth.access import Actor
from server.dbtypes import utcnow
from server.events.chain import link
from server.events.models import Event
from server.extensions import db
from server.records.registry import record_type

# Features above a record type hear of its changes here: (entity_type, action) -> listeners.
_LISTENERS: dict[tuple[str, str], list[Callable[[Event], None]]] = {}


def on_event(entity_type: str, action: str, listener: Callable[[Event], None]) -> None:
    """Call listener(event) inside the writer's transaction whenever record_event writes this
    action of this record type (once per listener, however often the app is built)."""
    listeners = _LISTENERS.setdefault((entity_type, action), [])
    if listener not in listeners:
        listeners.append(listener)


def record_event(
    organization_id: int, actor_id: int | None, entity_type: str, entity_id, action: str, **data
) -> Event:
    """Add an event to the session, chained after the organization's newest (flushed, so its
    id is known), and tell its listeners; the caller commits."""
    row = _row(actor_id, entity_type, entity_id, action, data, utcnow())
    link(organization_id, [row])
    event = Event(**row)
    db.session.add(event)
    db.session.flush()
    for listener in _LISTENERS.get((entity_type, action), ()):
        listener(event)
    return event


def record_events(
    organization_id: int, actor_id: int | None, entity_type: str, changes: list[tuple]
) -> list[int]:
    """Add one event per (entity_id, action, data) in one statement, chained in that order;
    their ids, in that order.

    For a batch of new records (a phone's sync): the same rows record_event writes, at once.
    """
    if not changes:
        return []
    now = utcnow()
    rows = [
        _row(actor_id, entity_type, entity_id, action, data, now)
        for entity_id, action, data in changes
    ]
    link(organization_id, rows)
    return list(
        db.session.scalars(insert(Event).returning(Event.id, sort_by_parameter_order=True), rows)
    )


def _row(actor_id: int | None, entity_type: str, entity_id, action: str, data, now) -> dict:
    """An event's values before it is chained; the data as it will read back (keys as strings,
    tuples as lists), since the hash must match what the database gives back."""
    return {
        "actor_id": actor_id,
        "entity_type": entity_type,
        "entity_id": str(entity_id),
        "action": action,
        "data": json.loads(json.dumps(data)),
        "created_at": now,
    }


def events_of(organization_id: int, entity_type: str, entity_id) -> list[Event]:
    """The events of one record, oldest first."""
    return list(
        db.session.scalars(
            select(Event)
            .where(
                Event.organization_id == organization_id,
                Event.entity_type == entity_type,
                Event.entity_id == str(entity_id),
            )
            .options(selectinload(Event.actor))
            .order_by(Event.id)
        )
    )


def created_hash(organization_id: int, entity_type: str, entity_id) -> str | None:
    """The content hash a record's "created" event kept: a resend of the same id must match it."""
    created = db.session.scalar(
        select(Event.data).where(
            Event.organization_id == organization_id,
            Event.entity_type == entity_type,
            Event.entity_id == str(entity_id),
            Event.action == "created",
        )
    )
    return (created or {}).get("content_hash")


# Event data that names another record, by the record type it names: told only to readers
# who may open that record.
LINKS = {"other_report_id": "report"}


def log_for(actor: Actor, entity_type: str, record) -> list:
    """The event log of a record the actor may open, as they may read it, oldest first."""
    events = events_of(record.organization_id, entity_type, record.id)
    return without_links(events, _openable_links(actor, events))


def _openable_links(actor: Actor, events: list[Event]) -> set[str]:
    """The ids, among the records these events name, of those the actor may open."""
    named: dict[str, set[str]] = {}
    for event in events:
        for key, kind in LINKS.items():
            if key in (event.data or {}):
                named.setdefault(kind, set()).add(event.data[key])
    openable = set()
    for kind, ids in named.items():
        wanted = [_as_uuid(value) for value in ids]
        found = db.session.scalars(record_type(kind).visible_ids(actor, [w for w in wanted if w]))
        openable |= {str(record_id) for record_id in found}
    return openable


def _as_uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def without_links(events: list[Event], shown: set[str]) -> list:
    """The events as a reader sees them: names of records outside shown left out.

    The events themselves are left as they are; a changed event is a plain copy.
    """
    seen = []
    for event in events:
        data = event.data or {}
        hidden = {k for k in LINKS if k in data and data[k] not in shown}
        if hidden:
            data = {k: v for k, v in event.data.items() if k not in hidden}
            fields = ("id", "action", "actor", "created_at")
            event = SimpleNamespace(**{f: getattr(event, f) for f in fields}, data=data)
        seen.append(event)
    return seen
