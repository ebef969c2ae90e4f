"""/api/reports: the reports a user may see."""

import uuid
from http import HTTPStatus

from flask_smorest import Blueprint

from server.auth.access import current_actor, role_required
from server.events.schemas import EventOut
from server.events.services import log_for
from server.reports import services, status
from server.reports.schemas import (
    ReportFilterIn,
    ReportOut,
    ReportPageOut,
    ReportStatusIn,
)

blp = Blueprint("reports", __name__, url_prefix="/api/reports", description="Reports")


@blp.get("")
@role_required()
@blp.arguments(ReportFilterIn, location="query")
@blp.response(200, ReportPageOut)
def list_reports(filters):
    """The reports I may see, newest first, filtered, one page at a time."""
    page, next_cursor = services.list_reports(current_actor(), **filters)
    return {"items": services.report_views(page), "next_cursor": next_cursor}


@blp.get("/<uuid:report_id>")
@role_required()
@blp.response(200, ReportOut)
def get_report(report_id: uuid.UUID):
    """One report with its photos."""
    report = services.visible_report(current_actor(), report_id)
    return services.report_views([report])[0]


@blp.patch("/<uuid:report_id>/status")
@role_required("officer", "admin")
@blp.arguments(ReportStatusIn)
@blp.response(200, ReportOut)
@blp.alt_response(404, response=HTTPStatus(404).name)
@blp.alt_response(409, response=HTTPStatus(409).name)
def set_status(body: dict, report_id: uuid.UUID):
    """Start work on a report, close it (a note is required) or reopen it (officers)."""
    report = status.set_status(current_actor(), report_id, body["status"], body["note"])
    return services.report_views([report])[0]


@blp.get("/<uuid:report_id>/events")
@role_required()
@blp.response(200, EventOut(many=True))
def report_events(report_id: uuid.UUID):
    """Every change of the report, oldest first: what, who and when."""
    actor = current_actor()
    return log_for(actor, "report", services.visible_report(actor, report_id))
