"""Analysis (one per report, versioned) and AnalysisRevision (every version, append-only)."""

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.dbtypes import UTCDateTime, utcnow
from server.extensions import db

STATUSES = ("requested", "ready", "failed")
SOURCES = ("report", "why", "related", "officer")


class Analysis(db.Model):
    """The Ishikawa analysis of one report: its current version.

    causes is a list of {id, category, text, count, report_ids, source, edited}; dismissed holds
    the ids of generated causes an officer removed, so a rebuild does not bring them back.
    """

    __table_args__ = (CheckConstraint("status IN ('requested', 'ready', 'failed')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_pk: Mapped[int] = mapped_column(ForeignKey("report.pk", ondelete="CASCADE"), unique=True)
    # Every write names the version it read; the UPDATE matches it or raises StaleDataError.
    version: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))
    effect: Mapped[str] = mapped_column(Text, default="")
    effect_edited: Mapped[bool] = mapped_column(default=False)
    causes: Mapped[list] = mapped_column(JSON, default=list)
    whys: Mapped[list] = mapped_column(JSON, default=list)
    dismissed: Mapped[list] = mapped_column(JSON, default=list)
    root_cause_id: Mapped[str | None] = mapped_column(String(64))
    requested_at = mapped_column(UTCDateTime, nullable=True)
    built_at = mapped_column(UTCDateTime, nullable=True)
    updated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    report = relationship("Report")
    editor = relationship("User")
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class AnalysisRevision(db.Model):
    """One version of an analysis as it was saved: what changed, its data, who and when."""

    __table_args__ = (UniqueConstraint("analysis_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    analysis_id: Mapped[int] = mapped_column(ForeignKey("analysis.id", ondelete="CASCADE"))
    version: Mapped[int]
    # requested, built, edited or failed
    change: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict] = mapped_column(JSON)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
