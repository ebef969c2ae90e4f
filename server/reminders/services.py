"""A person's notifications: the list, the unread count for the badge, marking them read."""

from sqlalchemy import func, select, update

from server.auth.access import Actor
from server.dbtypes import utcnow
from server.exceptions import NotFound
from server.extensions import db
from server.reminders.models import Notification


def _mine(actor: Actor, stmt):
    """stmt limited to the actor's own notifications in the organization signed in to."""
    return stmt.where(
        Notification.user_id == actor.user_id,
        Notification.organization_id == actor.organization_id,
    )


def notification_view(notification: Notification) -> dict:
    """A notification as the API shows it, with the record it links to."""
    return {
        "id": notification.id,
        "kind": notification.kind,
        "title": notification.title,
        "body": notification.body,
        "record": {
            "type": notification.record_type,
            "id": notification.record_id,
            "nonconformity_id": notification.nonconformity_id,
        },
        "created_at": notification.created_at,
        "read_at": notification.read_at,
    }


def unread_count(actor: Actor) -> int:
    """How many of my notifications I have not read."""
    stmt = _mine(actor, select(func.count()).select_from(Notification))
    return db.session.scalar(stmt.where(Notification.read_at.is_(None)))


def inbox(actor: Actor, limit: int = 50, cursor: str | None = None, unread: bool = False) -> dict:
    """A page of my notifications, newest first, with my unread count and the next cursor."""
    stmt = _mine(actor, select(Notification)).order_by(Notification.id.desc()).limit(limit + 1)
    if cursor is not None:
        stmt = stmt.where(Notification.id < int(cursor))
    if unread:
        stmt = stmt.where(Notification.read_at.is_(None))
    found = list(db.session.scalars(stmt))
    page = found[:limit]
    return {
        "items": [notification_view(n) for n in page],
        "unread": unread_count(actor),
        "next_cursor": str(page[-1].id) if len(found) > limit else None,
    }


def mark_read(actor: Actor, notification_id: int) -> dict:
    """Mark one of my notifications read (the first time counts); NotFound when not mine."""
    notification = db.session.scalar(
        _mine(actor, select(Notification)).where(Notification.id == notification_id)
    )
    if notification is None:
        raise NotFound(f"No notification with id {notification_id}.")
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification_view(notification)


def mark_all_read(actor: Actor) -> int:
    """Mark every unread notification of mine read; returns how many were."""
    stmt = _mine(actor, update(Notification)).where(Notification.read_at.is_(None))
    marked = db.session.execute(stmt.values(read_at=utcnow())).rowcount
    db.session.commit()
    return marked
