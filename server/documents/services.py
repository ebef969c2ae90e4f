"""Controlled documents kept: making one, changing it, its revisions, their approval by someone
other than the author, withdrawal, and people's "read and understood".

Every change of a document or its revisions takes the document's write lock first
(records.locked_document), writes one event, and commits.
"""

import uuid

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from server.auth.access import Actor
from server.auth.models import Membership, User
from server.dbtypes import utcnow
from server.documents.files import find_file
from server.documents.models import (
    APPROVED,
    DRAFT,
    OBSOLETE,
    Document,
    DocumentAcknowledgement,
    DocumentRevision,
)
from server.documents.records import (
    DOCUMENT_TYPE,
    REVISION_STATES,
    find_document,
    locked_document,
    next_review_on,
    require_desk,
    revisions_of,
    touch,
    visible_document,
)
from server.events.services import created_hash
from server.exceptions import Conflict, InvalidInput, InvalidTransition, NotFound
from server.extensions import db
from server.orgs.models import Site
from server.records.identity import DUPLICATE, fingerprint, resend_status


def _line(text: str) -> str:
    """One line of text: single spaces, none at the ends."""
    return " ".join(text.split())


# Making and changing ----------------------------------------------------------------------


def create_document(actor: Actor, data: dict) -> tuple[Document, bool]:
    """Make a document (POST /api/documents' body); (it, True when new). Commits.

    Idempotent on the client's id: the same id and content again gives the same document
    back; the same id with other content is a Conflict.
    """
    require_desk(actor)
    digest = fingerprint(data)
    try:
        return _create(actor, data, digest)
    except IntegrityError:
        # The same id (or code) was saved by another request at this very moment.
        db.session.rollback()
        return _create(actor, data, digest)


def _create(actor: Actor, data: dict, digest: str) -> tuple[Document, bool]:
    known = db.session.scalar(select(Document).where(Document.id == data["id"]))
    if known is not None:
        return _resent(actor, known, digest), False
    code = _line(data["code"])
    _check_code(actor.organization_id, code)
    owner_id = data.get("owner_id", actor.user_id)
    _check_owner(actor.organization_id, owner_id)
    audience = _audience(actor.organization_id, data["audience"])
    document = Document(
        id=data["id"],
        organization_id=actor.organization_id,
        code=code,
        title=_line(data["title"]),
        kind=data["kind"],
        owner_id=owner_id,
        review_on=data.get("review_on"),
        audience_roles=audience["roles"],
        audience_site_ids=audience["site_ids"],
        created_by_id=actor.user_id,
    )
    db.session.add(document)
    db.session.flush()
    touch(document, actor.user_id, "created", content_hash=digest, **_values(document))
    db.session.commit()
    return document, True


def _values(document: Document) -> dict:
    """What the event log keeps of a document's own fields."""
    return {
        "code": document.code,
        "title": document.title,
        "kind": document.kind,
        "owner_id": document.owner_id,
        "review_on": document.review_on.isoformat() if document.review_on else None,
        "audience": {"roles": document.audience_roles, "site_ids": document.audience_site_ids},
    }


def _resent(actor: Actor, known: Document, digest: str) -> Document:
    """The document already saved under this id, when this is a resend of it; else Conflict."""
    saved = None
    if known.organization_id == actor.organization_id:
        saved = created_hash(known.organization_id, DOCUMENT_TYPE, known.id)
    if saved and resend_status(saved, digest) == DUPLICATE:
        return known
    raise Conflict(
        "A document with this id already exists with other content.",
        errors={"id": ["Taken by another document."]},
    )


def _check_code(organization_id: int, code: str, document_pk: int | None = None) -> None:
    taken = db.session.scalar(
        select(Document.pk).where(
            Document.organization_id == organization_id,
            func.lower(Document.code) == code.lower(),
            Document.pk != (document_pk or 0),
        )
    )
    if taken is not None:
        raise Conflict(
            f"Another document already has the code {code}.",
            errors={"code": ["Another document has this code."]},
        )


def _check_owner(organization_id: int, owner_id: int | None) -> None:
    """A field error unless the owner is an active member of the organization (or None)."""
    if owner_id is None:
        return
    member = db.session.scalar(
        select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.user_id == owner_id,
            Membership.organization_id == organization_id,
            Membership.active.is_(True),
            User.active.is_(True),
        )
    )
    if member is None:
        raise InvalidInput(errors={"owner_id": ["Not an active member of your organization."]})


def _audience(organization_id: int, audience: dict) -> dict:
    """The audience with its sites checked to be the organization's, each list sorted."""
    site_ids = sorted(audience.get("site_ids") or [])
    if site_ids:
        stmt = select(Site.id).where(Site.organization_id == organization_id)
        found = set(db.session.scalars(stmt.where(Site.id.in_(site_ids))))
        unknown = [site_id for site_id in site_ids if site_id not in found]
        if unknown:
            raise InvalidInput(
                errors={"audience": {"site_ids": [f"Not a site of yours: {unknown[0]}."]}}
            )
    return {"roles": sorted(audience.get("roles") or []), "site_ids": site_ids}


