"""Management reviews: opening one for a period and sites, recording leadership's outputs
(attendees, decisions, notes and actions that become tracked actions), and holding it, which
freezes its inputs as leadership saw them."""

import uuid
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.auth.access import Actor
from server.dbtypes import utcnow
from server.exceptions import Conflict, InvalidInput, InvalidTransition
from server.extensions import db
from server.nonconformities.actions import check_owner, find_action, new_action
from server.nonconformities.models import Action
from server.orgs.models import Site
from server.orgs.zones import local_day
from server.records.identity import DUPLICATE, fingerprint, resend_status
from server.reviews.inputs import review_inputs
from server.reviews.models import DRAFT, HELD, REVIEW_STATES, Review
from server.reviews.periods import MAX_DAYS, Period
from server.reviews.records import (
    REVIEW_TYPE,
    covers,
    locked_review,
    touch,
    visible_review,
)

OUTPUTS = ("title", "attendees", "decisions", "notes")
# What a review's action is when the body does not say: leadership's actions improve the system.
DEFAULT_KIND, DEFAULT_CONTROL = "preventive", "administrative"
QUARTER_MONTHS = {1: 1, 4: 2, 7: 3, 10: 4}


def default_title(period: Period) -> str:
    """Management review 2026 Q3 (a quarter), 2026 (a year), July 2026 (a month), or its days."""
    months, start = period.whole_months(), period.start
    if months == 3 and start.month in QUARTER_MONTHS:
        return f"Management review {start.year} Q{QUARTER_MONTHS[start.month]}"
    if months == 12 and start.month == 1:
        return f"Management review {start.year}"
    if months == 1:
        return f"Management review {start:%B %Y}"
    return f"Management review {period.start.isoformat()} to {period.end.isoformat()}"


def create_review(actor: Actor, data: dict) -> tuple[Review, bool]:
    """Open a review (POST /api/reviews); (it, True when new). Idempotent on the client's id:
    the same body again gives it back, another body is a conflict. Commits."""
    digest = fingerprint(data)
    known = _known(actor, data["id"])
    if known is not None:
        if resend_status(known.content_hash, digest) == DUPLICATE:
            return known, False
        raise Conflict(
            "A management review with this id already exists with other content.",
            errors={"id": ["Taken by another review."]},
        )
    period = _period(data["period_start"], data["period_end"])
    site_ids = _site_ids(actor, data.get("site_ids") or [])
    now = utcnow()
    review = Review(
        id=data["id"],
        organization_id=actor.organization_id,
        title=" ".join((data.get("title") or default_title(period)).split()),
        period_start=period.start,
        period_end=period.end,
        site_ids=site_ids,
        status=DRAFT,
        attendees=[],
        decisions=[],
        created_by_id=actor.user_id,
        created_at=now,
        changed_at=now,
        content_hash=digest,
    )
    db.session.add(review)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()  # the same id saved by another request at this very moment
        return create_review(actor, data)
    touch(review, REVIEW_TYPE, actor.user_id, "created", **_head(review))
    db.session.commit()
    return review, True


def _known(actor: Actor, review_id: uuid.UUID) -> Review | None:
    return db.session.scalar(
        select(Review).where(
            Review.organization_id == actor.organization_id, Review.id == review_id
        )
    )


def _head(review: Review) -> dict:
    return {
        "title": review.title,
        "period_start": review.period_start.isoformat(),
        "period_end": review.period_end.isoformat(),
        "site_ids": review.site_ids,
    }


def _period(start: date, end: date) -> Period:
    """The review's days; 422 for an end before the start or a period over two years."""
    if end < start:
        raise InvalidInput(errors={"period_end": ["Is before period_start."]})
    period = Period(start, end)
    if period.days > MAX_DAYS:
        raise InvalidInput(errors={"period_end": [f"A review covers at most {MAX_DAYS} days."]})
    return period


def _site_ids(actor: Actor, wanted: list[int]) -> list[int]:
    """The review's sites, ascending: sites of the organization that are the actor's (none
    named: every site, or an officer limited to some sites: theirs)."""
    if not wanted:
        return sorted(actor.site_ids) if actor.site_ids is not None else []
    known = set(
        db.session.scalars(
            select(Site.id).where(
                Site.organization_id == actor.organization_id, Site.id.in_(wanted)
            )
        )
    )
    refused = [
        site_id for site_id in wanted if site_id not in known or not covers(actor, [site_id])
    ]
    if refused:
        raise InvalidInput(
            errors={"site_ids": [f"Not one of your sites: {site_id}." for site_id in refused]}
        )
    return sorted(wanted)


