"""/api/users/{id}/competences and /api/competences: training and qualification records."""

from http import HTTPStatus

from flask_smorest import Blueprint

from server.auth.access import current_actor, role_required
from server.people import services
from server.people.schemas import CompetenceFilterIn, CompetenceIn, CompetenceOut

# GET /api/users itself is the users blueprint's (server/auth/routes.py); these paths are not.
competences_blp = Blueprint(
    "competences",
    __name__,
    url_prefix="/api",
    description="Competence: training and qualification records (ISO 45001 7.2)",
)
_403 = HTTPStatus(403).name
_404 = HTTPStatus(404).name


@competences_blp.get("/users/<int:user_id>/competences")
@role_required()
@competences_blp.response(200, CompetenceOut(many=True))
@competences_blp.alt_response(403, response=_403)
@competences_blp.alt_response(404, response=_404)
def list_user_competences(user_id: int):
    """A person's records, newest first: my own, or anyone's for officers and admins."""
    return services.competence_views(services.competences_of(current_actor(), user_id))


@competences_blp.post("/users/<int:user_id>/competences")
@role_required(*services.RECORDING_ROLES)
@competences_blp.arguments(CompetenceIn)
@competences_blp.response(201, CompetenceOut, description="Recorded")
@competences_blp.alt_response(
    200, schema=CompetenceOut, description="Recorded before", success=True
)
@competences_blp.alt_response(404, response=_404)
def record_competence(body: dict, user_id: int):
    """Record a person's training or qualification (officers, admins)."""
    record, created = services.record_competence(current_actor(), user_id, body)
    return services.competence_views([record])[0], 201 if created else 200


@competences_blp.get("/competences")
@role_required(*services.RECORDING_ROLES)
@competences_blp.arguments(CompetenceFilterIn, location="query")
@competences_blp.response(200, CompetenceOut(many=True))
def list_competences(filters: dict):
    """The organization's records by expiry; due_within=DAYS: those to renew soon."""
    return services.competence_views(services.list_competences(current_actor(), **filters))
