"""What every register service stands on: names, who may open what, ratings, logging a change."""

import uuid

from sqlalchemy import Select, select

from server.auth.access import Actor
from server.events.models import Event
from server.events.services import record_event
from server.exceptions import NotFound
from server.extensions import db
from server.reports.models import risk_band
from server.risks.models import Risk

RISK_TYPE = "risk"
# Who keeps the register; everyone of a site may read its entries' controls.
DESK_ROLES = ("officer", "admin")


def risk_scope(actor: Actor, stmt: Select) -> Select:
    """Entries the actor may open: those of their sites (workers read them, the desk keeps them)."""
    return actor.scope(stmt, Risk)


def visible_risk(actor: Actor, risk_id: uuid.UUID) -> Risk:
    """One entry the actor may open, or NotFound."""
    found = db.session.scalar(risk_scope(actor, select(Risk)).where(Risk.id == risk_id))
    if found is None:
        raise NotFound(f"No risk with id {risk_id}.")
    return found


def rating(severity: int, likelihood: int) -> dict:
    """{severity, likelihood, score, band} on the 5 x 5 matrix the reports use."""
    score = severity * likelihood
    return {
        "severity": severity,
        "likelihood": likelihood,
        "score": score,
        "band": risk_band(score),
    }


def reference(risk: Risk) -> str:
    """The entry's reference as people say it: R-14 (O-14 for an opportunity)."""
    return f"{'O' if risk.kind == 'opportunity' else 'R'}-{risk.number}"


def touch(risk: Risk, actor_id: int | None, action: str, **data) -> Event:
    """Log a change of an entry and move it forward in the change feed."""
    event = record_event(risk.organization_id, actor_id, RISK_TYPE, risk.id, action, **data)
    risk.change_id = event.id
    risk.changed_at = event.created_at
    return event
