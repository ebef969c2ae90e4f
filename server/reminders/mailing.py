"""Notifications by mail: one message per person per scan, listing what they are told."""

from sqlalchemy import select, update

from server.auth.models import User
from server.dbtypes import utcnow
from server.extensions import db
from server.mail.smtp import mail_enabled, send
from server.reminders.models import Notification

# A mail lists this many reminders at most; the app shows them all.
MAX_LISTED = 25


def _subject(told: list[tuple[str, str]]) -> str:
    return told[0][0] if len(told) == 1 else f"Safeloop: {len(told)} reminders"


def _text(name: str, told: list[tuple[str, str]]) -> str:
    lines = [f"Hello {name},", ""]
    for title, body in told[:MAX_LISTED]:
        lines += [title, body, ""]
    if len(told) > MAX_LISTED:
        lines += [f"... and {len(told) - MAX_LISTED} more.", ""]
    lines.append("Open Safeloop to see them all: the bell shows what is new.")
    return "\n".join(lines)


def mail_notifications(notification_ids: list[int]) -> int:
    """Mail these notifications (all one person's) that are not mailed yet; returns how many."""
    rows = db.session.execute(
        select(Notification.id, Notification.title, Notification.body, User.email, User.name)
        .join(User, User.id == Notification.user_id)
        .where(
            Notification.id.in_(notification_ids),
            Notification.mailed_at.is_(None),
            User.active,
        )
        .order_by(Notification.id)
    ).all()
    # No transaction stays open while the SMTP server is talked to.
    db.session.commit()
    if not rows or not rows[0].email or not mail_enabled():
        return 0
    told = [(row.title, row.body) for row in rows]
    # Sent first, then marked: a crash in between sends it again rather than never.
    send(rows[0].email, _subject(told), _text(rows[0].name, told))
    db.session.execute(
        update(Notification)
        .where(Notification.id.in_([row.id for row in rows]))
        .values(mailed_at=utcnow())
    )
    db.session.commit()
    return len(rows)
