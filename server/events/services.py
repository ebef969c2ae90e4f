"""Writing to the event log, inside the caller's transaction."""

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
