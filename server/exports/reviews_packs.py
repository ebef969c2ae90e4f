"""The management reviews held in a period, and their packs as PDF, for the evidence bundle."""

import uuid
from collections.abc import Iterator

from sqlalchemy import select

from server.exceptions import NotFound
from server.exports.scope import ExportScope
from server.extensions import db

try:  # management reviews and their packs
    from server.reviews.models import Review
    from server.reviews.pack import pack_pdf
    from server.reviews.reading import review_view
except ImportError:  # not in this version
    Review = None


def held_reviews(scope: ExportScope) -> list[uuid.UUID]:
    """The ids of the reviews held in the period that concern a site in scope (a review of
    every site concerns them all), in the order held."""
    if Review is None:
        return []
    rows = db.session.execute(
        select(Review.id, Review.site_ids)
        .where(
            Review.organization_id == scope.organization_id,
            Review.status == "held",
            Review.held_on >= scope.start,
            Review.held_on <= scope.end,
        )
        .order_by(Review.held_on, Review.pk)
    )
    in_scope = set(scope.site_ids)
    return [review_id for review_id, sites in rows if not sites or in_scope.intersection(sites)]


def packs(scope: ExportScope, review_ids: list[uuid.UUID]) -> Iterator[tuple[uuid.UUID, bytes]]:
    """Each review's pack as PDF, one at a time (those the actor may not open left out)."""
    for review_id in review_ids:
        try:
            view = review_view(scope.actor, review_id)
        except NotFound:
            continue
        yield review_id, pack_pdf(view)
