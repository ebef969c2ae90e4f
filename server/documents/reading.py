"""Documents as people read them: the list, one document in full, who it concerns and who has
read it. A handful of queries for any number of documents."""

import uuid
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from server.auth.access import Actor
from server.auth.models import Membership, User, membership_site
from server.documents.models import (
    APPROVED,
    Document,
    DocumentAcknowledgement,
    DocumentFile,
    DocumentRevision,
)
from server.documents.records import (
    document_scope,
    keeps_documents,
    organization_today,
    status_of,
)
from server.extensions import db


@dataclass(frozen=True)
class Member:
    """An active member as audiences are matched: role, and sites (None: every site)."""

    user_id: int
    name: str
    role: str
    site_ids: frozenset[int] | None


def concerns(document: Document, role: str, site_ids) -> bool:
    """True when the document's audience takes in this role at these sites (None: all)."""
    if document.audience_roles and role not in document.audience_roles:
        return False
    if not document.audience_site_ids or site_ids is None:
        return True
    return bool(set(site_ids) & set(document.audience_site_ids))


def members(organization_id: int) -> list[Member]:
    """The organization's active members with their sites, by name: two queries."""
    rows = db.session.execute(
        select(Membership.id, User.id, User.name, Membership.role)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.organization_id == organization_id,
            Membership.active.is_(True),
            User.active.is_(True),
        )
        .order_by(User.name, User.id)
    ).all()
    sites: dict[int, set[int]] = {}
    if rows:
        links = db.session.execute(
            select(membership_site.c.membership_id, membership_site.c.site_id).where(
                membership_site.c.membership_id.in_([row[0] for row in rows])
            )
        )
        for membership_id, site_id in links:
            sites.setdefault(membership_id, set()).add(site_id)
    return [
        Member(user_id, name, role, frozenset(sites[mid]) if mid in sites else None)
        for mid, user_id, name, role in rows
    ]


def _by_document(document_pks: list[int]) -> dict[int, list[DocumentRevision]]:
    found: dict[int, list[DocumentRevision]] = {pk: [] for pk in document_pks}
    if document_pks:
        rows = db.session.scalars(
            select(DocumentRevision)
            .where(DocumentRevision.document_pk.in_(document_pks))
            .order_by(DocumentRevision.document_pk, DocumentRevision.number)
        )
        for revision in rows:
            found[revision.document_pk].append(revision)
    return found


def _files(organization_id: int, hashes: set[str]) -> dict[str, DocumentFile]:
    if not hashes:
        return {}
    rows = db.session.scalars(
        select(DocumentFile).where(
            DocumentFile.organization_id == organization_id, DocumentFile.sha256.in_(hashes)
        )
    )
    return {row.sha256: row for row in rows}


def _people(user_ids: set) -> dict[int, dict]:
    wanted = {user_id for user_id in user_ids if user_id is not None}
    if not wanted:
        return {}
    rows = db.session.execute(select(User.id, User.name).where(User.id.in_(wanted)))
    return {user_id: {"id": user_id, "name": name} for user_id, name in rows}


def _acknowledgements(revision_pks: list[int]) -> dict[int, list[DocumentAcknowledgement]]:
    found: dict[int, list[DocumentAcknowledgement]] = {}
    if revision_pks:
        rows = db.session.scalars(
            select(DocumentAcknowledgement)
            .where(DocumentAcknowledgement.revision_pk.in_(revision_pks))
            .order_by(DocumentAcknowledgement.acknowledged_at, DocumentAcknowledgement.pk)
        )
        for row in rows:
            found.setdefault(row.revision_pk, []).append(row)
    return found


@dataclass
class _Context:
    """What the views of a batch of documents are made from, loaded once."""

    actor: Actor
    revisions: dict
    files: dict
    people: dict
    acknowledgements: dict
    members: list[Member] | None
    today: object


def _context(actor: Actor, documents: list[Document]) -> _Context:
    revisions = _by_document([document.pk for document in documents])
    everything = [revision for rows in revisions.values() for revision in rows]
    current = [revision.pk for revision in everything if revision.status == APPROVED]
    desk = keeps_documents(actor)
    acknowledgements = _acknowledgements(current)
    user_ids = {document.owner_id for document in documents}
    user_ids |= {r.author_id for r in everything} | {r.approved_by_id for r in everything}
    user_ids |= {a.user_id for rows in acknowledgements.values() for a in rows}
    return _Context(
        actor=actor,
        revisions=revisions,
        files=_files(actor.organization_id, {r.file_sha256 for r in everything}),
        people=_people(user_ids),
        acknowledgements=acknowledgements,
        members=members(actor.organization_id) if desk and documents else None,
        today=organization_today(actor.organization_id),
    )


def _current(revisions: list[DocumentRevision]) -> DocumentRevision | None:
    return next((r for r in revisions if r.status == APPROVED), None)


def _file_fields(context: _Context, revision: DocumentRevision) -> dict:
    held = context.files.get(revision.file_sha256)
    return {
        "filename": revision.filename,
        "content_type": held.content_type if held else None,
        "size_bytes": held.size_bytes if held else None,
        "file_sha256": revision.file_sha256,
    }