def update_review(actor: Actor, review_id: uuid.UUID, changes: dict) -> Review:
    """Record the outputs of a draft review: title, attendees, decisions, notes. Commits."""
    review = locked_review(visible_review(actor, review_id).pk)
    _check_draft(review)
    changed = {
        name: changes[name]
        for name in OUTPUTS
        if name in changes and changes[name] != getattr(review, name)
    }
    for name, value in changed.items():
        setattr(review, name, value)
    if changed:
        touch(review, REVIEW_TYPE, actor.user_id, "changed", **changed)
    db.session.commit()
    return review


def _check_draft(review: Review) -> None:
    """409 for a held review: what leadership decided stays as recorded."""
    if review.status != DRAFT:
        raise InvalidTransition(
            f"This review was held on {review.held_on.isoformat()}: its outputs are closed.",
            errors={"status": ["Not allowed when held."]},
        )


def add_action(actor: Actor, review_id: uuid.UUID, data: dict) -> tuple[Action, bool]:
    """An action leadership decided (POST /api/reviews/{id}/actions), tracked like an NC's: its
    owner sees it in My actions and is reminded of it. (It, True when new); idempotent on the
    client's id. Commits."""
    digest = fingerprint(data)
    try:
        return _add_action(actor, review_id, data, digest)
    except IntegrityError:
        db.session.rollback()  # the same id saved by another request at this very moment
        return _add_action(actor, review_id, data, digest)


def _add_action(actor: Actor, review_id: uuid.UUID, data: dict, digest: str):
    review = locked_review(visible_review(actor, review_id).pk)
    known = find_action(actor.organization_id, data["id"])
    if known is not None:
        if known.review_pk == review.pk and resend_status(known.content_hash, digest) == DUPLICATE:
            return known, False
        raise Conflict(
            "An action with this id already exists with other content.",
            errors={"id": ["Taken by another action."]},
        )
    _check_draft(review)
    site = _action_site(review, data["site_id"])
    check_owner(review.organization_id, site.id, data["owner_id"], "the action's site")
    if data["due_on"] < local_day(utcnow(), site.time_zone):
        raise InvalidInput(errors={"due_on": ["Is in the past at this site."]})
    action = _new_action(actor, review, site, data, digest)
    touch(review, REVIEW_TYPE, actor.user_id, "action_added", action_id=str(action.id))
    db.session.commit()
    return action, True


def _action_site(review: Review, site_id: int) -> Site:
    """The action's site: one of the review's (any of the organization's for a review of all)."""
    site = db.session.get(Site, site_id)
    if (
        site is None
        or site.organization_id != review.organization_id
        or (review.site_ids and site_id not in review.site_ids)
    ):
        raise InvalidInput(errors={"site_id": ["Not a site of this review."]})
    return site


def _new_action(actor: Actor, review: Review, site: Site, data: dict, digest: str) -> Action:
    """Add the action with its 'created' event; no commit."""
    data = {
        **data,
        "kind": data.get("kind") or DEFAULT_KIND,
        "control": data.get("control") or DEFAULT_CONTROL,
    }
    return new_action(
        actor, data, digest, site_id=site.id, review_pk=review.pk, review_id=str(review.id)
    )


def hold_review(actor: Actor, review_id: uuid.UUID, held_on: date) -> Review:
    """Record that the review was held: its inputs are frozen as they stand now (what
    leadership saw). 409 without attendees or decisions; holding it again on the same day gives
    it back. Commits."""
    review = locked_review(visible_review(actor, review_id).pk)
    if review.status == HELD:
        if review.held_on == held_on:
            db.session.rollback()
            return review
        raise Conflict(
            f"This review was held on {review.held_on.isoformat()}.",
            errors={"held_on": [f"Held on {review.held_on.isoformat()} already."]},
        )
    _check_held_on(review, held_on)
    missing = {
        name: ["Record them before holding the review."]
        for name in ("attendees", "decisions")
        if not getattr(review, name)
    }
    if missing:
        raise InvalidTransition(
            "A review is held with its attendees and decisions recorded.", errors=missing
        )
    REVIEW_STATES.check(review.status, HELD)
    review.inputs = review_inputs(
        review.organization_id, review.site_ids, review.period_start, review.period_end
    )
    review.status, review.held_on = HELD, held_on
    review.held_by_id, review.held_at = actor.user_id, utcnow()
    touch(review, REVIEW_TYPE, actor.user_id, "held", held_on=held_on.isoformat())
    db.session.commit()
    return review


def _check_held_on(review: Review, held_on: date) -> None:
    """422 for a day before the period began or after today."""
    if held_on < review.period_start:
        raise InvalidInput(errors={"held_on": ["Is before the review's period began."]})
    # A day's grace: somewhere it is already tomorrow.
    if held_on > utcnow().date() + timedelta(days=1):
        raise InvalidInput(errors={"held_on": ["Is in the future."]})
