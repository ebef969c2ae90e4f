"""Internal audits: templates and their versions, the audit programme, audits and responses."""

import uuid

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.dbtypes import UTCDateTime, utcnow
from server.extensions import db
from server.records.states import StateMachine

STANDARDS = ("ISO 45001:2018", "ISO 14001:2015", "ISO 9001:2015", "other")
STANDARD_LABELS = {
    "ISO 45001:2018": "ISO 45001:2018 (occupational health and safety)",
    "ISO 14001:2015": "ISO 14001:2015 (environment)",
    "ISO 9001:2015": "ISO 9001:2015 (quality)",
    "other": "Other",
}
CONFORMING, OBSERVATION, MINOR_NC, MAJOR_NC, NOT_APPLICABLE = (
    "conforming",
    "observation",
    "minor_nc",
    "major_nc",
    "not_applicable",
)
RESULTS = (CONFORMING, OBSERVATION, MINOR_NC, MAJOR_NC, NOT_APPLICABLE)
RESULT_LABELS = {
    CONFORMING: "Conforming",
    OBSERVATION: "Observation",
    MINOR_NC: "Minor NC",
    MAJOR_NC: "Major NC",
    NOT_APPLICABLE: "Not applicable",
}
NONCONFORMING = (MINOR_NC, MAJOR_NC)
# The share of a question's weight each result earns; not applicable leaves the question out.
EARNED_SHARE = {CONFORMING: 1.0, OBSERVATION: 1.0, MINOR_NC: 0.5, MAJOR_NC: 0.0}

PLANNED, IN_PROGRESS, SUBMITTED, CANCELLED = "planned", "in_progress", "submitted", "cancelled"
AUDIT_STATES = StateMachine(
    "audit",
    moves={
        PLANNED: (IN_PROGRESS, SUBMITTED, CANCELLED),
        IN_PROGRESS: (SUBMITTED, CANCELLED),
        SUBMITTED: (),
        CANCELLED: (),
    },
)
STATUS_LABELS = {
    PLANNED: "Planned",
    IN_PROGRESS: "In progress",
    SUBMITTED: "Signed off",
    CANCELLED: "Cancelled",
}


class AuditTemplate(db.Model):
    """A checklist an organization audits with; its content lives in its versions."""

    __table_args__ = (
        UniqueConstraint("organization_id", "id"),
        # Each starter template is seeded once per organization.
        UniqueConstraint("organization_id", "starter"),
    )

    pk: Mapped[int] = mapped_column(primary_key=True)
    id: Mapped[uuid.UUID]
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    name: Mapped[str] = mapped_column(String(200))
    standard: Mapped[str] = mapped_column(String(32))
    # The number of the newest version: audits started from now on run it.
    version: Mapped[int] = mapped_column(default=1)
    # The starter template's key when seeded from one (server/audits/starter), else None.
    starter: Mapped[str | None] = mapped_column(String(32))
    archived: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    change_id: Mapped[int] = mapped_column(default=0)
    changed_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    versions: Mapped[list["AuditTemplateVersion"]] = relationship(
        back_populates="template", order_by="AuditTemplateVersion.version"
    )


class AuditTemplateVersion(db.Model):
    """One version of a template, never changed once an audit has run it.

    sections: [{ref, title, questions: [{id, ref, text, guidance, weight, evidence_on_nc}]}],
    question ids being UUIDs that stay the same across versions when the question does.
    """

    __table_args__ = (UniqueConstraint("template_pk", "version"),)

    pk: Mapped[int] = mapped_column(primary_key=True)
    template_pk: Mapped[int] = mapped_column(ForeignKey("audit_template.pk"))
    version: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    standard: Mapped[str] = mapped_column(String(32))
    sections: Mapped[list] = mapped_column(JSON)
    question_count: Mapped[int]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    template: Mapped[AuditTemplate] = relationship(back_populates="versions")


