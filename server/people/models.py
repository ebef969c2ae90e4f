"""Competence records: a person's training and qualifications (ISO 45001 7.2, ISO 19011 7)."""

import uuid

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from server.dbtypes import UTCDateTime, utcnow
from server.extensions import db

# The modules every organization has; an organization may record its own besides.
MODULES = ("risk_based_thinking", "document_control", "internal_audit", "root_cause_analysis")
MODULE_LABELS = {
    "risk_based_thinking": "Risk-based thinking",
    "document_control": "Document control",
    "internal_audit": "Internal auditing",
    "root_cause_analysis": "Root cause analysis",
}
INTERNAL_AUDIT = "internal_audit"


class Competence(db.Model):
    """One training or qualification record of one person in one organization."""

    __table_args__ = (
        # Whether someone holds a module now, and what expires soon.
        Index("ix_competence_holder", "organization_id", "user_id", "module"),
        Index("ix_competence_expiry", "organization_id", "expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Names the record where only a UUID will do (a reminder's notification links to it).
    uid: Mapped[uuid.UUID] = mapped_column(default=uuid.uuid4, unique=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    module: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    completed_on = mapped_column(Date, nullable=False)
    # None: it does not expire.
    expires_on = mapped_column(Date, nullable=True)
    certificate_sha256: Mapped[str | None] = mapped_column(String(64))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    user = relationship("User", foreign_keys=[user_id])
    # The ground (attachments, the photo download's check) reaches records by their `pk`.
    pk = synonym("id")


class CompetenceModule(db.Model):
    """A module of an organization's own, beside the four every organization has."""

    __table_args__ = (UniqueConstraint("organization_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    slug: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
