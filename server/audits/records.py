"""What every audit service stands on: names, who may open what, and logging a change."""

import uuid

from sqlalchemy import Select, select

from server.audits.models import Audit, AuditResponse
from server.auth.access import Actor
from server.events.models import Event
from server.events.services import record_event
from server.exceptions import NotFound
from server.extensions import db

# Names in the event log, attachments and the change feed.
TEMPLATE_TYPE, SCHEDULE_TYPE, AUDIT_TYPE, RESPONSE_TYPE = (
    "audit_template",
    "audit_schedule",
    "audit",
    "audit_response",
)
# Who runs the desk side of audits: templates, the programme, every audit of their sites.
DESK_ROLES = ("officer", "admin")


def audit_scope(actor: Actor, stmt: Select) -> Select:
    """Audits the actor may open: auditors their own (Audit.__owner_column__), officers and
    admins those of their sites; workers none."""
    if actor.role == "worker":
        return stmt.where(Audit.pk.is_(None))
    return actor.scope(stmt, Audit)


def visible_audit(actor: Actor, audit_id: uuid.UUID) -> Audit:
    """One audit the actor may open, or NotFound."""
    found = db.session.scalar(audit_scope(actor, select(Audit)).where(Audit.id == audit_id))
    if found is None:
        raise NotFound(f"No audit with id {audit_id}.")
    return found


def touch(record, record_type: str, actor_id: int | None, action: str, **data) -> Event:
    """Log a change of a template, schedule or audit and move it forward in the change feed."""
    event = record_event(record.organization_id, actor_id, record_type, record.id, action, **data)
    record.change_id = event.id
    record.changed_at = event.created_at
    return event


def questions_of(sections: list) -> dict[str, tuple[dict, dict]]:
    """A template version's questions by id (as text): (its section, the question)."""
    return {
        str(question["id"]): (section, question)
        for section in sections
        for question in section["questions"]
    }


def response_scope(actor: Actor, stmt: Select) -> Select:
    """Responses (and so their photos) the actor may open: those of audits they may open."""
    return stmt.where(AuditResponse.audit_pk.in_(audit_scope(actor, select(Audit.pk))))
