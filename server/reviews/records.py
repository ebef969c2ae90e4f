"""What every review service stands on: names, who may open what, locks, and logging a change.

Reviews and objectives are the desk's (officers and admins). An officer limited to some sites
opens the objectives of those sites and the reviews whose every site is theirs; a review of the
whole organization (no sites named) is for those who see every site.
"""

import uuid

from sqlalchemy import Select, false, select, update

from server.auth.access import OWN_RECORDS_ONLY, Actor
from server.events.models import Event
from server.events.services import record_event
from server.exceptions import NotFound
from server.extensions import db
from server.reviews.models import Objective, Review

# Names in the event log and the registry of record types.
REVIEW_TYPE, OBJECTIVE_TYPE = "review", "objective"
DESK_ROLES = ("officer", "admin")


def objective_scope(actor: Actor, stmt: Select) -> Select:
    """Objectives the actor may open: officers and admins those of their sites (the whole
    organization's too when they see every site); others none."""
    if actor.role in OWN_RECORDS_ONLY:
        return stmt.where(false())
    return actor.scope(stmt, Objective)


def covers(actor: Actor, site_ids: list[int]) -> bool:
    """True when every site of this scope (empty: the whole organization) is the actor's."""
    if actor.site_ids is None:
        return True
    return bool(site_ids) and set(site_ids) <= actor.site_ids


def review_scope(actor: Actor, stmt: Select) -> Select:
    """Reviews the actor may open: those of their organization whose every site is theirs."""
    if actor.role in OWN_RECORDS_ONLY:
        return stmt.where(false())
    stmt = stmt.where(Review.organization_id == actor.organization_id)
    if actor.site_ids is None:
        return stmt
    # Site lists are JSON: read the organization's few reviews' lists and keep those covered.
    rows = db.session.execute(
        select(Review.pk, Review.site_ids).where(Review.organization_id == actor.organization_id)
    )
    return stmt.where(Review.pk.in_([pk for pk, sites in rows if covers(actor, sites)]))


def visible_review(actor: Actor, review_id: uuid.UUID) -> Review:
    """One review the actor may open, or NotFound."""
    found = db.session.scalar(review_scope(actor, select(Review)).where(Review.id == review_id))
    if found is None:
        raise NotFound(f"No management review with id {review_id}.")
    return found


def visible_objective(actor: Actor, objective_id: uuid.UUID) -> Objective:
    """One objective the actor may open, or NotFound."""
    found = db.session.scalar(
        objective_scope(actor, select(Objective)).where(Objective.id == objective_id)
    )
    if found is None:
        raise NotFound(f"No objective with id {objective_id}.")
    return found


def locked_review(review_pk: int) -> Review:
    """The review read again after taking its write lock: every change of a review or of its
    outputs takes it first, so that holding it never interleaves with a new action (a row lock
    on PostgreSQL, the database's write lock on SQLite)."""
    db.session.execute(
        update(Review)
        .where(Review.pk == review_pk)
        .values(status=Review.status)
        .execution_options(synchronize_session=False)
    )
    return db.session.scalar(
        select(Review).where(Review.pk == review_pk).execution_options(populate_existing=True)
    )


def touch(record, record_type: str, actor_id: int | None, action: str, **data) -> Event:
    """Log a change of a review or an objective and move it forward in the change feed."""
    event = record_event(record.organization_id, actor_id, record_type, record.id, action, **data)
    record.change_id = event.id
    record.changed_at = event.created_at
    return event
