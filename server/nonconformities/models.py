"""Nonconformity (NC) and Action (the corrective action request's actions)."""

import uuid

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

# An NC names the document it concerns: that table must be known wherever NCs are.
import server.documents.models  # noqa: F401
from server.dbtypes import UTCDateTime, utcnow
from server.extensions import db
from server.records.states import StateMachine

SEVERITIES = ("minor", "major")
SEVERITY_LABELS = {"minor": "Minor", "major": "Major"}
SOURCES = ("report", "audit", "complaint", "incident", "other")
SOURCE_LABELS = {
    "report": "Field report",
    "audit": "Audit finding",
    "complaint": "Complaint",
    "incident": "Incident",
    "other": "Other source",
}
OPEN, ANALYSED, ACTIONS, VERIFYING, CLOSED, CANCELLED = (
    "open",
    "analysed",
    "actions",
    "verifying",
    "closed",
    "cancelled",
)
# The one place an NC's life is written down. Only the effectiveness check closes an NC; "not
# effective" sends it back to actions.
NC_STATES = StateMachine(
    "nonconformity",
    moves={
        OPEN: (ANALYSED, CANCELLED),
        ANALYSED: (ACTIONS, CANCELLED),
        ACTIONS: (VERIFYING, CANCELLED),
        VERIFYING: (CLOSED, ACTIONS, CANCELLED),
        CLOSED: (),
        CANCELLED: (),
    },
)
STATUS_LABELS = {
    OPEN: "Open",
    ANALYSED: "Root cause recorded",
    ACTIONS: "Actions planned",
    VERIFYING: "Verifying",
    CLOSED: "Closed",
    CANCELLED: "Cancelled",
}
ACTION_KINDS = ("correction", "corrective", "preventive")
ACTION_KIND_LABELS = {
    "correction": "Correction",
    "corrective": "Corrective action",
    "preventive": "Preventive action",
}
# The hierarchy of controls (ISO 45001 8.1.2), most effective first.
CONTROLS = ("elimination", "substitution", "engineering", "administrative", "ppe")
CONTROL_LABELS = {
    "elimination": "Elimination",
    "substitution": "Substitution",
    "engineering": "Engineering control",
    "administrative": "Administrative control",
    "ppe": "PPE",
}
WEAK_CONTROLS = ("administrative", "ppe")
ACTION_OPEN, ACTION_DONE, ACTION_CANCELLED = "open", "done", "cancelled"
# An action is done by its owner; it is cancelled only with its NC.
ACTION_STATES = StateMachine(
    "action",
    moves={ACTION_OPEN: (ACTION_DONE, ACTION_CANCELLED), ACTION_DONE: (), ACTION_CANCELLED: ()},
)
ACTION_STATUS_LABELS = {ACTION_OPEN: "Open", ACTION_DONE: "Done", ACTION_CANCELLED: "Cancelled"}


