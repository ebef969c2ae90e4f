"""/api/users/{id}/competences and /api/competences: training and qualification records."""

from http import HTTPStatus

from flask_smorest import Blueprint

from server.auth.access import current_actor, role_required
from server.dbtypes import utcnow
from server.people import matrix, modules, services
from server.people.schemas import (
    CompetenceFilterIn,
    CompetenceIn,
    CompetenceOut,
    MatrixFilterIn,
    MatrixOut,
    ModuleIn,
    ModuleOut,
    QualifiedFilterIn,
    QualifiedOut,
)

# GET /api/users itself is the users blueprint's (server/auth/routes.py); these paths are not.
competences_blp = Blueprint(
    "competences",
    __name__,
    url_prefix="/api",
    description="Competence: training and qualification records (ISO 45001 7.2)",
)
_403 = HTTPStatus(403).name
_404 = HTTPStatus(404).name
_409 = HTTPStatus(409).name


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


@competences_blp.get("/competences/modules")
@role_required()
@competences_blp.response(200, ModuleOut(many=True))
def list_modules():
    """The modules records are kept in: the four every organization has, then its own."""
    return modules.modules_of(current_actor().organization_id)


@competences_blp.post("/competences/modules")
@role_required(*services.RECORDING_ROLES)
@competences_blp.arguments(ModuleIn)
@competences_blp.response(201, ModuleOut, description="Added")
@competences_blp.alt_response(409, response=_409)
def add_module(body: dict):
    """Add a module of the organization's own (officers, admins); 409 when it exists."""
    module = modules.add_module(current_actor(), body)
    return {"slug": module.slug, "label": module.label, "own": True}, 201


@competences_blp.get("/competences/matrix")
@role_required(*services.RECORDING_ROLES)
@competences_blp.arguments(MatrixFilterIn, location="query")
@competences_blp.response(200, MatrixOut)
def training_matrix(filters: dict):
    """People by modules, each cell the best record of that person and module, paged."""
    return matrix.matrix(current_actor(), filters)


@competences_blp.get("/competences/qualified")
@role_required(*services.RECORDING_ROLES)
@competences_blp.arguments(QualifiedFilterIn, location="query")
@competences_blp.response(200, QualifiedOut(many=True))
def qualified(filters: dict):
    """Active members holding a valid record of the module on the day (e.g. the auditors)."""
    on = filters.get("on") or utcnow().date()
    return services.qualified(current_actor(), filters["module"], on, filters.get("site_id"))
