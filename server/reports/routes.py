"""/api/reports: the reports a user may see."""

import uuid

from flask_smorest import Blueprint

from server.auth.access import current_actor, role_required
from server.reports import services
from server.reports.schemas import ReportFilterIn, ReportOut, ReportPageOut

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
