"""The competence rule: whether someone holds a valid record of a module on a day."""

from datetime import date

from sqlalchemy import or_, select

from server.extensions import db
from server.people.models import Competence


def holds_competence(organization_id: int, user_id: int, module: str, on: date) -> bool:
    """True when the person has a record of module completed by `on` and not expired on it."""
    found = db.session.scalar(
        select(Competence.id)
        .where(
            Competence.organization_id == organization_id,
            Competence.user_id == user_id,
            Competence.module == module,
            Competence.completed_on <= on,
            or_(Competence.expires_on.is_(None), Competence.expires_on >= on),
        )
        .limit(1)
    )
    return found is not None
