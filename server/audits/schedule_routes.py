"""/api/audit-schedules: the audit programme (officers and admins)."""

import uuid
from http import HTTPStatus

from flask_smorest import Blueprint

from server.audits import programme
from server.audits.records import DESK_ROLES
from server.audits.schedule_schemas import (
    ScheduleFilterIn,
    ScheduleIn,
    ScheduleOut,
    SchedulePatchIn,
)
from server.auth.access import current_actor, role_required

schedules_blp = Blueprint(
    "audit_schedules",
    __name__,
    url_prefix="/api/audit-schedules",
    description="The audit programme: templates audited at sites on a recurrence",
)
_404 = HTTPStatus(404).name
_409 = HTTPStatus(409).name


@schedules_blp.get("")
@role_required(*DESK_ROLES)
@schedules_blp.arguments(ScheduleFilterIn, location="query")
@schedules_blp.response(200, ScheduleOut(many=True))
def list_schedules(filters: dict):
    """The programme of my sites: active schedules first, by their first day."""
    schedules = programme.list_schedules(current_actor(), filters.get("site_id"))
    return [programme.schedule_view(schedule) for schedule in schedules]


@schedules_blp.post("")
@role_required(*DESK_ROLES)
@schedules_blp.arguments(ScheduleIn)
@schedules_blp.response(201, ScheduleOut, description="Added; its first audits are planned")
@schedules_blp.alt_response(200, schema=ScheduleOut, description="Added before", success=True)
@schedules_blp.alt_response(409, response=_409)
def create_schedule(body: dict):
    """Add a schedule; 422 when the auditor holds no valid internal_audit competence on
    starts_on or is the auditee. The same id and content again gives it back; other content
    is 409."""
    schedule, created = programme.create_schedule(current_actor(), body)
    return programme.schedule_view(schedule), 201 if created else 200


@schedules_blp.get("/<uuid:schedule_id>")
@role_required(*DESK_ROLES)
@schedules_blp.response(200, ScheduleOut)
@schedules_blp.alt_response(404, response=_404)
def get_schedule(schedule_id: uuid.UUID):
    """One schedule."""
    return programme.schedule_view(programme.visible_schedule(current_actor(), schedule_id))


@schedules_blp.patch("/<uuid:schedule_id>")
@role_required(*DESK_ROLES)
@schedules_blp.arguments(SchedulePatchIn)
@schedules_blp.response(200, ScheduleOut)
@schedules_blp.alt_response(404, response=_404)
@schedules_blp.alt_response(409, response=_409)
def update_schedule(body: dict, schedule_id: uuid.UUID):
    """Deactivate a schedule (active: false) or hand it to another auditor (auditor_id)."""
    actor = current_actor()
    return programme.schedule_view(programme.update_schedule(actor, schedule_id, body))
