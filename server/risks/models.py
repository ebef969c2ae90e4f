"""The risk and opportunity register (ISO 45001, 14001 and 9001 clause 6.1): its entries, the
reviews that rated them, and the records (reports, NCs, audit findings) linked to them."""

import uuid

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.dbtypes import UTCDateTime, utcnow
from server.extensions import db

RISK, OPPORTUNITY = "risk", "opportunity"
KINDS = (RISK, OPPORTUNITY)
KIND_LABELS = {RISK: "Risk", OPPORTUNITY: "Opportunity"}
ACTIVE, ARCHIVED = "active", "archived"
STATUSES = (ACTIVE, ARCHIVED)
STATUS_LABELS = {ACTIVE: "Active", ARCHIVED: "No longer applies"}
# Why an entry is due for review before its date (ISO 45001 10.2: after incidents and NCs).
REVIEW_REASONS = ("incident", "major_nc", "not_effective", "date")
REVIEW_REASON_LABELS = {
    "incident": "An incident was linked to it",
    "major_nc": "A major nonconformity was linked to it",
    "not_effective": "An action on a linked nonconformity was not effective",
    "date": "Its review date has come",
}
# Records that link to an entry; each links to at most one.
LINKED_TYPES = ("report", "nonconformity", "audit_response")


class Risk(db.Model):
    """One entry of a site's register: a risk (harm) or an opportunity (benefit), rated on the
    5 x 5 matrix before (inherent) and after (residual) its controls."""

    __table_args__ = (
        UniqueConstraint("organization_id", "id"),
        # "R-14": numbered per organization, in the order entered.
        UniqueConstraint("organization_id", "number"),
        Index(None, "organization_id", "change_id"),
        # The register of a site, and what is due for review.
        Index("ix_risk_register", "organization_id", "site_id", "status", "number"),
        Index("ix_risk_review", "organization_id", "status", "review_on"),
        # Link suggestions for a report: the site's entries of its category.
        Index("ix_risk_category", "organization_id", "site_id", "category"),
    )

    pk: Mapped[int] = mapped_column(primary_key=True)
    id: Mapped[uuid.UUID]
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    number: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16), default=RISK)
    activity: Mapped[str] = mapped_column(String(200))
    # The hazard of a risk, or the benefit of an opportunity.
    hazard: Mapped[str] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(200))
    # The triage category of the reports it concerns (link suggestions), when known.
    category: Mapped[str | None] = mapped_column(String(64))
    severity: Mapped[int]
    likelihood: Mapped[int]
    # [{text, control}] with control one of the hierarchy (nonconformities.models.CONTROLS).
    controls: Mapped[list] = mapped_column(JSON, default=list)
    residual_severity: Mapped[int]
    residual_likelihood: Mapped[int]
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    review_on = mapped_column(Date, nullable=False)
    # Set when a linked incident, major NC or failed check calls for a review before review_on.
    review_reason: Mapped[str | None] = mapped_column(String(16))
    review_note: Mapped[str | None] = mapped_column(Text)
    review_requested_at = mapped_column(UTCDateTime, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default=ACTIVE)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # SHA-256 of the entry as first sent: a resend is told from a conflicting one (409).
    content_hash: Mapped[str] = mapped_column(String(64))
    change_id: Mapped[int] = mapped_column(default=0)
    changed_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    site = relationship("Site")
    owner = relationship("User", foreign_keys=[owner_id])
    reviews: Mapped[list["RiskReview"]] = relationship(
        back_populates="risk", order_by="RiskReview.pk"
    )


class RiskReview(db.Model):
    """One rating of an entry, as entered or reviewed: the history keeps every one."""

    __table_args__ = (Index("ix_risk_review_risk", "risk_pk", "pk"),)

    pk: Mapped[int] = mapped_column(primary_key=True)
    risk_pk: Mapped[int] = mapped_column(ForeignKey("risk.pk"))
    severity: Mapped[int]
    likelihood: Mapped[int]
    controls: Mapped[list] = mapped_column(JSON, default=list)
    residual_severity: Mapped[int]
    residual_likelihood: Mapped[int]
    review_on = mapped_column(Date, nullable=False)
    # Why it was reviewed (a REVIEW_REASONS value, or None for a planned review or the entry).
    reason: Mapped[str | None] = mapped_column(String(16))
    notes: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reviewed_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    risk: Mapped[Risk] = relationship(back_populates="reviews")
    reviewed_by = relationship("User")


class RiskLink(db.Model):
    """A record (report, NC, audit finding) that concerns an entry of the register."""

    __table_args__ = (
        # Each record concerns at most one entry; linking it again moves it.
        UniqueConstraint("record_type", "record_pk"),
        Index("ix_risk_link_risk", "risk_pk", "record_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    risk_pk: Mapped[int] = mapped_column(ForeignKey("risk.pk"))
    record_type: Mapped[str] = mapped_column(String(32))
    record_pk: Mapped[int]
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    linked_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    risk: Mapped[Risk] = relationship()
