"""The registers of people's competence and of documented information (ISO 45001 7.2, 7.5), as
exports: competence records, the document register and acknowledgements.

These tables are small (hundreds or a few thousand rows), so Python writes their lines from
plain rows with the cells of every other export (server.exports.cells: the same CSV injection
guard, times and days), a batch at a time.

Which rows a period and sites hold:
    competences       the records in force on some day of the period (completed by its last
                      day, not expired before its first), of the people of the sites in scope
    documents         the register as it stands now: every document of the sites in scope (its
                      audience at one of them, or at every site); the period does not narrow it
    acknowledgements  made in the period (the organization's days), of those documents, by the
                      people of the sites in scope
The people of some sites are the members whose sites include one of them or who work at every
site; an export of every site holds everyone's.
"""

from collections.abc import Iterable, Iterator
from datetime import timedelta

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import aliased

from server.auth.models import Membership, User, membership_site
from server.dbtypes import utcnow
from server.documents.models import (
    APPROVED,
    Document,
    DocumentAcknowledgement,
    DocumentFile,
    DocumentRevision,
)
from server.documents.reading import summaries
from server.exports.cells import csv_row, json_row
from server.exports.scope import ExportScope
from server.extensions import db
from server.orgs.models import Organization
from server.orgs.zones import day_start, local_day
from server.people.models import Competence
from server.people.modules import module_label, own_labels

# Rows are written this many at a time.
ROWS = 1000


def _lines(columns: tuple[str, ...], rows: Iterable[dict], form: str) -> Iterator[list[str]]:
    """The rows as lines of form ("csv" or "json"), ROWS at a time."""
    batch = []
    for row in rows:
        batch.append(csv_row(row[n] for n in columns) if form == "csv" else json_row(columns, row))
        if len(batch) >= ROWS:
            yield batch
            batch = []
    if batch:
        yield batch


def _organization(scope: ExportScope) -> tuple[str, int]:
    """The organization's time zone and training_due_days."""
    zone, due_days = db.session.execute(
        select(Organization.time_zone, Organization.training_due_days).where(
            Organization.id == scope.organization_id
        )
    ).one()
    return zone or "UTC", due_days


def people_of(scope: ExportScope):
    """A clause on Membership: a member of the sites in scope (every member for all sites)."""
    if scope.whole_organization:
        return Membership.organization_id == scope.organization_id
    limits = select(membership_site.c.site_id).where(
        membership_site.c.membership_id == Membership.id
    )
    return and_(
        Membership.organization_id == scope.organization_id,
        or_(~limits.exists(), limits.where(membership_site.c.site_id.in_(scope.site_ids)).exists()),
    )


# --- competences -----------------------------------------------------------------------------

COMPETENCE_COLUMNS = (
    "id",
    "person",
    "email",
    "role",
    "module",
    "module_label",
    "title",
    "completed_on",
    "expires_on",
    "state",
    "certificate_sha256",
    "recorded_by",
    "recorded_at",
)


def _competences(scope: ExportScope, *columns) -> Select:
    """The records in force on some day of the period, of the people in scope."""
    return (
        select(*columns)
        .select_from(Competence)
        .join(User, User.id == Competence.user_id)
        .join(
            Membership,
            and_(
                Membership.user_id == Competence.user_id,
                Membership.organization_id == Competence.organization_id,
            ),
        )
        .where(
            Competence.organization_id == scope.organization_id,
            Competence.completed_on <= scope.end,
            or_(Competence.expires_on.is_(None), Competence.expires_on >= scope.start),
            people_of(scope),
        )
    )


def competence_records(scope: ExportScope) -> Select:
    """The primary keys of the records the export holds (their certificates go in the bundle)."""
    return _competences(scope, Competence.id)


def competence_rows(scope: ExportScope) -> Iterator[dict]:
    """The records by person, module and day; state is valid or expired today (the
    organization's day: a record expiring today is valid until its midnight)."""
    recorder = aliased(User)
    stmt = _competences(
        scope,
        Competence.id,
        User.name,
        User.email,
        Membership.role,
        Competence.module,
        Competence.title,
        Competence.completed_on,
        Competence.expires_on,
        Competence.certificate_sha256,
        recorder.name.label("recorded_by"),
        Competence.created_at,
    ).outerjoin(recorder, recorder.id == Competence.recorded_by_id)
    stmt = stmt.order_by(
        func.lower(User.name), User.id, Competence.module, Competence.completed_on, Competence.id
    )
    zone, _ = _organization(scope)
    today, own = local_day(utcnow(), zone), own_labels(scope.organization_id)
    for row in db.session.execute(stmt):
        expired = row.expires_on is not None and row.expires_on < today
        yield {
            "id": row.id,
            "person": row.name,
            "email": row.email,
            "role": row.role,
            "module": row.module,
            "module_label": module_label(row.module, own),
            "title": row.title,
            "completed_on": row.completed_on,
            "expires_on": row.expires_on,
            "state": "expired" if expired else "valid",
            "certificate_sha256": row.certificate_sha256,
            "recorded_by": row.recorded_by,
            "recorded_at": row.created_at,
        }


