"""EvidenceBundle: an evidence bundle built by a job, kept in storage for a day."""

import uuid

from sqlalchemy import BigInteger, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.dbtypes import UTCDateTime, utcnow
from server.extensions import db

QUEUED, BUILDING, READY, FAILED, EXPIRED = "queued", "building", "ready", "failed", "expired"
STATUSES = (QUEUED, BUILDING, READY, FAILED, EXPIRED)


class EvidenceBundle(db.Model):
    """One evidence bundle asked for: its period and sites, the job's progress, and the file."""

    # Those who asked see their own bundles; an admin of the organization sees them all.
    __owner_column__ = "requested_by_id"
    __table_args__ = (
        UniqueConstraint("organization_id", "id"),
        # The sweep that deletes files past their day.
        Index("ix_evidence_bundle_expiry", "status", "expires_at"),
    )

    pk: Mapped[int] = mapped_column(primary_key=True)
    id: Mapped[uuid.UUID]
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    # One site, or None for every site the person who asked may see.
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"))
    period_start = mapped_column(Date, nullable=False)
    period_end = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)
    # Files written so far, of the files the bundle will hold.
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    # The file once ready: its storage key, size and SHA-256.
    storage_key: Mapped[str | None] = mapped_column(String(200))
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(String(500))
    requested_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    started_at = mapped_column(UTCDateTime, nullable=True)
    finished_at = mapped_column(UTCDateTime, nullable=True)
    expires_at = mapped_column(UTCDateTime, nullable=True)
