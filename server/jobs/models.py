"""OutboxMessage: a job asked for inside a business transaction, sent to the queue after it."""

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from server.dbtypes import UTCDateTime, utcnow
from server.extensions import db


class OutboxMessage(db.Model):
    """A job to run, committed with the change that needs it, and kept until the job has run.

    Pending (claimed_at and sent_at empty), then claimed by one relay (claimed_at), then sent
    (sent_at, set only once the queue holds the job), then deleted when the job has run, or has
    failed for good (rq's failed-job registry keeps it for officers to retry). A claim older
    than JOB_RESCUE_AFTER was lost with its relay; a job sent that long ago which Redis no
    longer holds, or whose worker stopped beating, is sent again (see server.jobs.relay).
    """

    # AUTOINCREMENT on SQLite: ids are never reused once rows are deleted, so a row's job id
    # ("outbox-<id>") never names an older job still kept in Redis.
    __table_args__ = (Index(None, "sent_at", "id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    claimed_at = mapped_column(UTCDateTime, nullable=True)
    sent_at = mapped_column(UTCDateTime, nullable=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
