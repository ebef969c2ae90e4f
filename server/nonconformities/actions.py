"""Actions of an NC: planning one, its owner reporting it done (online or offline), and the lists.
The lists and the done update serve a management review's actions too (server.reviews plans them).

A done update is saved whole or not at all: one naming a photo the server does not hold yet is
refused (PhotosMissing) and changes nothing; the phone keeps it in its outbox, sends the photo
and sends the same update again. So an update takes effect exactly once, in one transaction,
and an action is never done without its evidence. The same update again is a duplicate; a
different one for an action already done is a conflict.
"""

import uuid
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, false, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from server.auth.access import Actor
from server.auth.models import Membership, User
from server.dbtypes import utcnow
from server.exceptions import Conflict, InvalidInput, InvalidTransition
from server.extensions import db
from server.media.attachments import attach
from server.nonconformities import records
from server.nonconformities.models import (
    ACTION_DONE,
    ACTION_OPEN,
    ACTION_STATES,
    ACTIONS,
    ANALYSED,
    CANCELLED,
    CLOSED,
    NC_STATES,
    VERIFYING,
    Action,
    Nonconformity,
)
from server.nonconformities.records import ACTION_TYPE, touch, touch_nc
from server.orgs.zones import local_day
from server.records.identity import DUPLICATE, fingerprint, resend_status
from server.sites.services import sites_by_zone

UPDATED = "updated"
CORRECTION = "correction"


def find_action(organization_id: int, action_id: uuid.UUID) -> Action | None:
    """The organization's action with this client id."""
    return db.session.scalar(
        select(Action).where(Action.organization_id == organization_id, Action.id == action_id)
    )


def plan_action(actor: Actor, nc_id: uuid.UUID, data: dict) -> tuple[Action, bool]:
    """Plan an action of an NC (the body of POST .../actions); (the action, True when new).

    Idempotent on the client's id, like the NC itself. Commits.
    """
    digest = fingerprint(data)
    try:
        return _plan(actor, nc_id, data, digest)
    except IntegrityError:
        db.session.rollback()  # the same id saved by another request at this very moment
        return _plan(actor, nc_id, data, digest)


def _plan(actor: Actor, nc_id: uuid.UUID, data: dict, digest: str) -> tuple[Action, bool]:
    nc = records.locked_nc(records.visible_nc(actor, nc_id).pk)
    known = find_action(actor.organization_id, data["id"])
    if known is not None:
        if (
            known.nonconformity_pk == nc.pk
            and resend_status(known.content_hash, digest) == DUPLICATE
        ):
            return known, False
        raise Conflict(
            "An action with this id already exists with other content.",
            errors={"id": ["Taken by another action."]},
        )
    _check_may_plan(nc, data["kind"])
    _check_owner(nc, data["owner_id"])
    _check_due(nc, data["due_on"])
    action = _new_action(actor, nc, data, digest)
    before = nc.status
    if nc.status == VERIFYING or (data["kind"] != CORRECTION and nc.status == ANALYSED):
        NC_STATES.check(nc.status, ACTIONS)
        nc.status, nc.verify_after = ACTIONS, None
    touch_nc(
        nc,
        actor.user_id,
        "action_planned",
        action_id=str(action.id),
        kind=action.kind,
        control=action.control,
        previous=before,
    )
    db.session.commit()
    return action, True


def _new_action(actor: Actor, nc: Nonconformity, data: dict, digest: str) -> Action:
    """Add the NC's action and its 'created' event; no commit."""
    return new_action(actor, data, digest, site_id=nc.site_id, nonconformity_pk=nc.pk)


def new_action(actor: Actor, data: dict, digest: str, *, site_id: int, **origin) -> Action:
    """Add an open action of an NC or a review (origin: nonconformity_pk or review_pk, and any
    event data naming it) with its 'created' event; no commit."""
    now = utcnow()
    columns = {k: v for k, v in origin.items() if k in ("nonconformity_pk", "review_pk")}
    action = Action(
        id=data["id"],
        organization_id=actor.organization_id,
        site_id=site_id,
        **columns,
        title=" ".join(data["title"].split()),
        kind=data["kind"],
        control=data["control"],
        owner_id=data["owner_id"],
        due_on=data["due_on"],
        status=ACTION_OPEN,
        created_by_id=actor.user_id,
        created_at=now,
        changed_at=now,
        content_hash=digest,
    )
    db.session.add(action)
    db.session.flush()
    touch(
        action,
        ACTION_TYPE,
        actor.user_id,
        "created",
        kind=action.kind,
        control=action.control,
        owner_id=action.owner_id,
        due_on=action.due_on.isoformat(),
        **{k: v for k, v in origin.items() if k not in columns},
    )
    return action


