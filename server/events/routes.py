"""/api/reports/{id}/events: the event log of one report."""

import uuid

from flask_smorest import Blueprint
from sqlalchemy import select

from server.auth.access import Actor, current_actor, role_required
from server.events import services
from server.events.schemas import EventOut
from server.extensions import db
from server.reports.models import Report
from server.reports.services import visible_report

blp = Blueprint("events", __name__, url_prefix="/api/reports", description="Event log")


@blp.get("/<uuid:report_id>/events")
@role_required()
@blp.response(200, EventOut(many=True))
def report_events(report_id: uuid.UUID):
    """Every change of the report, oldest first: what, who and when."""
    actor = current_actor()
    report = visible_report(actor, report_id)
    events = services.events_of(report.organization_id, "report", report.id)
    return services.without_links(events, _openable(actor, services.linked_reports(events)))


def _openable(actor: Actor, report_ids: set[str]) -> set[str]:
    """Which of these report ids the actor may open."""
    if not report_ids:
        return set()
    wanted = [uuid.UUID(report_id) for report_id in report_ids]
    stmt = actor.scope(select(Report.id), Report).where(Report.id.in_(wanted))
    return {str(report_id) for report_id in db.session.scalars(stmt)}