def competence_parts(scope: ExportScope, form: str) -> Iterator[list[str]]:
    """The competence records as lines of form."""
    return _lines(COMPETENCE_COLUMNS, competence_rows(scope), form)


# --- the document register -------------------------------------------------------------------

DOCUMENT_COLUMNS = (
    "id",
    "code",
    "title",
    "kind",
    "status",
    "revision",
    "file_sha256",
    "filename",
    "approved_by",
    "approved_at",
    "review_on",
    "review_due",
    "acknowledgements_done",
    "acknowledgements_expected",
)


def register_documents(scope: ExportScope) -> list[Document]:
    """The documents of the sites in scope (audience at one of them or at every site), by code."""
    found = db.session.scalars(
        select(Document)
        .where(Document.organization_id == scope.organization_id)
        .order_by(Document.code, Document.pk)
    ).all()
    if scope.whole_organization:
        return list(found)
    sites = set(scope.site_ids)
    return [d for d in found if not d.audience_site_ids or sites & set(d.audience_site_ids)]


def document_rows(scope: ExportScope) -> Iterator[dict]:
    """The register as GET /api/documents shows it to the desk: the current (approved)
    revision, its file, and who of the people it concerns has acknowledged it."""
    for view in summaries(scope.actor, register_documents(scope)):
        current = view["current_revision"] or {}
        counts = view["acknowledgements"] or {}
        yield {
            **{name: view[name] for name in ("id", "code", "title", "kind", "status")},
            "revision": current.get("number"),
            "file_sha256": current.get("file_sha256"),
            "filename": current.get("filename"),
            "approved_by": (current.get("approved_by") or {}).get("name"),
            "approved_at": current.get("approved_at"),
            "review_on": view["review_on"],
            "review_due": view["review_due"],
            "acknowledgements_done": counts.get("done"),
            "acknowledgements_expected": counts.get("expected"),
        }


def document_parts(scope: ExportScope, form: str) -> Iterator[list[str]]:
    """The document register as lines of form."""
    return _lines(DOCUMENT_COLUMNS, document_rows(scope), form)


def document_files(scope: ExportScope) -> list[tuple[str, str, int]]:
    """The file of each register document's current revision: (sha256, content_type,
    size_bytes), once a hash, by hash."""
    pks = [document.pk for document in register_documents(scope)]
    if not pks:
        return []
    rows = db.session.execute(
        select(DocumentFile.sha256, DocumentFile.content_type, DocumentFile.size_bytes)
        .join(DocumentRevision, DocumentRevision.file_sha256 == DocumentFile.sha256)
        .where(
            DocumentFile.organization_id == scope.organization_id,
            DocumentRevision.document_pk.in_(pks),
            DocumentRevision.status == APPROVED,
        )
        .distinct()
        .order_by(DocumentFile.sha256)
    )
    return [tuple(row) for row in rows]


# --- acknowledgements ------------------------------------------------------------------------

ACKNOWLEDGEMENT_COLUMNS = (
    "id",
    "document_code",
    "revision",
    "person",
    "email",
    "acknowledged_at",
)


def acknowledgement_rows(scope: ExportScope) -> Iterator[dict]:
    """The acknowledgements made in the period (the organization's days) of the register's
    documents by the people in scope, in the order made."""
    zone, _ = _organization(scope)
    low, high = day_start(scope.start, zone), day_start(scope.end + timedelta(days=1), zone)
    made = DocumentAcknowledgement
    stmt = (
        select(
            made.id,
            Document.code,
            DocumentRevision.number,
            User.name,
            User.email,
            made.acknowledged_at,
        )
        .join(DocumentRevision, DocumentRevision.pk == made.revision_pk)
        .join(Document, Document.pk == DocumentRevision.document_pk)
        .join(User, User.id == made.user_id)
        .join(
            Membership,
            and_(Membership.user_id == User.id, Membership.organization_id == made.organization_id),
        )
        .where(
            made.organization_id == scope.organization_id,
            made.acknowledged_at >= low,
            made.acknowledged_at < high,
            people_of(scope),
        )
        .order_by(made.acknowledged_at, made.pk)
    )
    if not scope.whole_organization:
        stmt = stmt.where(Document.pk.in_([d.pk for d in register_documents(scope)]))
    for row in db.session.execute(stmt):
        yield dict(zip(ACKNOWLEDGEMENT_COLUMNS, row, strict=True))


def acknowledgement_parts(scope: ExportScope, form: str) -> Iterator[list[str]]:
    """The acknowledgements as lines of form."""
    return _lines(ACKNOWLEDGEMENT_COLUMNS, acknowledgement_rows(scope), form)
