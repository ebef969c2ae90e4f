"""Report: one field observation, known by the UUID the phone made."""

import uuid

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.dbtypes import UTCDateTime
from server.extensions import db
from server.media.models import Attachment

KINDS = (
    "hazard",
    "near_miss",
    "environmental_incident",
    "injury",
    "audit_evidence",
    "good_practice",
)
KIND_LABELS = {
    "hazard": "Hazard",
    "near_miss": "Near miss",
    "environmental_incident": "Environmental incident",
    "injury": "Injury",
    "audit_evidence": "Audit evidence",
    "good_practice": "Good practice",
}
# awaiting_photos: saved, some photos not yet received; received: complete, waiting for triage.
STATUSES = ("awaiting_photos", "received", "triaged", "in_progress", "closed")
AWAITING_PHOTOS, RECEIVED = STATUSES[:2]
# Reports awaiting photos, as the partial index says it (see OPEN_CONDITION): the sweep reads them.
AWAITING_CONDITION = "status = 'awaiting_photos'"
RISK_BANDS = ((4, "low"), (9, "medium"), (16, "high"), (25, "critical"))
RISK_BAND_LABELS = {"low": "Low", "medium": "Medium", "high": "High", "critical": "Critical"}
# Each status as the desk shows it, and as the person who sent the report reads it.
STATUS_LABELS = {
    "awaiting_photos": "Photos arriving",
    "received": "Awaiting triage",
    "triaged": "Triaged",
    "in_progress": "In progress",
    "closed": "Closed",
}
STATUS_REPORTER_LABELS = {
    "awaiting_photos": "Photos still arriving",
    "received": "Received, waiting for triage",
    "triaged": "Triaged",
    "in_progress": "Being handled",
    "closed": "Closed",
}
# The words of the 5 x 5 matrix's axes, 1 to 5.
SEVERITY_LABELS = {1: "Negligible", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Catastrophic"}
LIKELIHOOD_LABELS = {1: "Rare", 2: "Unlikely", 3: "Possible", 4: "Likely", 5: "Almost certain"}
# The officer's queue sorts on queue_priority: 0 while awaiting triage, then P1..P4 as 1..4.
AWAITING_TRIAGE = 0
QUEUE_PRIORITIES = {"P1": 1, "P2": 2, "P3": 3, "P4": 4}
QUEUE_INDEX_COLUMNS = ("organization_id", "queue_priority", "queue_risk", "received_at", "pk")
# Open reports, as the partial index says it: a query repeats it word for word to use the index
# (SQLite proves no subtler implication, and never one from a bound parameter).
OPEN_CONDITION = "status <> 'closed'"


def risk_band(score: int | None) -> str | None:
    """The band of a 5x5 risk score: low 1-4, medium 5-9, high 10-16, critical 17-25."""
    if score is None:
        return None
    return next(band for ceiling, band in RISK_BANDS if score <= ceiling)


def queue_key(priority: str | None, risk_score: int | None) -> tuple[int, int]:
    """queue_priority and queue_risk for a priority and risk score (None while unknown).

    The risk is negated so that every queue column sorts ascending; 0 (unknown) comes after
    every known score, which is at least 1.
    """
    return QUEUE_PRIORITIES.get(priority, AWAITING_TRIAGE), -(risk_score or 0)


def _reported_queue_risk(context) -> int:
    """queue_risk of a new report: its reporter's own risk until triage scores it."""
    row = context.get_current_parameters()
    severity, likelihood = row.get("severity"), row.get("likelihood")
    return queue_key(None, severity * likelihood if severity and likelihood else None)[1]


class Report(db.Model):
    """One field observation; its identity is the UUID the phone made."""

    __owner_column__ = "reporter_id"
    __table_args__ = (
        UniqueConstraint("organization_id", "id"),
        Index(None, "organization_id", "change_id"),
        # Duplicate search and related reports read one site's reports in a time window.
        Index("ix_report_site_id_observed_at", "site_id", "observed_at"),
        # The officer's queue: keyset pages in this order, within one organization; and the
        # same over open reports only, which most queue and overview queries read (status
        # last, so that counting open reports by status needs only the index).
        Index("ix_report_queue", *QUEUE_INDEX_COLUMNS),
        Index(
            "ix_report_queue_open",
            *QUEUE_INDEX_COLUMNS,
            "status",
            sqlite_where=text(OPEN_CONDITION),
            postgresql_where=text(OPEN_CONDITION),
        ),
        # The overview's weekly counts: one organization's recent observations by category.
        Index("ix_report_weeks", "organization_id", "observed_at", "queue_category"),
        # The few reports awaiting photos, which the worker's sweep looks at again and again.
        Index(
            "ix_report_awaiting_photos",
            "changed_at",
            sqlite_where=text(AWAITING_CONDITION),
            postgresql_where=text(AWAITING_CONDITION),
        ),
        CheckConstraint("severity BETWEEN 1 AND 5", name="severity"),
        CheckConstraint("likelihood BETWEEN 1 AND 5", name="likelihood"),
    )

    pk: Mapped[int] = mapped_column(primary_key=True)
    id: Mapped[uuid.UUID]
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    observed_at = mapped_column(UTCDateTime, nullable=False)
    received_at = mapped_column(UTCDateTime, nullable=False)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    accuracy_m: Mapped[float | None]
    severity: Mapped[int | None]
    likelihood: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(32))
    # SHA-256 of the report as first sent: tells a harmless resend from a conflicting one.
    content_hash: Mapped[str] = mapped_column(String(64))
    # The newest event about this report and when it happened: the change feed's cursor.
    change_id: Mapped[int] = mapped_column(default=0)
    changed_at = mapped_column(UTCDateTime, nullable=False)
    # The officer's desk sorts, filters and groups on this copy of the effective triage, which
    # triage keeps (server.triage.services.settle): priority and risk as the queue's sort key
    # (see queue_key), category and due date (None until triaged).
    queue_priority: Mapped[int] = mapped_column(
        SmallInteger, default=AWAITING_TRIAGE, server_default="0"
    )
    queue_risk: Mapped[int] = mapped_column(
        SmallInteger, default=_reported_queue_risk, server_default="0"
    )
    queue_category: Mapped[str | None] = mapped_column(String(64))
    queue_due_at = mapped_column(UTCDateTime, nullable=True)
    # What the officer said with the latest change of status (a closing note is required), and
    # when the report was closed (None while open); server.reports.status sets them.
    status_note: Mapped[str | None] = mapped_column(Text)
    closed_at = mapped_column(UTCDateTime, nullable=True)

    # Written by server.media.attachments, read here in their order.
    photos: Mapped[list[Attachment]] = relationship(
        primaryjoin=(
            "and_(Attachment.record_type == 'report', foreign(Attachment.record_pk) == Report.pk)"
        ),
        order_by=Attachment.position,
        viewonly=True,
    )
    site = relationship("Site")
    reporter = relationship("User")

    @property
    def risk_score(self) -> int | None:
        """Severity x likelihood, when both are known."""
        if self.severity is None or self.likelihood is None:
            return None
        return self.severity * self.likelihood

    @property
    def risk_band(self) -> str | None:
        return risk_band(self.risk_score)
