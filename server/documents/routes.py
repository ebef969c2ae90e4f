"""/api/documents: controlled documents, their revisions, approval and acknowledgements."""

import uuid
from http import HTTPStatus

from flask import Response, request, send_file
from flask_smorest import Blueprint

from server.auth.access import current_actor, role_required
from server.csrf import IMAGE_TYPES, accepts
from server.documents import files, reading, services
from server.documents.models import FILE_TYPES, DocumentRevision
from server.documents.records import DESK_ROLES, keeps_documents, visible_document
from server.documents.schemas import (
    AcknowledgementIn,
    AcknowledgementOut,
    ApproveIn,
    DocumentFileOut,
    DocumentFilterIn,
    DocumentIn,
    DocumentListItemOut,
    DocumentOut,
    DocumentPatchIn,
    ObsoleteIn,
    RevisionIn,
)
from server.exceptions import NotAllowed, NotFound
from server.extensions import db
from server.headers import policy
from server.media.services import read_timeout
from server.media.upload import read_timeout as reading_within

blp = Blueprint(
    "documents",
    __name__,
    url_prefix="/api/documents",
    description="Controlled documents: revisions, approval, read-and-understood (ISO 7.5)",
)
_404 = HTTPStatus(404).name
_409 = HTTPStatus(409).name
_FILE_BODY = {
    "required": True,
    "content": {kind: {"schema": {"type": "string", "format": "binary"}} for kind in FILE_TYPES},
}
# A year: a revision's file never changes, so its URL names the same bytes for ever.
IMMUTABLE_AGE = 31_536_000
# Chrome's PDF viewer draws its page with inline styles and loads the file as a plugin: the
# app's policy (object-src 'none') would leave it blank. Nothing here runs scripts.
FILE_POLICY = policy(
    **{
        "default-src": "'none'",
        "script-src": "'none'",
        "style-src": "'unsafe-inline'",
        "img-src": "'self' data:",
        "object-src": "'self'",
        "frame-ancestors": "'self'",
    }
)


def _full(document) -> dict:
    return reading.document_view(current_actor(), document)


@blp.route("/files/<sha256>", methods=["PUT"])
@accepts(IMAGE_TYPES, {"application/pdf"})
@role_required(*DESK_ROLES)
@blp.doc(requestBody=_FILE_BODY)
@blp.response(201, DocumentFileOut, description="Stored")
@blp.alt_response(200, schema=DocumentFileOut, description="Already held", success=True)
@blp.alt_response(408, response=HTTPStatus(408).name)
@blp.alt_response(413, response=HTTPStatus(413).name)
@blp.alt_response(415, response=HTTPStatus(415).name)
@blp.alt_response(422, response=HTTPStatus(422).name)
def put_file(sha256: str):
    """Upload a revision's file (PDF, JPEG, PNG or WebP), verified against its SHA-256:
    201 stored, 200 held already."""
    actor = current_actor()
    with reading_within(request.environ, read_timeout()):
        stored = files.store_file(
            actor, sha256, request.mimetype, request.stream, request.content_length
        )
    db.session.commit()
    held = stored.file
    body = {
        "sha256": held.sha256,
        "content_type": held.content_type,
        "size_bytes": held.size_bytes,
        "pages": stored.pages,
    }
    return body, 201 if stored.created else 200


@blp.route("/files/<sha256>", methods=["HEAD"])
@role_required(*DESK_ROLES)
@blp.response(200, description="My organization holds this file")
@blp.alt_response(404, response=_404)
def file_held(sha256: str):
    """200 when my organization uploaded a file with this SHA-256, 404 when not."""
    if files.find_file(current_actor().organization_id, files.valid_sha256(sha256)) is None:
        raise NotFound("Your organization holds no document file with this hash.")
    return Response(status=200)


@blp.get("")
@role_required()
@blp.arguments(DocumentFilterIn, location="query")
@blp.response(200, DocumentListItemOut(many=True))
def list_documents(filters: dict):
    """The documents I may open by code: everyone the approved ones (concerns_me says which
    are for them; to_acknowledge=me those still to read), the desk every one."""
    return reading.list_documents(current_actor(), filters)


@blp.post("")
@role_required(*DESK_ROLES)
@blp.arguments(DocumentIn)
@blp.response(201, DocumentOut, description="Made")
@blp.alt_response(200, schema=DocumentOut, description="Already made", success=True)
@blp.alt_response(409, response=_409)
def create_document(body: dict):
    """Make a document (no revision yet); the same id and content again gives it back, other
    content (or a code in use) is 409."""
    document, created = services.create_document(current_actor(), body)
    return _full(document), 201 if created else 200


@blp.get("/<uuid:document_id>")
@role_required()
@blp.response(200, DocumentOut)
@blp.alt_response(404, response=_404)
def get_document(document_id: uuid.UUID):
    """One document with its revisions, newest first (the desk all, others the current one)
    and, for the desk, who has and has not acknowledged the current revision."""
    return _full(visible_document(current_actor(), document_id))