def _check_may_plan(nc: Nonconformity, kind: str) -> None:
    """InvalidTransition when the NC takes no action of this kind now, saying why."""
    if nc.status in (CLOSED, CANCELLED):
        raise InvalidTransition(
            f"This nonconformity is {nc.status}: it takes no new actions.",
            errors={"status": [f"Not allowed when {nc.status}."]},
        )
    if kind != CORRECTION and nc.root_cause is None:
        raise InvalidTransition(
            "Record the root cause first (PATCH root_cause): only a correction may come before it.",
            errors={"kind": ["A corrective or preventive action needs the root cause first."]},
        )


def _check_owner(nc: Nonconformity, owner_id: int) -> None:
    """422 unless the owner is an active member of the NC's organization covering its site."""
    check_owner(nc.organization_id, nc.site_id, owner_id, "the NC's site")


def check_owner(organization_id: int, site_id: int, owner_id: int, where: str) -> None:
    """422 unless the owner is an active member of the organization covering the site."""
    membership = db.session.scalar(
        select(Membership)
        .join(User)
        .where(
            Membership.user_id == owner_id,
            Membership.organization_id == organization_id,
            Membership.active.is_(True),
            User.active.is_(True),
        )
    )
    if membership is None or (
        membership.sites and site_id not in {site.id for site in membership.sites}
    ):
        raise InvalidInput(
            f"The owner must be an active member of the organization who covers {where}.",
            errors={"owner_id": ["Not an active member covering this site."]},
        )


def _check_due(nc: Nonconformity, due_on) -> None:
    """422 for a due day already past at the NC's site."""
    if due_on < local_day(utcnow(), nc.site.time_zone):
        raise InvalidInput(errors={"due_on": ["Is in the past at this site."]})


def done_fingerprint(update: dict) -> str:
    """The identity of a done update: a resend has the same one, a different update another."""
    return fingerprint(
        {"notes": update["notes"], "photos": update["photos"], "done_at": update.get("done_at")}
    )


def complete_action(actor: Actor, action_id: uuid.UUID, update: dict) -> tuple[Action, str]:
    """Mark an action done with notes and photos; (the action, "updated" or "duplicate").

    The owner, or an officer of its site, may; when it was the NC's last open action the NC
    moves to verifying (a management review's action moves no NC). Commits.
    """
    visible = records.visible_action(actor, action_id)
    if visible.nonconformity_pk is None:
        nc = None
        records.lock_action(visible.pk)
    else:
        nc = records.locked_nc(visible.nonconformity_pk)
    action = db.session.scalar(
        select(Action).where(Action.pk == visible.pk).execution_options(populate_existing=True)
    )
    digest = done_fingerprint(update)
    if action.status == ACTION_DONE:
        if action.done_hash == digest:
            return action, DUPLICATE
        raise Conflict(
            f"This action was already reported done on {action.done_at.date().isoformat()}, "
            "with other notes or photos.",
            errors={"status": ["Already done."]},
        )
    if not ACTION_STATES.may_move(action.status, ACTION_DONE):
        raise InvalidTransition(
            "This action was cancelled with its nonconformity: it cannot be done.",
            errors={"status": [f"Not allowed when {action.status}."]},
        )
    rows = records.held_photo_rows(action.organization_id, update["photos"])
    _mark_done(actor, action, update, digest)
    attach(action.organization_id, ACTION_TYPE, {action.pk: rows})
    if nc is not None:
        _advance(actor, nc)
    db.session.commit()
    return action, UPDATED


