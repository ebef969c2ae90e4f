"""Writing to the event log, inside the caller's transaction."""

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