class Nonconformity(db.Model):
    """A nonconformity: what went wrong, where, its root cause, its actions and their check."""

    __table_args__ = (
        UniqueConstraint("organization_id", "id"),
        Index(None, "organization_id", "change_id"),
        # The NC list and repeat detection: one organization's NCs by site, newest first.
        Index("ix_nonconformity_list", "organization_id", "site_id", "created_at"),
        # Repeat detection by triage category, within the organization.
        Index("ix_nonconformity_category", "organization_id", "category", "created_at"),
    )

    pk: Mapped[int] = mapped_column(primary_key=True)
    id: Mapped[uuid.UUID]
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    # The report it was raised from (linked both ways: a report has at most one NC).
    report_pk: Mapped[int | None] = mapped_column(
        ForeignKey("report.pk", ondelete="SET NULL"), unique=True
    )
    clause: Mapped[str | None] = mapped_column(String(32))
    # The controlled document (procedure, policy) the NC concerns.
    document_pk: Mapped[int | None] = mapped_column(ForeignKey("document.pk", ondelete="SET NULL"))
    # The report's triage category when raised from one: repeat detection compares it.
    category: Mapped[str | None] = mapped_column(String(64))
    containment: Mapped[str | None] = mapped_column(Text)
    # {method: "5whys" or "ishikawa", whys: [...], statement, analysis_report_id, recorded_at,
    # recorded_by}: set by server.nonconformities.services, never edited in place.
    root_cause: Mapped[dict | None] = mapped_column(JSON)
    repeat_of_pk: Mapped[int | None] = mapped_column(ForeignKey("nonconformity.pk"))
    repeat_reason: Mapped[str | None] = mapped_column(Text)
    # Why a major NC keeps only administrative or PPE controls, when the officer says so.
    weak_controls_reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=OPEN)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # The effectiveness check: allowed from verify_after; checks counts every check made.
    verify_after = mapped_column(UTCDateTime, nullable=True)
    checks: Mapped[int] = mapped_column(default=0)
    effective: Mapped[bool | None]
    verification_notes: Mapped[str | None] = mapped_column(Text)
    verified_at = mapped_column(UTCDateTime, nullable=True)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    closed_at = mapped_column(UTCDateTime, nullable=True)
    # SHA-256 of the NC as first sent: a resend is told from a conflicting one (409).
    content_hash: Mapped[str] = mapped_column(String(64))
    change_id: Mapped[int] = mapped_column(default=0)
    changed_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    actions: Mapped[list["Action"]] = relationship(
        back_populates="nonconformity", order_by="Action.pk"
    )
    site = relationship("Site")
    raised_by = relationship("User", foreign_keys=[raised_by_id])
    verified_by = relationship("User", foreign_keys=[verified_by_id])
    report = relationship("Report")
    repeat_of = relationship("Nonconformity", remote_side=[pk])


class Action(db.Model):
    """One action of an NC (a correction, corrective or preventive) or of a management review,
    with an owner and a due day."""

    # The owner sees and completes their own actions; officers see all of their sites'.
    __owner_column__ = "owner_id"
    __table_args__ = (
        UniqueConstraint("organization_id", "id"),
        Index(None, "organization_id", "change_id"),
        # My actions (overdue first) and the reminders: open actions by owner and due day.
        Index("ix_action_owner_due", "organization_id", "owner_id", "status", "due_on"),
        Index("ix_action_due", "status", "due_on"),
        # An NC's actions, and whether any is open and late (the NC list's overdue filter).
        Index("ix_action_nonconformity", "nonconformity_pk", "status", "due_on"),
        Index("ix_action_review", "review_pk"),
        # An action comes from exactly one place: an NC or a management review.
        CheckConstraint("(nonconformity_pk IS NULL) <> (review_pk IS NULL)", name="one_source"),
    )

    pk: Mapped[int] = mapped_column(primary_key=True)
    id: Mapped[uuid.UUID]
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    # The NC's site, copied so that access rules read it like any site-bound record.
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    # Where it comes from: an NC, or a management review's outputs (server.reviews).
    nonconformity_pk: Mapped[int | None] = mapped_column(ForeignKey("nonconformity.pk"))
    review_pk: Mapped[int | None] = mapped_column(ForeignKey("review.pk"))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    control: Mapped[str] = mapped_column(String(16))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    due_on = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(16), default=ACTION_OPEN)
    notes: Mapped[str | None] = mapped_column(Text)
    done_at = mapped_column(UTCDateTime, nullable=True)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # Fingerprints of the action as planned and of its done update (a resend is a duplicate).
    content_hash: Mapped[str] = mapped_column(String(64))
    done_hash: Mapped[str | None] = mapped_column(String(64))
    change_id: Mapped[int] = mapped_column(default=0)
    changed_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    nonconformity: Mapped[Nonconformity | None] = relationship(back_populates="actions")
    review = relationship("Review", back_populates="actions")
    owner = relationship("User", foreign_keys=[owner_id])
    done_by = relationship("User", foreign_keys=[done_by_id])
    site = relationship("Site")
