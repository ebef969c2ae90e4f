"""What every document service stands on: names, who may open what, locks, and logging a change."""

import uuid
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import Select, select, update

from server.auth.access import Actor
from server.dbtypes import utcnow
from server.documents.models import APPROVED, DRAFT, OBSOLETE, Document, DocumentRevision
from server.events.models import Event
from server.events.services import record_event
from server.exceptions import NotAllowed, NotFound
from server.extensions import db
from server.orgs.models import Organization
from server.orgs.zones import local_day
from server.records.states import StateMachine

# The name of documents in the event log (their revisions' and acknowledgements' events too).
DOCUMENT_TYPE = "document"
# Who keeps documents: they see drafts and obsolete ones, and who has read what.
DESK_ROLES = ("officer", "admin")
# A revision is drafted, approved by someone other than its author, and made obsolete by the
# next approval or a withdrawal; a draft is made obsolete by a newer draft.
REVISION_STATES = StateMachine(
    "revision",
    moves={DRAFT: (APPROVED, OBSOLETE), APPROVED: (OBSOLETE,), OBSOLETE: ()},
)


def keeps_documents(actor: Actor) -> bool:
    """True for the roles that keep documents (officers and admins)."""
    return actor.role in DESK_ROLES


def require_desk(actor: Actor) -> None:
    """NotAllowed unless the actor keeps documents."""
    if not keeps_documents(actor):
        raise NotAllowed(f"This needs the role {' or '.join(DESK_ROLES)}.")


def approved_exists():
    """A clause true for a document with an approved revision."""
    return (
        select(DocumentRevision.pk)
        .where(DocumentRevision.document_pk == Document.pk, DocumentRevision.status == APPROVED)
        .exists()
    )


def document_scope(actor: Actor, stmt: Select) -> Select:
    """Documents the actor may open: the desk all of its organization's, everyone else those of
    their organization with an approved revision."""
    stmt = stmt.where(Document.organization_id == actor.organization_id)
    if keeps_documents(actor):
        return stmt
    return stmt.where(approved_exists())


def visible_document(actor: Actor, document_id: uuid.UUID) -> Document:
    """One document the actor may open, or NotFound."""
    found = db.session.scalar(
        document_scope(actor, select(Document)).where(Document.id == document_id)
    )
    if found is None:
        raise NotFound(f"No document with id {document_id}.")
    return found


def find_document(organization_id: int, document_id: uuid.UUID) -> Document | None:
    """The organization's document with this id, whatever its state."""
    return db.session.scalar(
        select(Document).where(
            Document.organization_id == organization_id, Document.id == document_id
        )
    )


def locked_document(document_pk: int) -> Document:
    """The document read again after taking its write lock (a row lock on PostgreSQL, the
    database's write lock on SQLite): every change of a document or its revisions takes it."""
    db.session.execute(
        update(Document)
        .where(Document.pk == document_pk)
        .values(code=Document.code)
        .execution_options(synchronize_session=False)
    )
    return db.session.scalar(
        select(Document).where(Document.pk == document_pk).execution_options(populate_existing=True)
    )


def revisions_of(document_pk: int) -> list[DocumentRevision]:
    """The document's revisions as committed now, by number."""
    return list(
        db.session.scalars(
            select(DocumentRevision)
            .where(DocumentRevision.document_pk == document_pk)
            .order_by(DocumentRevision.number)
            .execution_options(populate_existing=True)
        )
    )


def organization_today(organization_id: int) -> date:
    """Today in the organization's time zone."""
    zone = db.session.scalar(
        select(Organization.time_zone).where(Organization.id == organization_id)
    )
    return local_day(utcnow(), zone or "UTC")


def next_review_on(organization_id: int) -> date:
    """Today plus the organization's document_review_months (the end of a shorter month)."""
    months = db.session.scalar(
        select(Organization.document_review_months).where(Organization.id == organization_id)
    )
    return organization_today(organization_id) + relativedelta(months=months or 12)


def touch(document: Document, actor_id: int | None, action: str, **data) -> Event:
    """Log a change of a document (or of its revisions or acknowledgements)."""
    event = record_event(
        document.organization_id, actor_id, DOCUMENT_TYPE, document.id, action, **data
    )
    document.changed_at = event.created_at
    return event


def status_of(statuses: list[str]) -> str:
    """A document's status from its revisions' statuses: approved while one is; obsolete when
    every one is (withdrawn); else draft (none yet, or a draft waiting)."""
    if APPROVED in statuses:
        return APPROVED
    if statuses and all(status == OBSOLETE for status in statuses):
        return OBSOLETE
    return DRAFT
