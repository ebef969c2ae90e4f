"""Reminder (one sent per record, state and due day) and Notification (a person's inbox)."""

import uuid

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.dbtypes import UTCDateTime, utcnow
from server.extensions import db

# What a reminder is about, and the states that are each reminded of once.
ACTION, NONCONFORMITY, RISK = "action", "nonconformity", "risk"
COMPETENCE, DOCUMENT = "competence", "document"
DUE_SOON, DUE_TODAY, OVERDUE, ESCALATED = "due_soon", "due_today", "overdue", "escalated"
CHECK_DUE = "check_due"
# A register entry's review: asked for by a linked record, its day come, or that day passed.
# A controlled document's: its day come, or passed by a week.
REVIEW_REQUESTED, REVIEW_DUE, REVIEW_OVERDUE = "review_requested", "review_due", "review_overdue"
# A competence record expiring within the organization's training_due_days, or expired.
EXPIRED = "expired"
STATES = {
    ACTION: (DUE_SOON, DUE_TODAY, OVERDUE, ESCALATED),
    NONCONFORMITY: (CHECK_DUE,),
    RISK: (REVIEW_REQUESTED, REVIEW_DUE, REVIEW_OVERDUE),
    COMPETENCE: (DUE_SOON, EXPIRED),
    DOCUMENT: (REVIEW_DUE, REVIEW_OVERDUE),
}
# The notification kinds people see ("action_due_soon", ..., "risk_review_overdue").
KINDS = tuple(f"{kind}_{state}" for kind, states in STATES.items() for state in states)


class Reminder(db.Model):
    """A reminder that was sent: inserted before anyone is told, so each is sent only once.

    due_on is the action's due day (or the day the NC's check became due, or the entry's review
    day, or the day its review was asked for, or a competence's expiry day, or a document's
    review day): an action given a new due day, an NC that comes back to its check, or an entry
    or document reviewed and due again, is reminded of again.
    """

    __table_args__ = (UniqueConstraint("kind", "record_pk", "state", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    record_pk: Mapped[int]
    state: Mapped[str] = mapped_column(String(16))
    due_on = mapped_column(Date, nullable=False)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class Notification(db.Model):
    """Something a person is told in the app (and by mail when it is set up)."""

    __table_args__ = (
        # My notifications, newest first; my unread count.
        Index("ix_notification_inbox", "user_id", "organization_id", "id"),
        Index("ix_notification_unread", "user_id", "organization_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # The record it links to: an action (with its NC), an NC, a register entry or a document by
    # their client ids, a competence record by its uid; the NC's id for an action's and an NC's
    # own notifications, none for the others.
    record_type: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[uuid.UUID]
    nonconformity_id: Mapped[uuid.UUID | None]
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    read_at = mapped_column(UTCDateTime, nullable=True)
    mailed_at = mapped_column(UTCDateTime, nullable=True)
