"""Reading reviews back: the list, and one review whole (GET /api/reviews/{id}) in the shape of
/work/notes/reviews.md, in plain JSON values (the review pack draws the same dict)."""

import uuid

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from server.auth.access import Actor
from server.extensions import db
from server.nonconformities.models import Action
from server.orgs.models import Organization
from server.reviews.inputs import action_entry, previous_review, review_inputs
from server.reviews.models import HELD, Review
from server.reviews.periods import Period, scope_of
from server.reviews.records import review_scope, visible_review


def _day(value) -> str | None:
    return value.isoformat() if value is not None else None


def _person(user) -> dict | None:
    return {"id": user.id, "name": user.name} if user is not None else None


def summary(review: Review, names: dict[int, str] | None = None) -> dict:
    """What the list shows of a review."""
    if names is None:
        names = scope_of(review.organization_id, review.site_ids).names
    return {
        "id": str(review.id),
        "title": review.title,
        "status": review.status,
        "period_start": _day(review.period_start),
        "period_end": _day(review.period_end),
        "comparison": Period(review.period_start, review.period_end).previous().as_dict(),
        "site_ids": list(review.site_ids),
        "sites": [
            {"id": site_id, "name": names[site_id]}
            for site_id in (review.site_ids or sorted(names))
            if site_id in names
        ],
        "held_on": _day(review.held_on),
        "created_at": review.created_at.isoformat(),
        "changed_at": review.changed_at.isoformat(),
    }


def list_reviews(actor: Actor) -> list[dict]:
    """The reviews the actor may open, newest period first."""
    reviews = db.session.scalars(
        review_scope(actor, select(Review)).order_by(
            Review.period_end.desc(), Review.period_start.desc(), Review.pk.desc()
        )
    ).all()
    names = scope_of(actor.organization_id).names
    return [summary(review, names) for review in reviews]


def review_view(actor: Actor, review_id: uuid.UUID) -> dict:
    """One review whole: its inputs (live while a draft, as frozen once held) and outputs."""
    return view_of(visible_review(actor, review_id))


def view_of(review: Review) -> dict:
    """The whole GET /api/reviews/{id} body of a review."""
    scope = scope_of(review.organization_id, review.site_ids)
    earlier = previous_review(review.organization_id, review.period_end)
    inputs = review.inputs
    if review.status != HELD or inputs is None:
        inputs = review_inputs(
            review.organization_id, review.site_ids, review.period_start, review.period_end
        )
    organization = db.session.get(Organization, review.organization_id)
    return {
        **summary(review, scope.names),
        "organization": {"id": organization.id, "name": organization.name},
        "previous_review": {
            "id": str(earlier.id),
            "title": earlier.title,
            "held_on": _day(earlier.held_on),
        }
        if earlier is not None
        else None,
        "inputs": inputs,
        "outputs": {
            "attendees": list(review.attendees),
            "decisions": list(review.decisions),
            "notes": review.notes,
            "actions": output_actions(review),
        },
        "held_by": _person(review.held_by),
        "created_by": _person(review.created_by),
    }


def output_actions(review: Review) -> list[dict]:
    """The actions the review decided, in the order planned, as they stand now."""
    actions = db.session.scalars(
        select(Action)
        .where(Action.review_pk == review.pk)
        .options(selectinload(Action.owner), selectinload(Action.site))
        .order_by(Action.pk)
    ).all()
    return [
        action_entry(action) | {"kind": action.kind, "control": action.control}
        for action in actions
    ]
