"""Document, DocumentRevision, DocumentFile and DocumentAcknowledgement."""

import uuid

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.dbtypes import UTCDateTime, utcnow
from server.extensions import db

KINDS = ("policy", "procedure", "work_instruction", "form", "other")
KIND_LABELS = {
    "policy": "Policy",
    "procedure": "Procedure",
    "work_instruction": "Work instruction",
    "form": "Form",
    "other": "Other",
}
DRAFT, APPROVED, OBSOLETE = "draft", "approved", "obsolete"
REVISION_STATUSES = (DRAFT, APPROVED, OBSOLETE)
REVISION_STATUS_LABELS = {DRAFT: "Draft", APPROVED: "Approved", OBSOLETE: "Obsolete"}
# A document's own status is its revisions': a draft until one is approved, withdrawn once none
# is current any more.
DOCUMENT_STATUS_LABELS = {DRAFT: "Draft", APPROVED: "Approved", OBSOLETE: "Withdrawn"}
# What a revision's file may be.
FILE_TYPES = ("application/pdf", "image/jpeg", "image/png", "image/webp")


class Document(db.Model):
    """A controlled document: a policy or procedure with its revisions.

    Its current revision is its one approved revision (approving a new one makes the last
    obsolete); a document with none approved is a draft, or withdrawn when all are obsolete.
    """

    __table_args__ = (UniqueConstraint("organization_id", "code"),)

    pk: Mapped[int] = mapped_column(primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(unique=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # The day its current revision is to be reviewed by.
    review_on = mapped_column(Date, nullable=True)
    # Who must read and acknowledge it: these roles (empty: every role) at these sites (empty:
    # every site).
    audience_roles: Mapped[list] = mapped_column(JSON, default=list)
    audience_site_ids: Mapped[list] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    changed_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    revisions: Mapped[list["DocumentRevision"]] = relationship(
        back_populates="document", order_by="DocumentRevision.number"
    )


class DocumentRevision(db.Model):
    """One revision of a document: its file (by SHA-256) and its state."""

    __table_args__ = (
        UniqueConstraint("document_pk", "number"),
        CheckConstraint("status IN ('draft', 'approved', 'obsolete')", name="status"),
        Index("ix_document_revision_status", "document_pk", "status"),
    )

    pk: Mapped[int] = mapped_column(primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(unique=True)
    document_pk: Mapped[int] = mapped_column(ForeignKey("document.pk", ondelete="CASCADE"))
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default=DRAFT)
    file_sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    approved_at = mapped_column(UTCDateTime, nullable=True)
    obsoleted_at = mapped_column(UTCDateTime, nullable=True)

    document: Mapped[Document] = relationship(back_populates="revisions")


class DocumentFile(db.Model):
    """A revision's file as an organization uploaded it: bytes kept once in storage by SHA-256.

    Held per organization, so that knowing a hash lets nobody else's revision use the bytes.
    """

    __table_args__ = (UniqueConstraint("organization_id", "sha256"),)

    pk: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class DocumentAcknowledgement(db.Model):
    """A person's "read and understood" of one revision, made on their phone (client UUID)."""

    __table_args__ = (UniqueConstraint("revision_pk", "user_id"),)

    pk: Mapped[int] = mapped_column(primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(unique=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    revision_pk: Mapped[int] = mapped_column(ForeignKey("document_revision.pk", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    acknowledged_at = mapped_column(UTCDateTime, nullable=False)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