def update_document(actor: Actor, document_id: uuid.UUID, changes: dict) -> Document:
    """PATCH: title, kind, owner, review day and audience; an "updated" event names what
    changed (nothing changed: no event). Commits."""
    require_desk(actor)
    document = locked_document(visible_document(actor, document_id).pk)
    before = _values(document)
    if "title" in changes:
        document.title = _line(changes["title"])
    if "kind" in changes:
        document.kind = changes["kind"]
    if "owner_id" in changes:
        _check_owner(actor.organization_id, changes["owner_id"])
        document.owner_id = changes["owner_id"]
    if "review_on" in changes:
        document.review_on = changes["review_on"]
    if "audience" in changes:
        audience = _audience(actor.organization_id, changes["audience"])
        document.audience_roles = audience["roles"]
        document.audience_site_ids = audience["site_ids"]
    after = _values(document)
    changed = [name for name in after if after[name] != before[name]]
    if changed:
        touch(
            document,
            actor.user_id,
            "updated",
            changed=changed,
            **{name: after[name] for name in changed},
        )
    db.session.commit()
    return document


# Revisions --------------------------------------------------------------------------------


def add_revision(actor: Actor, document_id: uuid.UUID, data: dict) -> tuple[DocumentRevision, bool]:
    """A new draft revision of an uploaded file (a draft before it is superseded); (it, True
    when new). The same id and content again gives it back; other content is 409. Commits."""
    require_desk(actor)
    document = visible_document(actor, document_id)
    try:
        return _add_revision(actor, document, data)
    except IntegrityError:
        db.session.rollback()
        return _add_revision(actor, visible_document(actor, document_id), data)


def _add_revision(actor: Actor, document: Document, data: dict) -> tuple[DocumentRevision, bool]:
    filename, summary = data["filename"].strip(), data["summary"].strip()
    known = db.session.scalar(select(DocumentRevision).where(DocumentRevision.id == data["id"]))
    if known is not None:
        same = (known.document_pk, known.file_sha256, known.filename, known.summary) == (
            document.pk,
            data["file_sha256"],
            filename,
            summary,
        )
        if not same:
            raise Conflict(
                "A revision with this id already exists with other content.",
                errors={"id": ["Taken by another revision."]},
            )
        return known, False
    if find_file(actor.organization_id, data["file_sha256"]) is None:
        raise InvalidInput(
            "Upload the file first: PUT /api/documents/files/{sha256}.",
            errors={"file_sha256": ["Not uploaded yet."]},
        )
    document = locked_document(document.pk)
    revisions = revisions_of(document.pk)
    now = utcnow()
    superseded = [r for r in revisions if r.status == DRAFT]
    for draft in superseded:
        REVISION_STATES.check(draft.status, OBSOLETE)
        draft.status, draft.obsoleted_at = OBSOLETE, now
    revision = DocumentRevision(
        id=data["id"],
        document_pk=document.pk,
        number=max((r.number for r in revisions), default=0) + 1,
        status=DRAFT,
        file_sha256=data["file_sha256"],
        filename=filename,
        summary=summary,
        author_id=actor.user_id,
        created_at=now,
    )
    db.session.add(revision)
    db.session.flush()
    touch(
        document,
        actor.user_id,
        "revised",
        revision_id=str(revision.id),
        number=revision.number,
        file_sha256=revision.file_sha256,
        filename=filename,
        superseded=[draft.number for draft in superseded],
    )
    db.session.commit()
    return revision, True


def _revision(document: Document, revision_id: uuid.UUID) -> DocumentRevision:
    found = db.session.scalar(
        select(DocumentRevision).where(
            DocumentRevision.document_pk == document.pk, DocumentRevision.id == revision_id
        )
    )
    if found is None:
        raise NotFound(f"No revision with id {revision_id} of this document.")
    return found


def approve(actor: Actor, document_id: uuid.UUID, revision_id: uuid.UUID, data: dict) -> Document:
    """Approve a draft (someone other than its author): the approved revision before it
    becomes obsolete and the review day is set. The same approval again changes nothing.
    Commits."""
    require_desk(actor)
    document = locked_document(visible_document(actor, document_id).pk)
    revision = _revision(document, revision_id)
    db.session.refresh(revision)
    if revision.status == APPROVED and revision.approved_by_id == actor.user_id:
        return document
    if revision.author_id == actor.user_id:
        raise Conflict(
            "A revision is approved by someone other than its author.",
            errors={"revision_id": ["You wrote this revision: someone else approves it."]},
        )
    REVISION_STATES.check(revision.status, APPROVED)
    now = utcnow()
    replaced = [r for r in revisions_of(document.pk) if r.status == APPROVED]
    for previous in replaced:
        previous.status, previous.obsoleted_at = OBSOLETE, now
    revision.status, revision.approved_by_id, revision.approved_at = APPROVED, actor.user_id, now
    document.review_on = data.get("review_on") or next_review_on(document.organization_id)
    touch(
        document,
        actor.user_id,
        "approved",
        revision_id=str(revision.id),
        number=revision.number,
        review_on=document.review_on.isoformat(),
        obsoleted=[r.number for r in replaced],
    )
    db.session.commit()
    return document


