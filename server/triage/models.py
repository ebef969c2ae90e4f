"""Triage results, officers' overrides, possible duplicates, and SLA policies."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.dbtypes import UTCDateTime, utcnow
from server.extensions import db

PRIORITIES = ("P1", "P2", "P3", "P4")
DUPLICATE_STATUSES = ("suggested", "confirmed", "dismissed")
DUPLICATE_STATUS_LABELS = {
    "suggested": "Suggested, not decided yet",
    "confirmed": "Confirmed duplicate (linked)",
    "dismissed": "Dismissed",
}
# What an officer may override, by the name used in the API and in the computed values.
OVERRIDABLE = (
    "severity",
    "likelihood",
    "category",
    "reportable",
    "priority",
    "due_at",
    "assignee_id",
)


class Triage(db.Model):
    """The triage of one report: effective values (computed, or overridden) and their reasons.

    `computed` holds the job's own conclusions, `reasons` why it reached them; an overridden
    field's column holds the officer's value, and the job never writes over it.
    """

    __table_args__ = (
        CheckConstraint("priority IN ('P1', 'P2', 'P3', 'P4')", name="priority"),
        CheckConstraint("severity BETWEEN 1 AND 5", name="severity"),
        CheckConstraint("likelihood BETWEEN 1 AND 5", name="likelihood"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_pk: Mapped[int] = mapped_column(ForeignKey("report.pk", ondelete="CASCADE"), unique=True)
    severity: Mapped[int | None]
    likelihood: Mapped[int | None]
    risk_score: Mapped[int | None]
    risk_band: Mapped[str | None] = mapped_column(String(16))
    category: Mapped[str | None] = mapped_column(String(64))
    priority: Mapped[str | None] = mapped_column(String(2))
    due_at = mapped_column(UTCDateTime, nullable=True)
    reportable: Mapped[bool | None]
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    computed: Mapped[dict] = mapped_column(JSON, default=dict)
    reasons: Mapped[dict] = mapped_column(JSON, default=dict)
    runs: Mapped[int] = mapped_column(default=0)
    # How sure the classifier is of the category (0-1); below its threshold an officer is
    # asked to check the category.
    category_confidence: Mapped[float | None]
    check_category: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The language the report is written in, and what read it (vocabularies, examples, model).
    language: Mapped[str | None] = mapped_column(String(8))
    classifier_version: Mapped[str | None] = mapped_column(String(200))
    # The report's meaning as a vector (server.language.meaning), compared with other reports.
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # When the job last finished; None only inside the job's own, uncommitted, first run.
    triaged_at = mapped_column(UTCDateTime, nullable=True)

    report = relationship("Report")
    assignee = relationship("User")
    overrides: Mapped[list["TriageOverride"]] = relationship(
        order_by="TriageOverride.field", cascade="all, delete-orphan", back_populates="triage"
    )

    def override_values(self) -> dict:
        """Overridden fields and their values, as the columns hold them."""
        return {override.field: override.typed_value for override in self.overrides}


class TriageOverride(db.Model):
    """An officer's value for one triage field, who set it, when and why (latest one kept)."""

    __table_args__ = (UniqueConstraint("triage_id", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    triage_id: Mapped[int] = mapped_column(ForeignKey("triage.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(32))
    # JSON: a number, a string, a boolean, null, or an ISO-8601 time for due_at.
    value = mapped_column(JSON, nullable=True)
    reason: Mapped[str] = mapped_column(String(500))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    triage: Mapped[Triage] = relationship(back_populates="overrides")
    actor = relationship("User")

    @property
    def typed_value(self):
        """The value as the triage column holds it (due_at back to a datetime)."""
        if self.field == "due_at" and self.value is not None:
            return datetime.fromisoformat(self.value)
        return self.value


class DuplicateCandidate(db.Model):
    """Two reports that may describe the same thing; the pair is stored once, lower pk first."""

    __table_args__ = (
        UniqueConstraint("report_pk", "other_report_pk"),
        CheckConstraint("report_pk < other_report_pk", name="ordered_pair"),
        CheckConstraint("status IN ('suggested', 'confirmed', 'dismissed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_pk: Mapped[int] = mapped_column(ForeignKey("report.pk", ondelete="CASCADE"))
    other_report_pk: Mapped[int] = mapped_column(
        ForeignKey("report.pk", ondelete="CASCADE"), index=True
    )
    score: Mapped[float]
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="suggested")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at = mapped_column(UTCDateTime, nullable=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    decided_by = relationship("User")


class CategoryExample(db.Model):
    """A report an officer put in a category: later reports like it are classified the same way.

    One per report: the officer's latest category for it.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    report_pk: Mapped[int] = mapped_column(ForeignKey("report.pk", ondelete="CASCADE"), unique=True)
    category: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    embedding: Mapped[bytes] = mapped_column(LargeBinary)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    report = relationship("Report")
    created_by = relationship("User")


class SlaPolicy(db.Model):
    """How many hours an organization allows to deal with a report of each priority."""

    __table_args__ = tuple(
        CheckConstraint(f"{column} > 0", name=column)
        for column in ("p1_hours", "p2_hours", "p3_hours", "p4_hours")
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), unique=True)
    p1_hours: Mapped[int]
    p2_hours: Mapped[int]
    p3_hours: Mapped[int]
    p4_hours: Mapped[int]
    updated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    def hours(self) -> dict[str, int]:
        """Hours allowed by priority."""
        return {p: getattr(self, f"{p.lower()}_hours") for p in PRIORITIES}
