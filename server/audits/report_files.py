"""The report of a signed-off audit, drawn once and kept in storage by its SHA-256.

A signed-off audit takes no more answers, and the NCs of its findings are made at sign-off:
its report prints the same thing every time it is drawn, but for the names that may still
change afterwards (the organization's, the site's and its time zone, the auditor's and the
auditee's). Its stored file keeps a digest of those (`inputs`, with REPORT_FORMAT); when one of
them changes, or the file is gone, the report is drawn again and stored in its place. So a
stored report is always the one that would be drawn now, without the drawing (about 40 ms of
ReportLab a report; the evidence bundle of a year holds hundreds).

The job draw_audit_report draws it after the sign-off; until it has run (or for an audit
signed off before reports were kept) the first request draws and stores it. A report of an
audit not signed off is a draft, drawn on each request and never kept.
"""

import hashlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import BigInteger, ForeignKey, String, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, aliased, mapped_column

from server.audits.models import SUBMITTED, Audit
from server.audits.reading import view_of
from server.audits.records import visible_audit
from server.audits.report import render_audit_report, thumbnail_source
from server.auth.access import Actor
from server.auth.models import User
from server.dbtypes import UTCDateTime, utcnow
from server.extensions import db
from server.media.storage import media_storage, staging_dir
from server.orgs.models import Organization, Site

# Counted up when the report's layout changes, so that every stored report is drawn again.
REPORT_FORMAT = 1


class AuditReportFile(db.Model):
    """The stored report of a signed-off audit: its file's SHA-256 and size, and the digest
    of the names it printed."""

    pk: Mapped[int] = mapped_column(primary_key=True)
    audit_pk: Mapped[int] = mapped_column(ForeignKey("audit.pk", ondelete="CASCADE"), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    inputs: Mapped[str] = mapped_column(String(64))
    drawn_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


@dataclass(frozen=True)
class StoredReport:
    """A signed-off audit's report in storage."""

    audit_id: uuid.UUID
    path: Path
    sha256: str
    size_bytes: int


def report_key(sha256: str) -> str:
    """The storage key of a report file: audit-reports/ab/<sha256>.pdf."""
    return f"audit-reports/{sha256[:2]}/{sha256}.pdf"


def _names():
    """The columns of each audit's report inputs and stored file, one row an audit."""
    auditor, auditee = aliased(User), aliased(User)
    return (
        select(
            Audit.pk,
            Audit.id,
            Organization.name,
            Site.name,
            Site.time_zone,
            auditor.name,
            auditee.name,
            AuditReportFile.sha256,
            AuditReportFile.size_bytes,
            AuditReportFile.inputs,
        )
        .join(Organization, Organization.id == Audit.organization_id)
        .join(Site, Site.id == Audit.site_id)
        .outerjoin(auditor, auditor.id == Audit.auditor_id)
        .outerjoin(auditee, auditee.id == Audit.auditee_id)
        .outerjoin(AuditReportFile, AuditReportFile.audit_pk == Audit.pk)
        .where(Audit.status == SUBMITTED)
    )


def _inputs_of(names: tuple) -> str:
    """The digest of what a report prints that may change after the sign-off."""
    text = json.dumps([REPORT_FORMAT, *names], ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _current(row) -> StoredReport | None:
    """The stored report of this row (from _names) while it is current, else None."""
    audit_pk, audit_id, *names = row[:7]
    sha256, size, inputs = row[7:]
    if sha256 is None or inputs != _inputs_of(tuple(names)):
        return None
    path = media_storage().path(report_key(sha256))
    return StoredReport(audit_id, path, sha256, size) if path.is_file() else None


def stored_reports(audit_pks: list[int]) -> Iterator[StoredReport]:
    """The stored report of each of these signed-off audits, in the order given, each drawn
    and stored first where it is missing or out of date (audits not signed off left out)."""
    rows = {}
    for first in range(0, len(audit_pks), 1000):
        wanted = audit_pks[first : first + 1000]
        rows |= {row[0]: row for row in db.session.execute(_names().where(Audit.pk.in_(wanted)))}
    for audit_pk in audit_pks:
        row = rows.get(audit_pk)
        if row is not None:
            yield _current(row) or _draw(audit_pk, _inputs_of(tuple(row[2:7])))


def stored_report(audit_pk: int) -> StoredReport | None:
    """One signed-off audit's stored report (drawn first if need be); None when the audit is
    not signed off."""
    return next(stored_reports([audit_pk]), None)


def _draw(audit_pk: int, inputs: str) -> StoredReport:
    """Draw the report, store its file and record it (in a transaction of its own, so that
    the caller's session, reading on, is left as it is)."""
    audit = db.session.get(Audit, audit_pk)
    organization = db.session.get(Organization, audit.organization_id)
    pdf = render_audit_report(
        view_of(audit), thumbnail_source(audit.organization_id), organization.name
    )
    sha256 = hashlib.sha256(pdf).hexdigest()
    storage, key = media_storage(), report_key(sha256)
    if not storage.exists(key):
        staging = staging_dir() / f"report-{uuid.uuid4().hex}.part"
        staging.write_bytes(pdf)
        storage.put_file(key, staging)
    _record(audit_pk, sha256, len(pdf), inputs)
    return StoredReport(audit.id, storage.path(key), sha256, len(pdf))


def _record(audit_pk: int, sha256: str, size: int, inputs: str) -> None:
    values = {"sha256": sha256, "size_bytes": size, "inputs": inputs, "drawn_at": utcnow()}
    table = AuditReportFile.__table__
    again = update(table).where(table.c.audit_pk == audit_pk).values(**values)
    try:
        with db.engine.begin() as connection:
            if not connection.execute(again).rowcount:
                connection.execute(table.insert().values(audit_pk=audit_pk, **values))
    except IntegrityError:  # drawn by another at the same moment: the later one stays
        with db.engine.begin() as connection:
            connection.execute(again)


def audit_report(actor: Actor, audit_id: uuid.UUID) -> StoredReport | bytes:
    """The report of an audit the actor may open (NotFound otherwise): the stored file of a
    signed-off audit, or the PDF of a draft drawn now."""
    audit = visible_audit(actor, audit_id)
    if audit.status == SUBMITTED:
        return stored_report(audit.pk)
    organization = db.session.get(Organization, actor.organization_id)
    return render_audit_report(
        view_of(audit), thumbnail_source(actor.organization_id), organization.name
    )


def draw_audit_report(audit_pk: int) -> dict | None:
    """The job after a sign-off: draw and store the audit's report unless a current one is
    stored; safe to run any number of times."""
    report = stored_report(audit_pk)
    db.session.commit()
    if report is None:
        return None
    return {"audit_pk": audit_pk, "sha256": report.sha256, "size_bytes": report.size_bytes}
