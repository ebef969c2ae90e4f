"""/api/nonconformities, /api/reports/{id}/nonconformity and /api/actions."""

import uuid
from http import HTTPStatus

from flask_smorest import Blueprint

from server.auth.access import current_actor, role_required
from server.nonconformities import actions, reading, services
from server.nonconformities.records import visible_action, visible_nc
from server.nonconformities.schemas import (
    ActionDoneIn,
    ActionFilterIn,
    ActionIn,
    ActionOut,
    ActionPageOut,
    NcEventOut,
    NonconformityFilterIn,
    NonconformityIn,
    NonconformityOut,
    NonconformityPageOut,
    NonconformityPatchIn,
    RaiseIn,
    VerificationIn,
)

blp = Blueprint(
    "nonconformities",
    __name__,
    url_prefix="/api/nonconformities",
    description="Nonconformities (NC): root cause, actions and the effectiveness check",
)
report_blp = Blueprint(
    "report_nonconformity",
    __name__,
    url_prefix="/api/reports",
    description="Raising a nonconformity from a report",
)
actions_blp = Blueprint(
    "actions", __name__, url_prefix="/api/actions", description="Actions of nonconformities"
)
OFFICERS = ("officer", "admin")
_404 = HTTPStatus(404).name
_409 = HTTPStatus(409).name


def _nc_answer(nc, created: bool):
    """The NC in full, 201 when new and 200 when it was there already."""
    view = reading.nc_view(current_actor(), nc)
    return view, 201 if created else 200


@blp.post("")
@role_required(*OFFICERS)
@blp.arguments(NonconformityIn)
@blp.response(201, NonconformityOut, description="Logged")
@blp.alt_response(200, schema=NonconformityOut, description="Already logged", success=True)
@blp.alt_response(409, response=_409)
def create_nonconformity(body: dict):
    """Log an NC; the same id and content again gives it back, other content is 409."""
    return _nc_answer(*services.create_nonconformity(current_actor(), body))


@report_blp.post("/<uuid:report_id>/nonconformity")
@role_required(*OFFICERS)
@report_blp.arguments(RaiseIn)
@report_blp.response(201, NonconformityOut, description="Raised")
@report_blp.alt_response(
    200, schema=NonconformityOut, description="The report's NC, raised before", success=True
)
@report_blp.alt_response(404, response=_404)
def raise_from_report(body: dict, report_id: uuid.UUID):
    """Raise an NC from a report, linked both ways; the report's NC if it has one already."""
    actor = current_actor()
    return _nc_answer(
        *services.raise_from_report(
            actor, report_id, body["severity"], body["title"], body["clause"]
        )
    )


@blp.get("")
@role_required(*OFFICERS)
@blp.arguments(NonconformityFilterIn, location="query")
@blp.response(200, NonconformityPageOut)
def list_nonconformities(filters: dict):
    """The NCs of my sites, newest first, filtered, one page at a time."""
    actor = current_actor()
    page, next_cursor = reading.list_nonconformities(actor, **filters)
    return {"items": reading.summaries(actor, page), "next_cursor": next_cursor}


@blp.get("/<uuid:nc_id>")
@role_required(*OFFICERS)
@blp.response(200, NonconformityOut)
@blp.alt_response(404, response=_404)
def get_nonconformity(nc_id: uuid.UUID):
    """One NC with its actions, root cause, check, repeat, warnings, photos and report."""
    actor = current_actor()
    return reading.nc_view(actor, visible_nc(actor, nc_id))


@blp.patch("/<uuid:nc_id>")
@role_required(*OFFICERS)
@blp.arguments(NonconformityPatchIn)
@blp.response(200, NonconformityOut)
@blp.alt_response(404, response=_404)
@blp.alt_response(409, response=_409)
def update_nonconformity(body: dict, nc_id: uuid.UUID):
    """Record containment, the root cause (open -> analysed), why weak controls stay, or
    cancel with a reason."""
    actor = current_actor()
    return reading.nc_view(actor, services.update_nonconformity(actor, nc_id, body))


@blp.get("/<uuid:nc_id>/events")
@role_required(*OFFICERS)
@blp.response(200, NcEventOut(many=True))
@blp.alt_response(404, response=_404)
def nonconformity_events(nc_id: uuid.UUID):
    """Every change of the NC and of its actions, oldest first: what, who, when."""
    actor = current_actor()
    return reading.nc_events(actor, visible_nc(actor, nc_id))


@blp.post("/<uuid:nc_id>/actions")
@role_required(*OFFICERS)
@blp.arguments(ActionIn)
@blp.response(201, ActionOut, description="Planned")
@blp.alt_response(200, schema=ActionOut, description="Already planned", success=True)
@blp.alt_response(404, response=_404)
@blp.alt_response(409, response=_409)
def plan_action(body: dict, nc_id: uuid.UUID):
    """Plan an action; 409 before the root cause is recorded (a correction may come first)."""
    action, created = actions.plan_action(current_actor(), nc_id, body)
    return reading.action_views([action])[0], 201 if created else 200


@blp.post("/<uuid:nc_id>/verification")
@role_required(*OFFICERS)
@blp.arguments(VerificationIn)
@blp.response(200, NonconformityOut)
@blp.alt_response(404, response=_404)
@blp.alt_response(409, response=_409)
def verify(body: dict, nc_id: uuid.UUID):
    """The effectiveness check: effective closes the NC, not effective sends it back to
    actions. 409 while an action is open or before verify_after."""
    actor = current_actor()
    nc = services.verify(actor, nc_id, body["effective"], body["notes"], body["photos"])
    return reading.nc_view(actor, nc)


@actions_blp.get("")
@role_required()
@actions_blp.arguments(ActionFilterIn, location="query")
@actions_blp.response(200, ActionPageOut)
def list_actions(filters: dict):
    """The actions I may see (owner=me: my own), overdue first, then by due day."""
    page, next_cursor = actions.list_actions(current_actor(), **filters)
    return {"items": reading.action_views(page), "next_cursor": next_cursor}


@actions_blp.get("/<uuid:action_id>")
@role_required()
@actions_blp.response(200, ActionOut)
@actions_blp.alt_response(404, response=_404)
def get_action(action_id: uuid.UUID):
    """One action: mine, or one of my sites' for officers."""
    return reading.action_views([visible_action(current_actor(), action_id)])[0]


@actions_blp.patch("/<uuid:action_id>")
@role_required()
@actions_blp.arguments(ActionDoneIn)
@actions_blp.response(200, ActionOut)
@actions_blp.alt_response(404, response=_404)
@actions_blp.alt_response(409, response=_409)
def complete_action(body: dict, action_id: uuid.UUID):
    """Report the action done with notes and photo evidence (its owner, or an officer).
    Every photo must be uploaded first (422 names those missing); the same update again is
    harmless, a different one for a done action is 409."""
    action, _outcome = actions.complete_action(current_actor(), action_id, body)
    return reading.action_views([action])[0]
