"""Writing to the event log, inside the caller's transaction."""

from types import SimpleNamespace

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from server.events.models import Event
from server.extensions import db


def record_event(
    organization_id: int, actor_id: int | None, entity_type: str, entity_id, action: str, **data
) -> Event:
    """Add an event to the session (flushed, so its id is known); the caller commits."""
    event = Event(
        organization_id=organization_id,
        actor_id=actor_id,
        entity_type=entity_type,
        entity_id=str(entity_id),
        action=action,
        data=data,
    )
    db.session.add(event)
    db.session.flush()
    return event


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


# Event data that names another report: told only to readers who may open that report.
REPORT_LINKS = ("other_report_id",)


def linked_reports(events: list[Event]) -> set[str]:
    """The ids of other reports these events name."""
    return {e.data[key] for e in events for key in REPORT_LINKS if key in (e.data or {})}


def without_links(events: list[Event], shown: set[str]) -> list:
    """The events as a reader sees them: names of reports outside shown left out.

    The events themselves are left as they are; a changed event is a plain copy.
    """
    seen = []
    for event in events:
        hidden = {k for k in REPORT_LINKS if k in (event.data or {}) and event.data[k] not in shown}
        if hidden:
            data = {k: v for k, v in event.data.items() if k not in hidden}
            fields = ("id", "action", "actor", "created_at")
            event = SimpleNamespace(**{f: getattr(event, f) for f in fields}, data=data)
        seen.append(event)
    return seen
