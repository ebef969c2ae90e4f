"""Competence records as the ground knows them: their name, and who may open which."""

from sqlalchemy import Select

from server.auth.access import Actor
from server.people.models import Competence

# The name of competence records in the event log, attachments and notifications.
COMPETENCE_TYPE = "competence"
# Who records competences and reads everyone's: a person reads their own.
RECORDING_ROLES = ("officer", "admin")


def competence_scope(actor: Actor, stmt: Select) -> Select:
    """Records the actor may open: their own, or any of their organization's for officers and
    admins (a competence belongs to a person, not to a site)."""
    stmt = stmt.where(Competence.organization_id == actor.organization_id)
    if actor.role in RECORDING_ROLES:
        return stmt
    return stmt.where(Competence.user_id == actor.user_id)
