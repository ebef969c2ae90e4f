"""/api/risks: the risk and opportunity register, its heat map and a site's controls."""

import uuid
from http import HTTPStatus

from flask_smorest import Blueprint

from server.auth.access import current_actor, role_required
from server.risks import reading, services
from server.risks.outputs import HeatmapOut, RiskOut, RiskPageOut, SiteControlOut
from server.risks.records import DESK_ROLES, visible_risk
from server.risks.schemas import ReviewIn, RiskFilterIn, RiskIn

blp = Blueprint(
    "risks",
    __name__,
    url_prefix="/api/risks",
    description="The risk and opportunity register (ISO 45001, 14001 and 9001 clause 6.1)",
)
_404 = HTTPStatus(404).name
_409 = HTTPStatus(409).name


def _full(risk) -> dict:
    return reading.risk_view(risk, with_history=True, with_links=True)


@blp.get("")
@role_required(*DESK_ROLES)
@blp.arguments(RiskFilterIn, location="query")
@blp.response(200, RiskPageOut)
def list_risks(filters: dict):
    """The register of my sites in number order, filtered (band: the residual band), one
    page at a time."""
    page, next_cursor = reading.list_risks(current_actor(), **filters)
    return {"items": reading.risk_views(page), "next_cursor": next_cursor}


@blp.post("")
@role_required(*DESK_ROLES)
@blp.arguments(RiskIn)
@blp.response(201, RiskOut, description="Entered")
@blp.alt_response(200, schema=RiskOut, description="Already entered", success=True)
@blp.alt_response(409, response=_409)
def create_risk(body: dict):
    """Enter a risk or opportunity; the same id and content again gives it back, other
    content is 409."""
    risk, created = services.create_risk(current_actor(), body)
    return _full(risk), 201 if created else 200


@blp.get("/heatmap")
@role_required(*DESK_ROLES)
@blp.arguments(RiskFilterIn(only=("site_id", "kind", "status")), location="query")
@blp.response(200, HeatmapOut)
def heatmap(filters: dict):
    """The 5 x 5 matrix with the active entries counted per cell, inherent and residual."""
    return reading.heatmap(current_actor(), **filters)


@blp.get("/controls")
@role_required()
@blp.arguments(RiskFilterIn(only=("site_id",)), location="query")
@blp.response(200, SiteControlOut(many=True))
def site_controls(filters: dict):
    """The active entries of my sites (or one) with their controls: read only, for everyone."""
    return reading.site_controls(current_actor(), filters.get("site_id"))


@blp.get("/<uuid:risk_id>")
@role_required(*DESK_ROLES)
@blp.response(200, RiskOut)
@blp.alt_response(404, response=_404)
def get_risk(risk_id: uuid.UUID):
    """One entry with its history (oldest first, the first as entered) and its links."""
    return _full(visible_risk(current_actor(), risk_id))


@blp.patch("/<uuid:risk_id>")
@role_required(*DESK_ROLES)
@blp.arguments(ReviewIn)
@blp.response(200, RiskOut)
@blp.alt_response(404, response=_404)
def review_risk(body: dict, risk_id: uuid.UUID):
    """Record a review: new ratings, controls and the next review day (owner and status
    when given); the history keeps every earlier one and a pending review is cleared."""
    return _full(services.review_risk(current_actor(), risk_id, body))
