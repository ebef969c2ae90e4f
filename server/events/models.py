"""Event: one change of one record; EventChain: the newest link of each organization's log."""

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.dbtypes import UTCDateTime, utcnow
from server.extensions import db


class Event(db.Model):
    """An append-only record of a change: what changed, who did it (none for jobs), and when.

    Each organization's events form a hash chain (server/events/chain.py): `seq` numbers them
    from 1, `prev_hash` is the hash of the one before, `hash` covers it and this one's content.
    """

    __table_args__ = (
        Index(None, "entity_type", "entity_id"),
        UniqueConstraint("organization_id", "seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    seq: Mapped[int] = mapped_column(Integer)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    actor = relationship("User")


class EventChain(db.Model):
    """An organization's chain head: its newest event (locked while events are appended, so
    writers never fork the chain), and the result of the last full verification."""

    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
    # The last verification: when it began (a check claims the chain with it), when it ended,
    # how far the chain held (seq and time of the last good event), and the first break if any.
    check_started_at = mapped_column(UTCDateTime)
    checked_at = mapped_column(UTCDateTime)
    verified_seq: Mapped[int | None] = mapped_column(Integer)
    verified_up_to = mapped_column(UTCDateTime)
    broken: Mapped[dict | None] = mapped_column(JSON)
