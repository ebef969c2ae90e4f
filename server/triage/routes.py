"""/api/reports/{id}/triage: the triage result and an officer's override; duplicate decisions."""

import uuid
from http import HTTPStatus

from flask_smorest import Blueprint

from server.auth.access import current_actor, role_required
from server.triage import duplicates, services
from server.triage.models import OVERRIDABLE
from server.triage.schemas import (
    DuplicateDecisionIn,
    DuplicateOut,
    TriageCategoryOut,
    TriageOut,
    TriageOverrideIn,
)
from server.triage.vocabulary import CATEGORIES

blp = Blueprint("triage", __name__, url_prefix="/api/reports", description="Triage")

OFFICERS = ("officer", "admin")


@blp.get("/<uuid:report_id>/triage")
@role_required()
@blp.response(200, TriageOut)
@blp.alt_response(404, response=HTTPStatus(404).name)
def get_triage(report_id: uuid.UUID):
    """The triage of a report I may see, with the reasons behind each conclusion.

    404 "Not triaged yet" until the triage job has run once.
    """
    return services.triage_view(current_actor(), report_id)


@blp.patch("/<uuid:report_id>/triage")
@role_required(*OFFICERS)
@blp.arguments(TriageOverrideIn)
@blp.response(200, TriageOut)
@blp.alt_response(404, response=HTTPStatus(404).name)
def override_triage(body: dict, report_id: uuid.UUID):
    """Override any part of a triage, with a reason; the job's later runs keep it (officers)."""
    changes = {name: body[name] for name in OVERRIDABLE if name in body}
    return services.override_triage(current_actor(), report_id, changes, body["reason"].strip())


@blp.post("/<uuid:report_id>/duplicates/<uuid:other_id>")
@role_required(*OFFICERS)
@blp.arguments(DuplicateDecisionIn)
@blp.response(200, DuplicateOut)
@blp.alt_response(404, response=HTTPStatus(404).name)
def decide_duplicate(body: dict, report_id: uuid.UUID, other_id: uuid.UUID):
    """Confirm (linked, never deleted) or dismiss a suggested duplicate pair (officers)."""
    return duplicates.decide_duplicate(
        current_actor(), report_id, other_id, body["status"], body["reason"]
    )


categories_blp = Blueprint(
    "triage_categories", __name__, url_prefix="/api/triage", description="Triage vocabulary"
)


@categories_blp.get("/categories")
@role_required()
@categories_blp.response(200, TriageCategoryOut(many=True))
def categories():
    """The categories triage classifies into, with their labels."""
    return [{"id": c.slug, "label": c.label} for c in CATEGORIES]