def withdraw(actor: Actor, document_id: uuid.UUID, reason: str) -> Document:
    """Withdraw the document: its approved revision (and any draft) become obsolete. Commits."""
    require_desk(actor)
    document = locked_document(visible_document(actor, document_id).pk)
    live = [r for r in revisions_of(document.pk) if r.status != OBSOLETE]
    if not live:
        raise InvalidTransition(
            "This document has no revision in use or in draft: there is nothing to withdraw.",
            errors={"status": ["Already obsolete, or no revision yet."]},
        )
    now = utcnow()
    for revision in live:
        REVISION_STATES.check(revision.status, OBSOLETE)
        revision.status, revision.obsoleted_at = OBSOLETE, now
    touch(
        document,
        actor.user_id,
        "obsoleted",
        reason=reason.strip(),
        revisions=[revision.number for revision in live],
    )
    db.session.commit()
    return document


# Acknowledgements -------------------------------------------------------------------------


def acknowledge(
    actor: Actor, document_id: uuid.UUID, data: dict
) -> tuple[DocumentAcknowledgement, bool]:
    """Record that the actor read and understood the current revision; (it, True when new).

    Idempotent: the same id and content again, or a second acknowledgement of the same
    revision by the same person, gives the first back. 409 for a revision that is not the
    current one, or an id taken by other content. Commits.
    """
    document = visible_document(actor, document_id)
    try:
        return _acknowledge(actor, document, data)
    except IntegrityError:
        db.session.rollback()
        return _acknowledge(actor, visible_document(actor, document_id), data)


def _acknowledge(actor: Actor, document: Document, data: dict):
    known = db.session.scalar(
        select(DocumentAcknowledgement).where(DocumentAcknowledgement.id == data["id"])
    )
    if known is not None:
        return _ack_resent(actor, known, data), False
    revision = db.session.scalar(
        select(DocumentRevision).where(
            DocumentRevision.document_pk == document.pk, DocumentRevision.id == data["revision_id"]
        )
    )
    if revision is None or revision.status != APPROVED:
        raise Conflict(
            "This is not the document's current revision: open the document again and read "
            "the one in use.",
            errors={"revision_id": ["Not the current approved revision."]},
        )
    earlier = db.session.scalar(
        select(DocumentAcknowledgement).where(
            DocumentAcknowledgement.revision_pk == revision.pk,
            DocumentAcknowledgement.user_id == actor.user_id,
        )
    )
    if earlier is not None:
        return earlier, False
    row = DocumentAcknowledgement(
        id=data["id"],
        organization_id=actor.organization_id,
        revision_pk=revision.pk,
        user_id=actor.user_id,
        acknowledged_at=data["acknowledged_at"],
    )
    db.session.add(row)
    db.session.flush()
    touch(
        document,
        actor.user_id,
        "acknowledged",
        acknowledgement_id=str(row.id),
        revision_id=str(revision.id),
        number=revision.number,
        acknowledged_at=row.acknowledged_at.isoformat(),
    )
    db.session.commit()
    return row, True


def _ack_resent(actor: Actor, known: DocumentAcknowledgement, data: dict):
    revision_id = db.session.scalar(
        select(DocumentRevision.id).where(DocumentRevision.pk == known.revision_pk)
    )
    same = (
        known.user_id == actor.user_id
        and revision_id == data["revision_id"]
        and known.acknowledged_at == data["acknowledged_at"]
    )
    if not same:
        raise Conflict(
            "An acknowledgement with this id already exists with other content.",
            errors={"id": ["Taken by another acknowledgement."]},
        )
    return known


def acknowledgement_view(ack: DocumentAcknowledgement) -> dict:
    """An acknowledgement as the API answers it."""
    revision = db.session.get(DocumentRevision, ack.revision_pk)
    user = db.session.get(User, ack.user_id)
    return {
        "id": ack.id,
        "document_id": revision.document.id,
        "revision_id": revision.id,
        "revision_number": revision.number,
        "user": {"id": user.id, "name": user.name},
        "acknowledged_at": ack.acknowledged_at,
        "created_at": ack.created_at,
    }


def document_pk_for(organization_id: int, document_id: uuid.UUID | None, field: str) -> int | None:
    """The pk of the organization's document with this id (None for None); 422 naming field
    when it has none such (for records that name a document: NCs, audit questions)."""
    if document_id is None:
        return None
    found = find_document(organization_id, document_id)
    if found is None:
        raise InvalidInput(errors={field: ["No such document in your organization."]})
    return found.pk
