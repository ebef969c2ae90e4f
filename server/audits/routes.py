"""/api/audits: audits to run, starting one, one audit in full, the sign-off and the trends."""

import uuid
from http import HTTPStatus

from flask import Response
from flask_smorest import Blueprint

from server.audits import reading, report_files, services
from server.audits.records import DESK_ROLES
from server.audits.schemas import (
    AuditEntryOut,
    AuditFilterIn,
    AuditIn,
    AuditOut,
    CancelIn,
    SubmitIn,
    TrendsIn,
    TrendsOut,
)
from server.auth.access import current_actor, role_required
from server.exceptions import NotAllowed

blp = Blueprint(
    "audits",
    __name__,
    url_prefix="/api/audits",
    description="Internal audits: run offline, scored, signed off; findings become NCs",
)
_404 = HTTPStatus(404).name
_409 = HTTPStatus(409).name
AUDITS_IN_FULL, PROGRAMME_ENTRIES = AuditOut(many=True), AuditEntryOut(many=True)


@blp.get("")
@role_required(*services.AUDITING_ROLES)
@blp.arguments(AuditFilterIn, location="query")
@blp.response(
    200,
    description="assigned=me: a list of audits in full (as GET /api/audits/{id}); "
    "else a list of programme entries (AuditEntry)",
)
def list_audits(filters: dict):
    """assigned=me: the open audits I run, each in full to run offline. Otherwise (officers
    and admins) the programme: audits of my sites by due day, newest first."""
    actor = current_actor()
    if filters.pop("assigned", None) == "me":
        return AUDITS_IN_FULL.dump(reading.assigned_audits(actor))
    if actor.role not in DESK_ROLES:
        raise NotAllowed("The programme is for officers and admins; add assigned=me.")
    filters["from"] = filters.pop("from_", None)
    return PROGRAMME_ENTRIES.dump(reading.audit_list(actor, filters))


@blp.post("")
@role_required(*services.AUDITING_ROLES)
@blp.arguments(AuditIn)
@blp.response(201, AuditOut, description="Started")
@blp.alt_response(200, schema=AuditOut, description="Already started", success=True)
@blp.alt_response(409, response=_409)
def start_audit(body: dict):
    """Start an unplanned audit of the template's newest version, run by me."""
    audit, created = services.create_audit(current_actor(), body)
    return reading.view_of(audit), 201 if created else 200


@blp.get("/trends")
@role_required(*DESK_ROLES)
@blp.arguments(TrendsIn, location="query")
@blp.response(200, TrendsOut)
def audit_trends(args: dict):
    """Scores of signed-off audits by site and month; findings by clause."""
    return reading.audit_trends(current_actor(), args.get("site_id"), args["months"])


@blp.get("/<uuid:audit_id>")
@role_required(*services.AUDITING_ROLES)
@blp.response(200, AuditOut)
@blp.alt_response(404, response=_404)
def get_audit(audit_id: uuid.UUID):
    """One audit with its template version, current answers, score and findings."""
    return reading.audit_view(current_actor(), audit_id)


@blp.post("/<uuid:audit_id>/submit")
@role_required(*services.AUDITING_ROLES)
@blp.arguments(SubmitIn)
@blp.response(200, AuditOut)
@blp.alt_response(404, response=_404)
@blp.alt_response(409, response=_409)
def submit_audit(body: dict, audit_id: uuid.UUID):
    """Sign off: 422 listing unanswered questions; each NC answer becomes an NC; idempotent."""
    audit = services.submit_audit(current_actor(), audit_id, body["signed_at"])
    return reading.view_of(audit)


@blp.post("/<uuid:audit_id>/cancel")
@role_required(*DESK_ROLES)
@blp.arguments(CancelIn)
@blp.response(200, AuditOut)
@blp.alt_response(404, response=_404)
@blp.alt_response(409, response=_409)
def cancel_audit(body: dict, audit_id: uuid.UUID):
    """Cancel a planned or started audit, with a reason."""
    return reading.view_of(services.cancel_audit(current_actor(), audit_id, body["reason"]))


@blp.get("/<uuid:audit_id>/report.pdf")
@role_required(*services.AUDITING_ROLES)
@blp.response(200, description="The audit report", content_type="application/pdf")
@blp.alt_response(404, response=_404)
def audit_report(audit_id: uuid.UUID):
    """The audit report: scores by section, findings with their photos and hashes, sign-off.

    A signed-off audit's report is drawn once and kept; a draft's is drawn on each request."""
    report = report_files.audit_report(current_actor(), audit_id)
    if isinstance(report, bytes):
        response = Response(report, mimetype="application/pdf")
    else:  # a few megabytes at most: its photos are thumbnails
        response = Response(report.path.read_bytes(), mimetype="application/pdf")
        response.set_etag(report.sha256)
    response.headers["Content-Disposition"] = f'inline; filename="audit-{audit_id}.pdf"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response
