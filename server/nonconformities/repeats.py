"""Repeat detection (ISO 45001 10.2 b): has a similar nonconformity happened in the last year?

An earlier NC repeats when it was at the same site under the same clause, or in the same triage
category with similar wording. Wording is compared by the words both say, whatever language they
are written in (server.language.overlap: the same stems, stop words left out).
"""

from datetime import datetime, timedelta

from sqlalchemy import and_, false, or_, select

from server.extensions import db
from server.language.overlap import meaningful_words, word_similarity
from server.nonconformities.models import CANCELLED, Nonconformity
from server.triage.rules import CATEGORY_LABELS
from server.triage.vocabulary import UNCATEGORISED

REPEAT_WINDOW = timedelta(days=365)
# Wording at least this alike (word_similarity, 0-1) in the same category is a repeat.
SIMILAR_WORDING = 0.5
# The newest earlier NCs compared, at most.
CANDIDATES = 200


def nc_words(title: str, description: str) -> dict[str, str]:
    """The meaningful words of an NC's title and description."""
    return meaningful_words(f"{title}. {description}")


def find_repeat(nc: Nonconformity, now: datetime) -> tuple[int | None, str | None]:
    """The pk of the earlier NC this one repeats, and why; (None, None) when none does."""
    same_place = (
        and_(Nonconformity.site_id == nc.site_id, Nonconformity.clause == nc.clause)
        if nc.clause
        else false()
    )
    comparable = nc.category and nc.category != UNCATEGORISED
    same_kind = Nonconformity.category == nc.category if comparable else false()
    candidates = db.session.scalars(
        select(Nonconformity)
        .where(
            Nonconformity.organization_id == nc.organization_id,
            Nonconformity.created_at >= now - REPEAT_WINDOW,
            Nonconformity.status != CANCELLED,
            Nonconformity.pk != nc.pk,
            or_(same_place, same_kind),
        )
        .order_by(Nonconformity.created_at.desc(), Nonconformity.pk.desc())
        .limit(CANDIDATES)
    ).all()
    for earlier in candidates:
        if nc.clause and earlier.site_id == nc.site_id and earlier.clause == nc.clause:
            return earlier.pk, f"Same site and clause ({nc.clause}) within 12 months."
    return _similar_wording(nc, [c for c in candidates if comparable and c.category == nc.category])


def _similar_wording(nc: Nonconformity, candidates: list) -> tuple[int | None, str | None]:
    """The most alike of candidates, if alike enough, and the reason."""
    words = nc_words(nc.title, nc.description)
    best, best_score = None, 0.0
    for earlier in candidates:
        score = word_similarity(words, nc_words(earlier.title, earlier.description))
        if score > best_score:
            best, best_score = earlier, score
    if best is None or best_score < SIMILAR_WORDING:
        return None, None
    theirs = nc_words(best.title, best.description)
    shared = ", ".join(sorted(words[key] for key in words.keys() & theirs.keys())[:8])
    label = CATEGORY_LABELS.get(nc.category, nc.category)
    return best.pk, (
        f"Same category ({label}) and similar wording ({best_score:.0%} alike: {shared}) "
        "within 12 months."
    )
