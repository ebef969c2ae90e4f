"""What every NC service stands on: names, who may open what, locks, and logging a change."""

import uuid

from flask import current_app
from sqlalchemy import Select, false, select, update

from server.auth.access import OWN_RECORDS_ONLY, Actor
from server.events.models import Event
from server.events.services import record_event
from server.exceptions import InvalidInput, NotFound
from server.extensions import db
from server.media.attachments import held_photos
from server.media.models import Photo
from server.nonconformities.models import Action, Nonconformity
from server.reports.models import Report

# Names in the event log, attachments and the change feed. The effectiveness check's photos are
# attachments of their own record type, so that they are told apart from the NC's own photos.
NC_TYPE, ACTION_TYPE, CHECK_TYPE = "nonconformity", "action", "nonconformity_check"
DEFAULT_VERIFY_WAIT_DAYS = 30


class PhotosMissing(InvalidInput):
    """Some photos named are not uploaded yet: send them, then send this again."""

    def __init__(self, missing: list[str]):
        super().__init__(
            f"{len(missing)} photo(s) not uploaded yet: send them (PUT /api/photos/{{sha256}}) "
            "and then this again.",
            errors={"photos": [f"Not uploaded yet: {sha256}" for sha256 in missing]},
        )
        self.missing = missing


def nc_scope(actor: Actor, stmt: Select) -> Select:
    """NCs the actor may open: officers and admins those of their sites; others none."""
    if actor.role in OWN_RECORDS_ONLY:
        return stmt.where(false())
    return actor.scope(stmt, Nonconformity)


def visible_nc(actor: Actor, nc_id: uuid.UUID) -> Nonconformity:
    """One NC the actor may open, or NotFound."""
    found = db.session.scalar(
        nc_scope(actor, select(Nonconformity)).where(Nonconformity.id == nc_id)
    )
    if found is None:
        raise NotFound(f"No nonconformity with id {nc_id}.")
    return found


def visible_action(actor: Actor, action_id: uuid.UUID) -> Action:
    """One action the actor may open (its owner, or an officer of its site), or NotFound."""
    found = db.session.scalar(actor.scope(select(Action), Action).where(Action.id == action_id))
    if found is None:
        raise NotFound(f"No action with id {action_id}.")
    return found


def locked_nc(nc_pk: int) -> Nonconformity:
    """The NC read again after taking its write lock: every change of an NC or its actions
    takes it first, so that two changes never interleave (a row lock on PostgreSQL, the
    database's write lock on SQLite)."""
    db.session.execute(
        update(Nonconformity)
        .where(Nonconformity.pk == nc_pk)
        .values(status=Nonconformity.status)
        .execution_options(synchronize_session=False)
    )
    return db.session.scalar(
        select(Nonconformity)
        .where(Nonconformity.pk == nc_pk)
        .execution_options(populate_existing=True)
    )


def lock_action(action_pk: int) -> None:
    """Take the write lock of an action that no NC holds (a management review's): two done
    updates of it never interleave."""
    db.session.execute(
        update(Action)
        .where(Action.pk == action_pk)
        .values(status=Action.status)
        .execution_options(synchronize_session=False)
    )


def actions_of(nc_pk: int) -> list[Action]:
    """The NC's actions as committed now, in the order planned."""
    return list(
        db.session.scalars(
            select(Action)
            .where(Action.nonconformity_pk == nc_pk)
            .order_by(Action.pk)
            .execution_options(populate_existing=True)
        )
    )


def touch(record, record_type: str, actor_id: int | None, action: str, **data) -> Event:
    """Log a change of an NC or an action and move it forward in the change feed."""
    event = record_event(record.organization_id, actor_id, record_type, record.id, action, **data)
    record.change_id = event.id
    record.changed_at = event.created_at
    return event


def touch_nc(nc: Nonconformity, actor_id: int | None, action: str, **data) -> Event:
    """touch() for an NC; its report moves forward in the feed too (its NC section changed)."""
    event = touch(nc, NC_TYPE, actor_id, action, status=nc.status, **data)
    if nc.report_pk is not None:
        db.session.execute(
            update(Report)
            .where(Report.pk == nc.report_pk)
            .values(change_id=event.id, changed_at=event.created_at)
            .execution_options(synchronize_session=False)
        )
    return event


def held_photo_rows(organization_id: int, hashes: list[str]) -> list[dict]:
    """The attachment values of these photos, in order; PhotosMissing unless all are held."""
    missing = [h for h in hashes if h not in held_photos(organization_id, hashes)]
    if missing:
        raise PhotosMissing(missing)
    rows = db.session.execute(
        select(Photo.sha256, Photo.content_type, Photo.width, Photo.height).where(
            Photo.organization_id == organization_id, Photo.sha256.in_(hashes)
        )
    )
    found = {row.sha256: row._asdict() for row in rows}
    return [found[sha256] for sha256 in hashes]


def verify_wait_days() -> int:
    """VERIFY_WAIT_DAYS: days after the last action is done before the effectiveness check."""
    return max(0, int(current_app.config.get("VERIFY_WAIT_DAYS", DEFAULT_VERIFY_WAIT_DAYS)))
