"""Photo: image bytes an organization holds, addressed by their SHA-256."""

from sqlalchemy import ForeignKey, String, UniqueConstraint
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
