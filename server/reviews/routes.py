"""/api/objectives and /api/reviews: objectives with their figures, and management reviews with
their inputs, outputs and actions."""

import re
import uuid
from datetime import date
from http import HTTPStatus

from flask_smorest import Blueprint

from server.auth.access import current_actor, role_required
from server.dbtypes import utcnow
from server.exceptions import InvalidInput
from server.nonconformities.reading import action_views
from server.nonconformities.schemas import ActionOut
from server.reviews import objectives, reading, services
from server.reviews.outputs import ObjectiveOut, ReviewOut, ReviewSummaryOut
from server.reviews.periods import MAX_DAYS, Period, quarter_of
from server.reviews.records import DESK_ROLES, visible_objective
from server.reviews.schemas import (
    MONTH_PATTERN,
    FigureIn,
    ManagementReviewIn,
    ManagementReviewPatchIn,
    ObjectiveFilterIn,
    ObjectiveIn,
    ObjectivePatchIn,
    ReviewActionIn,
    ReviewHoldIn,
)

objectives_blp = Blueprint(
    "objectives",
    __name__,
    url_prefix="/api/objectives",
    description="Objectives (ISO 45001, 14001 and 9001 clause 6.2) and their monthly figures",
)
blp = Blueprint(
    "reviews",
    __name__,
    url_prefix="/api/reviews",
    description="Management reviews (ISO 45001, 14001 and 9001 clause 9.3)",
)
_404 = HTTPStatus(404).name
_409 = HTTPStatus(409).name


def _this_quarter() -> Period:
    return quarter_of(utcnow().date())


def _objective(objective_id: uuid.UUID) -> dict:
    """One objective as the list shows it, for this quarter."""
    actor = current_actor()
    objective = visible_objective(actor, objective_id)
    found = objectives.objectives_view(actor, _this_quarter(), objective.site_id)
    return next(entry for entry in found if entry["id"] == str(objective_id))


@objectives_blp.get("")
@role_required(*DESK_ROLES)
@objectives_blp.arguments(ObjectiveFilterIn, location="query")
@objectives_blp.response(200, ObjectiveOut(many=True))
def list_objectives(filters: dict):
    """My sites' objectives (and the organization's, to those who see every site), each with
    its value for the period (default: this quarter), the period before's, and whether met."""
    period = Period(filters["from_"], filters["to"]) if "from_" in filters else _this_quarter()
    if period.days > MAX_DAYS:
        raise InvalidInput(errors={"to": [f"A period covers at most {MAX_DAYS} days."]})
    return objectives.objectives_view(current_actor(), period, filters.get("site_id"))


@objectives_blp.post("")
@role_required(*DESK_ROLES)
@objectives_blp.arguments(ObjectiveIn)
@objectives_blp.response(201, ObjectiveOut, description="Entered")
@objectives_blp.alt_response(200, schema=ObjectiveOut, description="Already entered", success=True)
@objectives_blp.alt_response(409, response=_409)
def create_objective(body: dict):
    """Enter an objective of a site of mine (or of the organization); the same id and content
    again gives it back, other content is 409."""
    objective, created = objectives.create_objective(current_actor(), body)
    return _objective(objective.id), 201 if created else 200


@objectives_blp.get("/<uuid:objective_id>")
@role_required(*DESK_ROLES)
@objectives_blp.response(200, ObjectiveOut)
@objectives_blp.alt_response(404, response=_404)
def get_objective(objective_id: uuid.UUID):
    """One objective, with its value this quarter."""
    return _objective(objective_id)


@objectives_blp.patch("/<uuid:objective_id>")
@role_required(*DESK_ROLES)
@objectives_blp.arguments(ObjectivePatchIn)
@objectives_blp.response(200, ObjectiveOut)
@objectives_blp.alt_response(404, response=_404)
def update_objective(body: dict, objective_id: uuid.UUID):
    """Change the title, target, direction, unit, or whether it is active."""
    objectives.update_objective(current_actor(), objective_id, body)
    return _objective(objective_id)


@objectives_blp.put("/<uuid:objective_id>/figures/<string:month>")
@role_required(*DESK_ROLES)
@objectives_blp.arguments(FigureIn)
@objectives_blp.response(200, ObjectiveOut)
@objectives_blp.alt_response(404, response=_404)
@objectives_blp.alt_response(409, response=_409)
def put_figure(body: dict, objective_id: uuid.UUID, month: str):
    """The month's figure (YYYY-MM): hours worked for an injury rate, the value itself for a
    manual objective; 409 for an objective computed from the records."""
    if not re.fullmatch(MONTH_PATTERN, month):
        raise InvalidInput(errors={"month": ["Give a month as YYYY-MM (1900 to 9998)."]})
    first = date(int(month[:4]), int(month[5:]), 1)
    objectives.put_figure(current_actor(), objective_id, first, body["value"])
    return _objective(objective_id)


@blp.get("")
@role_required(*DESK_ROLES)
@blp.response(200, ReviewSummaryOut(many=True))
def list_reviews():
    """The management reviews of my sites, newest period first."""
    return reading.list_reviews(current_actor())


@blp.post("")
@role_required(*DESK_ROLES)
@blp.arguments(ManagementReviewIn)
@blp.response(201, ReviewOut, description="Opened")
@blp.alt_response(200, schema=ReviewOut, description="Already opened", success=True)
@blp.alt_response(409, response=_409)
def create_review(body: dict):
    """Open a review of a period and sites of mine; its inputs are computed from the records
    until it is held. The same id and content again gives it back, other content is 409."""
    review, created = services.create_review(current_actor(), body)
    return reading.view_of(review), 201 if created else 200


@blp.get("/<uuid:review_id>")
@role_required(*DESK_ROLES)
@blp.response(200, ReviewOut)
@blp.alt_response(404, response=_404)
def get_review(review_id: uuid.UUID):
    """One review: its inputs (live while a draft, as leadership saw them once held) and its
    outputs, with the previous review and the comparison period."""
    return reading.review_view(current_actor(), review_id)


@blp.patch("/<uuid:review_id>")
@role_required(*DESK_ROLES)
@blp.arguments(ManagementReviewPatchIn)
@blp.response(200, ReviewOut)
@blp.alt_response(404, response=_404)
@blp.alt_response(409, response=_409)
def update_review(body: dict, review_id: uuid.UUID):
    """Record the attendees, decisions and notes (or a new title) while the review is a draft."""
    return reading.view_of(services.update_review(current_actor(), review_id, body))


@blp.post("/<uuid:review_id>/actions")
@role_required(*DESK_ROLES)
@blp.arguments(ReviewActionIn)
@blp.response(201, ActionOut, description="Planned")
@blp.alt_response(200, schema=ActionOut, description="Already planned", success=True)
@blp.alt_response(404, response=_404)
@blp.alt_response(409, response=_409)
def add_action(body: dict, review_id: uuid.UUID):
    """An action leadership decided: a tracked action with an owner and a due day, in the
    owner's My actions and reminders like an NC's."""
    action, created = services.add_action(current_actor(), review_id, body)
    return action_views([action])[0], 201 if created else 200


@blp.post("/<uuid:review_id>/hold")
@role_required(*DESK_ROLES)
@blp.arguments(ReviewHoldIn)
@blp.response(200, ReviewOut)
@blp.alt_response(404, response=_404)
@blp.alt_response(409, response=_409)
def hold_review(body: dict, review_id: uuid.UUID):
    """Record that the review was held: its inputs are frozen as they stand. 409 without
    attendees or decisions; the same day again gives it back."""
    return reading.view_of(services.hold_review(current_actor(), review_id, body["held_on"]))