class AuditSchedule(db.Model):
    """A line of the audit programme: a template audited at a site on an RFC 5545 recurrence."""

    __table_args__ = (UniqueConstraint("organization_id", "id"),)

    pk: Mapped[int] = mapped_column(primary_key=True)
    id: Mapped[uuid.UUID]
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    template_pk: Mapped[int] = mapped_column(ForeignKey("audit_template.pk"))
    auditor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    auditee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    rrule: Mapped[str] = mapped_column(String(500))
    starts_on = mapped_column(Date, nullable=False)
    active: Mapped[bool] = mapped_column(default=True)
    # The last day up to which planned audits have been made.
    planned_through = mapped_column(Date, nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    change_id: Mapped[int] = mapped_column(default=0)
    changed_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    template = relationship("AuditTemplate")
    site = relationship("Site")
    auditor = relationship("User", foreign_keys=[auditor_id])
    auditee = relationship("User", foreign_keys=[auditee_id])


class Audit(db.Model):
    """One run of one template version at one site, by one auditor."""

    # Auditors see the audits assigned to them; officers and admins all of their sites'.
    __owner_column__ = "auditor_id"
    __table_args__ = (
        UniqueConstraint("organization_id", "id"),
        # A schedule makes at most one audit per planned day.
        UniqueConstraint("schedule_pk", "due_on"),
        Index(None, "organization_id", "change_id"),
        # The programme: audits by site and due day; an auditor's assigned audits.
        Index("ix_audit_programme", "organization_id", "site_id", "due_on"),
        Index("ix_audit_auditor", "organization_id", "auditor_id", "status"),
    )

    pk: Mapped[int] = mapped_column(primary_key=True)
    id: Mapped[uuid.UUID]
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    template_version_pk: Mapped[int] = mapped_column(ForeignKey("audit_template_version.pk"))
    schedule_pk: Mapped[int | None] = mapped_column(ForeignKey("audit_schedule.pk"))
    auditor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    auditee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # The planned day (in the site's zone); None for an unplanned audit.
    due_on = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default=PLANNED)
    started_at = mapped_column(UTCDateTime, nullable=True)
    signed_at = mapped_column(UTCDateTime, nullable=True)
    submitted_at = mapped_column(UTCDateTime, nullable=True)
    # The overall score in percent, kept at sign-off for the programme and the trends.
    score: Mapped[float | None] = mapped_column(Float)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # SHA-256 of POST /api/audits' body: a resend is told from a conflicting one (409).
    content_hash: Mapped[str | None] = mapped_column(String(64))
    change_id: Mapped[int] = mapped_column(default=0)
    changed_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    template_version: Mapped[AuditTemplateVersion] = relationship()
    schedule = relationship("AuditSchedule")
    site = relationship("Site")
    auditor = relationship("User", foreign_keys=[auditor_id])
    auditee = relationship("User", foreign_keys=[auditee_id])


class AuditResponse(db.Model):
    """One answer to one question of an audit, as sent; the latest answered_at counts."""

    __table_args__ = (
        UniqueConstraint("organization_id", "id"),
        # An audit's answers, the latest per question last.
        Index("ix_audit_response_question", "audit_pk", "question_id", "answered_at"),
        # Findings by clause on the overview.
        Index("ix_audit_response_clause", "organization_id", "result", "clause"),
    )

    pk: Mapped[int] = mapped_column(primary_key=True)
    id: Mapped[uuid.UUID]
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    audit_pk: Mapped[int] = mapped_column(ForeignKey("audit.pk"))
    question_id: Mapped[uuid.UUID]
    # The clause of the question's section, copied for findings by clause.
    clause: Mapped[str] = mapped_column(String(32))
    result: Mapped[str] = mapped_column(String(16))
    notes: Mapped[str | None] = mapped_column(Text)
    answered_at = mapped_column(UTCDateTime, nullable=False)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    content_hash: Mapped[str] = mapped_column(String(64))
    # The nonconformity this answer became at sign-off.
    nonconformity_pk: Mapped[int | None] = mapped_column(
        ForeignKey("nonconformity.pk", ondelete="SET NULL")
    )

    audit: Mapped[Audit] = relationship()
