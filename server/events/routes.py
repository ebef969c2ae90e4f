"""/api/reports/{id}/events: the event log of one report."""

import uuid

from flask_smorest import Blueprint

from server.auth.access import current_actor, role_required
from server.events import services
from server.events.schemas import EventOut
from server.reports.services import visible_report

blp = Blueprint("events", __name__, url_prefix="/api/reports", description="Event log")


@blp.get("/<uuid:report_id>/events")
@role_required()
@blp.response(200, EventOut(many=True))
def report_events(report_id: uuid.UUID):
    """Every change of the report, oldest first: what, who and when."""
    report = visible_report(current_actor(), report_id)
    return services.events_of(report.organization_id, "report", report.id)
