"""Objectives (ISO 45001, 14001 and 9001 clause 6.2) with their hand-entered monthly figures,
and management reviews (clause 9.3): their period and sites, the inputs frozen when held, and
leadership's outputs. A review's actions are the nonconformities' Action rows (Action.review_pk).
"""

import uuid

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.dbtypes import UTCDateTime, utcnow
from server.extensions import db
from server.records.states import StateMachine

INJURY_RATE, ACTIONS_ON_TIME, EFFECTIVE_FIRST_TIME = (
    "injury_rate",
    "actions_on_time",
    "effective_first_time",
)
SITES_AUDITED, REPORTS_PER_PERSON, MANUAL = "sites_audited", "reports_per_person", "manual"
MEASURES = (
    INJURY_RATE,
    ACTIONS_ON_TIME,
    EFFECTIVE_FIRST_TIME,
    SITES_AUDITED,
    REPORTS_PER_PERSON,
    MANUAL,
)
MEASURE_LABELS = {
    INJURY_RATE: "Injuries per 200,000 hours worked",
    ACTIONS_ON_TIME: "Actions done by their due day (%)",
    EFFECTIVE_FIRST_TIME: "Nonconformities effective at their first check (%)",
    SITES_AUDITED: "Sites audited in every quarter (%)",
    REPORTS_PER_PERSON: "Reports per active person",
    MANUAL: "A figure entered by hand each month",
}
# The unit an objective shows when none is given.
MEASURE_UNITS = {
    INJURY_RATE: "per 200,000 h",
    ACTIONS_ON_TIME: "%",
    EFFECTIVE_FIRST_TIME: "%",
    SITES_AUDITED: "%",
    REPORTS_PER_PERSON: "reports per person",
    MANUAL: "",
}
# Measures that take a figure by hand each month: hours worked, or the measured value itself.
HAND_ENTERED = (INJURY_RATE, MANUAL)
AT_MOST, AT_LEAST = "at_most", "at_least"
DIRECTIONS = (AT_MOST, AT_LEAST)
DIRECTION_LABELS = {AT_MOST: "At most the target", AT_LEAST: "At least the target"}

DRAFT, HELD = "draft", "held"
# A review is prepared as a draft (its inputs computed live) and held once: then its inputs are
# frozen as leadership saw them.
REVIEW_STATES = StateMachine("management review", moves={DRAFT: (HELD,), HELD: ()})
STATUS_LABELS = {DRAFT: "Draft", HELD: "Held"}


class Objective(db.Model):
    """A measurable target of the organization or of one site, with the direction that meets it."""

    __table_args__ = (
        UniqueConstraint("organization_id", "id"),
        Index(None, "organization_id", "change_id"),
        Index("ix_objective_site", "organization_id", "site_id", "active"),
    )

    pk: Mapped[int] = mapped_column(primary_key=True)
    id: Mapped[uuid.UUID]
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    # None: the whole organization.
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"))
    title: Mapped[str] = mapped_column(String(200))
    measure: Mapped[str] = mapped_column(String(32))
    target: Mapped[float] = mapped_column(Float)
    direction: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # SHA-256 of the objective as first sent: a resend is told from a conflicting one (409).
    content_hash: Mapped[str] = mapped_column(String(64))
    change_id: Mapped[int] = mapped_column(default=0)
    changed_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    site = relationship("Site")
    figures: Mapped[list["ObjectiveFigure"]] = relationship(
        back_populates="objective", order_by="ObjectiveFigure.month"
    )


class ObjectiveFigure(db.Model):
    """One month's hand-entered figure of an objective: hours worked for an injury rate, the
    measured value itself for a manual objective."""

    __table_args__ = (UniqueConstraint("objective_pk", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_pk: Mapped[int] = mapped_column(ForeignKey("objective.pk", ondelete="CASCADE"))
    # The month's first day.
    month = mapped_column(Date, nullable=False)
    value: Mapped[float] = mapped_column(Float)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    entered_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    objective: Mapped[Objective] = relationship(back_populates="figures")


class Review(db.Model):
    """A management review of a period (inclusive days) and sites: its inputs, computed from the
    records while a draft and frozen when held, and leadership's outputs."""

    __table_args__ = (
        UniqueConstraint("organization_id", "id"),
        Index(None, "organization_id", "change_id"),
        # The list, newest period first; the previous held review.
        Index("ix_review_period", "organization_id", "status", "period_end"),
    )

    pk: Mapped[int] = mapped_column(primary_key=True)
    id: Mapped[uuid.UUID]
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    title: Mapped[str] = mapped_column(String(200))
    period_start = mapped_column(Date, nullable=False)
    period_end = mapped_column(Date, nullable=False)
    # Site ids in scope, ascending; empty: every site of the organization.
    site_ids: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default=DRAFT)
    # The inputs as leadership saw them: None while a draft (computed live), frozen at hold.
    inputs: Mapped[dict | None] = mapped_column(JSON)
    attendees: Mapped[list] = mapped_column(JSON, default=list)
    # [{text}]
    decisions: Mapped[list] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    held_on = mapped_column(Date, nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    held_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    held_at = mapped_column(UTCDateTime, nullable=True)
    # SHA-256 of POST /api/reviews' body: a resend is told from a conflicting one (409).
    content_hash: Mapped[str] = mapped_column(String(64))
    change_id: Mapped[int] = mapped_column(default=0)
    changed_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    created_by = relationship("User", foreign_keys=[created_by_id])
    held_by = relationship("User", foreign_keys=[held_by_id])
    actions = relationship("Action", back_populates="review", order_by="Action.pk")