def _summary(context: _Context, document: Document) -> dict:
    revisions = context.revisions[document.pk]
    current = _current(revisions)
    actor = context.actor
    mine = None
    if current is not None:
        rows = context.acknowledgements.get(current.pk, [])
        mine = next((row for row in rows if row.user_id == actor.user_id), None)
    counts = _counts(context, document, current)
    return {
        **{name: getattr(document, name) for name in ("id", "code", "title", "kind")},
        "status": status_of([revision.status for revision in revisions]),
        "current_revision": _current_view(context, document, current),
        "review_on": document.review_on,
        "review_due": current is not None
        and document.review_on is not None
        and document.review_on <= context.today,
        "owner": context.people.get(document.owner_id),
        "audience": {"roles": document.audience_roles, "site_ids": document.audience_site_ids},
        "acknowledged_by_me": None if current is None else mine is not None,
        "my_acknowledgement": {"id": mine.id, "acknowledged_at": mine.acknowledged_at}
        if mine
        else None,
        "concerns_me": current is not None and concerns(document, actor.role, actor.site_ids),
        "acknowledgement_counts": counts,
        "created_at": document.created_at,
        "changed_at": document.changed_at,
    }


def _current_view(context: _Context, document: Document, current) -> dict | None:
    if current is None:
        return None
    return {
        "id": current.id,
        "number": current.number,
        "approved_at": current.approved_at,
        "approved_by": context.people.get(current.approved_by_id),
        "file_url": f"/api/documents/{document.id}/file",
        **_file_fields(context, current),
    }


def _concerned(context: _Context, document: Document) -> list[Member]:
    return [m for m in context.members if concerns(document, m.role, m.site_ids)]


def _counts(context: _Context, document: Document, current) -> dict | None:
    """{done, expected} for the desk: active members it concerns, and those who read it."""
    if context.members is None:
        return None
    if current is None:
        return {"done": 0, "expected": 0}
    concerned = {member.user_id for member in _concerned(context, document)}
    read = {row.user_id for row in context.acknowledgements.get(current.pk, [])}
    return {"done": len(concerned & read), "expected": len(concerned)}


def summaries(actor: Actor, documents: list[Document]) -> list[dict]:
    """Documents as the list shows them."""
    context = _context(actor, documents)
    return [_summary(context, document) | _list_counts(context, document) for document in documents]


def _list_counts(context: _Context, document: Document) -> dict:
    current = _current(context.revisions[document.pk])
    return {"acknowledgements": _counts(context, document, current)}


def document_view(actor: Actor, document: Document) -> dict:
    """One document in full: its revisions (the desk sees all, others the current one) and,
    for the desk, who acknowledged the current revision and who has not yet."""
    context = _context(actor, [document])
    view = _summary(context, document)
    revisions = context.revisions[document.pk]
    current = _current(revisions)
    desk = keeps_documents(actor)
    shown = revisions if desk else [r for r in revisions if r is current]
    view["revisions"] = [_revision_view(context, document, r, desk) for r in reversed(shown)]
    view["acknowledgements"] = view["pending"] = None
    if desk:
        rows = context.acknowledgements.get(current.pk, []) if current else []
        read = {row.user_id for row in rows}
        view["acknowledgements"] = [
            {"user": context.people.get(row.user_id), "acknowledged_at": row.acknowledged_at}
            for row in rows
        ]
        concerned = _concerned(context, document) if current else []
        view["pending"] = [
            {"id": m.user_id, "name": m.name} for m in concerned if m.user_id not in read
        ]
    return view


def _revision_view(context: _Context, document: Document, revision, desk: bool) -> dict:
    url = f"/api/documents/{document.id}"
    return {
        **{name: getattr(revision, name) for name in ("id", "number", "status", "summary")},
        **_file_fields(context, revision),
        "author": context.people.get(revision.author_id),
        "approved_by": context.people.get(revision.approved_by_id),
        "approved_at": revision.approved_at,
        "obsoleted_at": revision.obsoleted_at,
        "created_at": revision.created_at,
        "file_url": f"{url}/revisions/{revision.id}/file" if desk else f"{url}/file",
    }


def list_documents(actor: Actor, filters: dict) -> list[dict]:
    """The documents the actor may open, by code, filtered."""
    stmt = document_scope(actor, select(Document))
    if filters.get("kind"):
        stmt = stmt.where(Document.kind == filters["kind"])
    words = (filters.get("q") or "").split()
    for word in words:
        pattern = word.lower()
        stmt = stmt.where(
            or_(
                func.lower(Document.code).contains(pattern, autoescape=True),
                func.lower(Document.title).contains(pattern, autoescape=True),
            )
        )
    documents = db.session.scalars(stmt.order_by(Document.code, Document.pk)).all()
    return [view for view in summaries(actor, documents) if _wanted(view, filters)]


def _wanted(view: dict, filters: dict) -> bool:
    """True when a document's view passes the filters worked out from its revisions."""
    if filters.get("status") and view["status"] != filters["status"]:
        return False
    if filters.get("review_due") is not None and view["review_due"] != filters["review_due"]:
        return False
    if filters.get("to_acknowledge") == "me":
        return view["concerns_me"] and view["acknowledged_by_me"] is False
    return True


def document_ref(document_pk: int | None) -> dict | None:
    """{id, code, title} of a document another record names, or None."""
    if document_pk is None:
        return None
    row = db.session.execute(
        select(Document.id, Document.code, Document.title).where(Document.pk == document_pk)
    ).first()
    return {"id": row.id, "code": row.code, "title": row.title} if row else None


def document_refs(organization_id: int, document_ids: set) -> dict[str, dict]:
    """{id, code, title} by id (as text) of those of these ids that are the organization's."""
    wanted = [uuid.UUID(str(document_id)) for document_id in document_ids if document_id]
    if not wanted:
        return {}
    rows = db.session.execute(
        select(Document.id, Document.code, Document.title).where(
            Document.organization_id == organization_id, Document.id.in_(wanted)
        )
    )
    return {str(row.id): {"id": row.id, "code": row.code, "title": row.title} for row in rows}
