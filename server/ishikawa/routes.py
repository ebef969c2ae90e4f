"""/api/reports/{id}/analysis: the Ishikawa analysis, its edits and its diagram."""

import uuid
from http import HTTPStatus

from flask import Response
from flask_smorest import Blueprint

from server.auth.access import current_actor, role_required
from server.ishikawa import render, services
from server.ishikawa.schemas import AnalysisEditIn, AnalysisOut

blp = Blueprint("analysis", __name__, url_prefix="/api/reports", description="Root-cause analysis")

EDITORS = ("officer", "admin")


@blp.post("/<uuid:report_id>/analysis")
@role_required(*EDITORS)
@blp.response(202, AnalysisOut, description="Requested: a job builds it")
@blp.alt_response(404, response=HTTPStatus(404).name)
def request_analysis(report_id: uuid.UUID):
    """Ask for the report's Ishikawa analysis to be built, or rebuilt (officers, admins)."""
    actor = current_actor()
    return services.analysis_view(actor, services.request_analysis(actor, report_id))


@blp.get("/<uuid:report_id>/analysis")
@role_required()
@blp.response(200, AnalysisOut)
@blp.alt_response(404, response=HTTPStatus(404).name)
def get_analysis(report_id: uuid.UUID):
    """The analysis: effect, causes by category, whys, root cause, version and status."""
    actor = current_actor()
    return services.analysis_view(actor, services.get_analysis(actor, report_id))


@blp.patch("/<uuid:report_id>/analysis")
@role_required(*EDITORS)
@blp.arguments(AnalysisEditIn)
@blp.response(200, AnalysisOut)
@blp.alt_response(404, response=HTTPStatus(404).name)
@blp.alt_response(409, response=HTTPStatus(409).name, description="The version edited is stale")
def edit_analysis(body, report_id: uuid.UUID):
    """Edit the analysis (officers, admins): operations applied in order to the version sent."""
    actor = current_actor()
    analysis = services.edit_analysis(actor, report_id, body["version"], body["operations"])
    return services.analysis_view(actor, analysis)


@blp.get("/<uuid:report_id>/analysis/diagram.svg")
@role_required()
@blp.response(200, description="The fishbone diagram", content_type="image/svg+xml")
@blp.alt_response(404, response=HTTPStatus(404).name)
def diagram_svg(report_id: uuid.UUID):
    """The fishbone drawn as SVG."""
    drawing = services.diagram(current_actor(), report_id)
    return _image(render.svg(drawing), "image/svg+xml", report_id, "svg")


@blp.get("/<uuid:report_id>/analysis/diagram.png")
@role_required()
@blp.response(200, description="The fishbone diagram", content_type="image/png")
@blp.alt_response(404, response=HTTPStatus(404).name)
def diagram_png(report_id: uuid.UUID):
    """The fishbone drawn as PNG, for documents."""
    drawing = services.diagram(current_actor(), report_id)
    return _image(render.png(drawing), "image/png", report_id, "png")


def _image(body, mimetype: str, report_id: uuid.UUID, extension: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'inline; filename="analysis-{report_id}.{extension}"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response