@blp.patch("/<uuid:document_id>")
@role_required(*DESK_ROLES)
@blp.arguments(DocumentPatchIn)
@blp.response(200, DocumentOut)
@blp.alt_response(404, response=_404)
def update_document(body: dict, document_id: uuid.UUID):
    """Change the title, kind, owner, review day or audience."""
    return _full(services.update_document(current_actor(), document_id, body))


@blp.post("/<uuid:document_id>/revisions")
@role_required(*DESK_ROLES)
@blp.arguments(RevisionIn)
@blp.response(201, DocumentOut, description="Drafted")
@blp.alt_response(200, schema=DocumentOut, description="Already drafted", success=True)
@blp.alt_response(404, response=_404)
@blp.alt_response(409, response=_409)
def add_revision(body: dict, document_id: uuid.UUID):
    """A new draft revision of an uploaded file; a draft waiting before it is superseded
    (obsolete). Answers the document."""
    actor = current_actor()
    _revision, created = services.add_revision(actor, document_id, body)
    return _full(visible_document(actor, document_id)), 201 if created else 200


@blp.post("/<uuid:document_id>/revisions/<uuid:revision_id>/approve")
@role_required(*DESK_ROLES)
@blp.arguments(ApproveIn)
@blp.response(200, DocumentOut)
@blp.alt_response(404, response=_404)
@blp.alt_response(409, response=_409)
def approve_revision(body: dict, document_id: uuid.UUID, revision_id: uuid.UUID):
    """Approve a draft: 409 for its author, or a revision not in draft. The approved one
    before it becomes obsolete; review_on is today + the organization's
    document_review_months unless given."""
    return _full(services.approve(current_actor(), document_id, revision_id, body))


@blp.post("/<uuid:document_id>/obsolete")
@role_required(*DESK_ROLES)
@blp.arguments(ObsoleteIn)
@blp.response(200, DocumentOut)
@blp.alt_response(404, response=_404)
@blp.alt_response(409, response=_409)
def withdraw_document(body: dict, document_id: uuid.UUID):
    """Withdraw the document: its approved revision (and any draft) become obsolete."""
    return _full(services.withdraw(current_actor(), document_id, body["reason"]))


@blp.post("/<uuid:document_id>/acknowledgements")
@role_required()
@blp.arguments(AcknowledgementIn)
@blp.response(201, AcknowledgementOut, description="Recorded")
@blp.alt_response(200, schema=AcknowledgementOut, description="Already recorded", success=True)
@blp.alt_response(404, response=_404)
@blp.alt_response(409, response=_409)
def acknowledge(body: dict, document_id: uuid.UUID):
    """I have read and understood the current revision; 409 when a newer one came."""
    ack, created = services.acknowledge(current_actor(), document_id, body)
    return services.acknowledgement_view(ack), 201 if created else 200


@blp.get("/<uuid:document_id>/file")
@role_required()
@blp.response(200, description="The current approved revision's file")
@blp.alt_response(404, response=_404)
def current_file(document_id: uuid.UUID):
    """The file of the revision in use, what every link to the document shows; 404 when
    none is approved."""
    document = visible_document(current_actor(), document_id)
    current = next((r for r in document.revisions if r.status == "approved"), None)
    if current is None:
        raise NotFound("This document has no approved revision.")
    return _send(document.organization_id, current, immutable=False)


@blp.get("/<uuid:document_id>/revisions/<uuid:revision_id>/file")
@role_required()
@blp.response(200, description="That revision's file")
@blp.alt_response(404, response=_404)
def revision_file(document_id: uuid.UUID, revision_id: uuid.UUID):
    """One revision's file (officers, admins and its author)."""
    actor = current_actor()
    document = visible_document(actor, document_id)
    revision = next((r for r in document.revisions if r.id == revision_id), None)
    if revision is None:
        raise NotFound(f"No revision with id {revision_id} of this document.")
    if not keeps_documents(actor) and revision.author_id != actor.user_id:
        raise NotAllowed("A revision's own file is for officers, admins and its author.")
    return _send(document.organization_id, revision, immutable=True)


def _send(organization_id: int, revision: DocumentRevision, immutable: bool):
    """The revision's bytes, named by its file name; cached long only at a URL that names
    these bytes for ever (a revision's), else revalidated by their hash each time."""
    held = files.find_file(organization_id, revision.file_sha256)
    if held is None:
        raise NotFound("This document's file is missing.")
    response = send_file(
        files.open_file(held.sha256),
        mimetype=held.content_type,
        download_name=revision.filename,
        as_attachment=False,
        etag=held.sha256,
        conditional=True,
        max_age=IMMUTABLE_AGE if immutable else None,
    )
    response.cache_control.public = False
    response.cache_control.private = True
    if immutable:
        response.cache_control.immutable = True
    else:
        response.cache_control.max_age = None
        response.cache_control.no_cache = True
    response.headers["Content-Security-Policy"] = FILE_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response