def _mark_done(actor: Actor, action: Action, update: dict, digest: str) -> None:
    """Set the action done; its time is the one sent, kept between its planning and now."""
    now = utcnow()
    done_at = min(max(update.get("done_at") or now, action.created_at), now)
    action.status, action.notes = ACTION_DONE, update["notes"].strip()
    action.done_at, action.done_by_id, action.done_hash = done_at, actor.user_id, digest
    touch(
        action,
        ACTION_TYPE,
        actor.user_id,
        "done",
        notes=action.notes,
        photos=update["photos"],
        done_at=done_at.isoformat(),
    )
    db.session.flush()


def _advance(actor: Actor, nc: Nonconformity) -> None:
    """Move the NC to verifying once its every action is done (cancelled ones aside)."""
    if nc.status != ACTIONS:
        return
    actions = records.actions_of(nc.pk)
    if any(action.status == ACTION_OPEN for action in actions):
        return
    done = [action.done_at for action in actions if action.status == ACTION_DONE]
    NC_STATES.check(nc.status, VERIFYING)
    nc.status = VERIFYING
    nc.verify_after = max(done) + timedelta(days=records.verify_wait_days())
    touch_nc(nc, actor.user_id, "actions_done", verify_after=nc.verify_after.isoformat())


def late(actor: Actor, now: datetime) -> ColumnElement[bool]:
    """True for an open action past its due day, as the clock at its site reads it."""
    return and_(
        Action.status == ACTION_OPEN,
        or_(
            false(),
            *(
                and_(Action.site_id.in_(ids), Action.due_on < local_day(now, zone))
                for zone, ids in sites_by_zone(actor).items()
            ),
        ),
    )


def is_overdue(action: Action, now: datetime) -> bool:
    """The same as late(), for one action in hand."""
    return action.status == ACTION_OPEN and action.due_on < local_day(now, action.site.time_zone)


def list_actions(actor: Actor, limit: int = 100, cursor: str | None = None, **filters):
    """A page of the actions the actor may see, overdue first, then by due day; and the
    cursor of the next page."""
    is_late = late(actor, utcnow())
    stmt = _filtered(actor, actor.scope(select(Action), Action), is_late, **filters)
    offset = int(cursor or 0)
    rows = db.session.scalars(
        stmt.options(*ACTION_LOADS)
        .order_by(case((is_late, 0), else_=1), Action.due_on, Action.pk)
        .offset(offset)
        .limit(limit + 1)
    ).all()
    return rows[:limit], str(offset + limit) if len(rows) > limit else None


ACTION_LOADS = (
    selectinload(Action.nonconformity),
    selectinload(Action.review),
    selectinload(Action.owner),
    selectinload(Action.site),
    selectinload(Action.done_by),
)


def _filtered(
    actor: Actor,
    stmt,
    is_late,
    owner=None,
    status=None,
    site_id=None,
    nonconformity_id=None,
    overdue=None,
):
    """stmt narrowed by the list's filters (is_late: the condition of an overdue action)."""
    if owner is not None:
        stmt = stmt.where(Action.owner_id == (actor.user_id if owner == "me" else int(owner)))
    for column, value in ((Action.status, status), (Action.site_id, site_id)):
        if value is not None:
            stmt = stmt.where(column == value)
    if nonconformity_id is not None:
        stmt = stmt.join(Nonconformity).where(Nonconformity.id == nonconformity_id)
    if overdue is not None:
        stmt = stmt.where(is_late if overdue else ~is_late)
    return stmt


def action_changes(actor: Actor, since: int, limit: int) -> list[dict]:
    """The change feed's actions: the actor's own, changed after since, in order."""
    changed = db.session.scalars(
        actor.scope(select(Action), Action)
        .where(Action.owner_id == actor.user_id, Action.change_id > since)
        .options(selectinload(Action.nonconformity), selectinload(Action.review))
        .order_by(Action.change_id)
        .limit(limit)
    ).all()
    return [_change(action) for action in changed]


def _change(action: Action) -> dict:
    """An action as the feed gives it; one of a management review names the review."""
    entry = {
        **{
            name: getattr(action, name)
            for name in (
                "id",
                "change_id",
                "changed_at",
                "status",
                "title",
                "kind",
                "control",
                "due_on",
                "site_id",
                "notes",
                "done_at",
            )
        },
        "nonconformity": action.nonconformity,
    }
    if action.review is not None:
        entry["review"] = action.review
    return entry
