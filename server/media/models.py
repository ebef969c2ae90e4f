"""Photo: image bytes an organization holds, by SHA-256; Attachment: a photo a record shows."""

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.dbtypes import UTCDateTime, utcnow
from server.extensions import db


class Photo(db.Model):
    """One organization's record of a photo; the bytes are stored once for everyone, by hash."""

    __table_args__ = (UniqueConstraint("organization_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(32))
    size_bytes: Mapped[int]
    # As a person sees it: EXIF orientation applied.
    width: Mapped[int]
    height: Mapped[int]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # 64-bit difference hash of the thumbnail, as 16 hex digits; triage fills it in when needed.
    phash: Mapped[str | None] = mapped_column(String(16))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class Attachment(db.Model):
    """A photo one record shows, by hash: the bytes may arrive before or after the record.

    Any record type attaches photos here (record_type names it, record_pk is its row); who may
    see an attachment is who may open its record (server.records.registry).
    """

    __table_args__ = (
        UniqueConstraint("record_type", "record_pk", "sha256"),
        # Which records show a photo: its download's access check and the completion of
        # records waiting for it.
        Index("ix_attachment_organization_id_sha256", "organization_id", "sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    record_type: Mapped[str] = mapped_column(String(32))
    record_pk: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    position: Mapped[int]
    content_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int | None]
    height: Mapped[int | None]
