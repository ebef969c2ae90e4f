"""Linking reports, NCs and audit findings to the register, and the entries a report most
likely concerns: /api/reports/{id}/risk, /api/nonconformities/{id}/risk,
/api/audits/{audit_id}/findings/{question_id}/risk and /api/reports/{id}/risk-suggestions."""

import uuid
from http import HTTPStatus

import marshmallow as ma
from flask import Response
from flask_smorest import Blueprint

from server.auth.access import current_actor, role_required
from server.risks.links import FINDING, NONCONFORMITY, REPORT, link_record, linked_risk
from server.risks.outputs import RiskOut, RiskSummaryOut
from server.risks.reading import risk_view, risk_views
from server.risks.records import DESK_ROLES
from server.risks.schemas import LinkIn
from server.risks.suggestions import suggest

links_blp = Blueprint(
    "risk_links",
    __name__,
    url_prefix="/api",
    description="Reports, NCs and audit findings linked to the register, and link suggestions",
)
_404 = HTTPStatus(404).name
_UNLINKED = "Unlinked (risk_id null)"


class LinkedOut(ma.Schema):
    risk = ma.fields.Nested(
        RiskSummaryOut, allow_none=True, metadata={"description": "null: linked to no entry"}
    )


class SuggestionOut(ma.Schema):
    risk = ma.fields.Nested(RiskSummaryOut)
    reason = ma.fields.String(
        metadata={"description": "Why: 'Same category: ...' or 'Words in common: ...'"}
    )


def _linked(record_type: str, record_id, risk_id: uuid.UUID | None):
    """The entry in full after linking, or 204 after unlinking."""
    risk = link_record(current_actor(), record_type, record_id, risk_id)
    if risk is None:
        return Response(status=HTTPStatus.NO_CONTENT)
    return risk_view(risk, with_history=True, with_links=True)


def _current(record_type: str, record_id) -> dict:
    risk = linked_risk(current_actor(), record_type, record_id)
    return {"risk": risk_views([risk])[0] if risk is not None else None}


@links_blp.put("/reports/<uuid:report_id>/risk")
@role_required(*DESK_ROLES)
@links_blp.arguments(LinkIn)
@links_blp.response(200, RiskOut, description="Linked: the entry")
@links_blp.alt_response(204, description=_UNLINKED, success=True)
@links_blp.alt_response(404, response=_404)
def link_report(body: dict, report_id: uuid.UUID):
    """Link a report to the entry of its site's register it concerns (null unlinks); linking
    it again moves it. An incident linked puts the entry on the review-due list at once."""
    return _linked(REPORT, report_id, body["risk_id"])


@links_blp.get("/reports/<uuid:report_id>/risk")
@role_required(*DESK_ROLES)
@links_blp.response(200, LinkedOut)
@links_blp.alt_response(404, response=_404)
def report_risk(report_id: uuid.UUID):
    """The entry the report is linked to, or null."""
    return _current(REPORT, report_id)


@links_blp.put("/nonconformities/<uuid:nc_id>/risk")
@role_required(*DESK_ROLES)
@links_blp.arguments(LinkIn)
@links_blp.response(200, RiskOut, description="Linked: the entry")
@links_blp.alt_response(204, description=_UNLINKED, success=True)
@links_blp.alt_response(404, response=_404)
def link_nonconformity(body: dict, nc_id: uuid.UUID):
    """Link an NC to the entry it concerns (null unlinks); a major NC puts the entry on the
    review-due list at once, and so does a "not effective" check of a linked NC later."""
    return _linked(NONCONFORMITY, nc_id, body["risk_id"])


@links_blp.get("/nonconformities/<uuid:nc_id>/risk")
@role_required(*DESK_ROLES)
@links_blp.response(200, LinkedOut)
@links_blp.alt_response(404, response=_404)
def nonconformity_risk(nc_id: uuid.UUID):
    """The entry the NC is linked to, or null."""
    return _current(NONCONFORMITY, nc_id)


@links_blp.put("/audits/<uuid:audit_id>/findings/<uuid:question_id>/risk")
@role_required(*DESK_ROLES)
@links_blp.arguments(LinkIn)
@links_blp.response(200, RiskOut, description="Linked: the entry")
@links_blp.alt_response(204, description=_UNLINKED, success=True)
@links_blp.alt_response(404, response=_404)
def link_finding(body: dict, audit_id: uuid.UUID, question_id: uuid.UUID):
    """Link an audit finding (the answer that counts for the question: an observation, or a
    minor or major NC) to the entry it concerns; a major NC puts the entry up for review."""
    return _linked(FINDING, (audit_id, question_id), body["risk_id"])


@links_blp.get("/audits/<uuid:audit_id>/findings/<uuid:question_id>/risk")
@role_required(*DESK_ROLES)
@links_blp.response(200, LinkedOut)
@links_blp.alt_response(404, response=_404)
def finding_risk(audit_id: uuid.UUID, question_id: uuid.UUID):
    """The entry the audit finding is linked to, or null."""
    return _current(FINDING, (audit_id, question_id))


@links_blp.get("/reports/<uuid:report_id>/risk-suggestions")
@role_required(*DESK_ROLES)
@links_blp.response(200, SuggestionOut(many=True))
@links_blp.alt_response(404, response=_404)
def risk_suggestions(report_id: uuid.UUID):
    """Up to 5 active entries of the report's site it most likely concerns, best first: its
    triage category's first, then by words in common, each with the reason."""
    found = suggest(current_actor(), report_id)
    views = risk_views([risk for risk, _reason in found])
    return [
        {"risk": view, "reason": reason} for view, (_risk, reason) in zip(views, found, strict=True)
    ]
