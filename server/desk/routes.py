"""/api/queue and /api/overview: the EHS officer's desk."""

from flask_smorest import Blueprint

from server.auth.access import current_actor, role_required
from server.dbtypes import utcnow
from server.desk import services
from server.desk.overview import overview
from server.desk.schemas import OverviewOut, QueueFilterIn, QueuePageOut

blp = Blueprint("desk", __name__, url_prefix="/api", description="The officer's desk")

OFFICERS = ("officer", "admin")


@blp.get("/queue")
@role_required(*OFFICERS)
@blp.arguments(QueueFilterIn, location="query")
@blp.response(200, QueuePageOut)
def queue(filters: dict):
    """The triage queue: awaiting triage, then P1 to P4; riskiest, then oldest, first."""
    limit, cursor = filters.pop("limit"), filters.pop("cursor")
    items, next_cursor = services.queue_page(current_actor(), filters, limit, cursor)
    return {"items": items, "next_cursor": next_cursor}


@blp.get("/overview")
@role_required(*OFFICERS)
@blp.response(200, OverviewOut)
def get_overview():
    """Open reports by risk band and status, 12 weeks by category, overdue P1/P2 items."""
    return overview(current_actor(), utcnow())
