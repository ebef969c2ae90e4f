"""Finding and recording possible duplicates of a report (same site, days, meaning), and deciding.

A confirmed pair is merged at the desk: the earlier report stands for both in the queue.
"""

import logging
import uuid
from collections import defaultdict

import numpy as np
from PIL import Image, UnidentifiedImageError
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from server.auth.access import Actor
from server.dbtypes import utcnow
from server.exceptions import NotFound
from server.extensions import db
from server.language.meaning import from_bytes
from server.media.attachments import attached_hashes
from server.media.models import Photo
from server.media.services import open_variant
from server.reports.models import Report
from server.reports.services import RECORD_TYPE, touch_report, visible_report
from server.triage.models import DuplicateCandidate, Triage
from server.triage.similarity import (
    LINK_SCORE,
    VERDICT_LABELS,
    WINDOW,
    compare,
    dhash,
    profile,
    verdict_of,
)
from server.triage.upsert import insert_for

log = logging.getLogger(__name__)

# At most this many reports of the window are compared: the newest ones.
MAX_CANDIDATES = 200


def find_duplicates(report: Report, vector: np.ndarray) -> list[tuple[int, float, list[str]]]:
    """(other report pk, score, reasons) for each report that looks like this one, best first."""
    others = db.session.execute(
        select(
            Report.pk,
            Report.observed_at,
            Report.latitude,
            Report.longitude,
            Report.accuracy_m,
            Report.description,
            Triage.embedding,
        )
        .outerjoin(Triage, Triage.report_pk == Report.pk)
        .where(
            Report.site_id == report.site_id,
            Report.observed_at >= report.observed_at - WINDOW,
            Report.observed_at <= report.observed_at + WINDOW,
            Report.pk != report.pk,
        )
        .order_by(Report.observed_at.desc())
        .limit(MAX_CANDIDATES)
    ).all()
    own = [p.sha256 for p in report.photos]
    theirs = _photos_of([other.pk for other in others])
    hashes = photo_hashes(
        report.organization_id, own, [s for shas in theirs.values() for s in shas]
    )
    mine = profile(report, vector, own, hashes)
    found = []
    for other in others:
        # A report not triaged yet has no meaning to compare: its own triage compares it.
        meaning = from_bytes(other.embedding) if other.embedding else None
        likeness = compare(mine, profile(other, meaning, theirs.get(other.pk, []), hashes))
        if likeness.score >= LINK_SCORE:
            found.append((other.pk, likeness.score, likeness.reasons))
    return sorted(found, key=lambda item: -item[1])


def _photos_of(report_pks: list[int]) -> dict[int, list[str]]:
    """The photo hashes each report names."""
    return defaultdict(list, attached_hashes(RECORD_TYPE, report_pks))


def photo_hashes(organization_id: int, own: list[str], others: list[str]) -> dict[str, str | None]:
    """The difference hash of each photo held; own photos without one get it made and cached.

    Other reports' photos are hashed by their own triage (it runs again when photos arrive).
    """
    wanted = set(own) | set(others)
    if not wanted:
        return {}
    photos = db.session.scalars(
        select(Photo)
        .where(Photo.organization_id == organization_id, Photo.sha256.in_(wanted))
        .order_by(Photo.sha256)
    ).all()
    for photo in photos:
        if photo.phash is None and photo.sha256 in own:
            photo.phash = thumbnail_hash(photo.sha256)
    return {photo.sha256: photo.phash for photo in photos}


def thumbnail_hash(sha256: str) -> str | None:
    """The difference hash of a stored photo's thumbnail; None when it cannot be read."""
    try:
        file, _mimetype = open_variant(sha256, "thumb")
    except NotFound:
        return None
    try:
        with file, Image.open(file) as image:
            return dhash(image)
    except (OSError, UnidentifiedImageError):
        log.warning("Could not hash the thumbnail of photo %s", sha256, exc_info=True)
        return None


def record_duplicates(report_pk: int, found: list[tuple[int, float, list[str]]]) -> None:
    """Add or refresh the pairs; an officer's confirmed or dismissed status is never changed."""
    if not found:
        return
    now = utcnow()
    rows = sorted(
        (
            {
                "report_pk": min(report_pk, other_pk),
                "other_report_pk": max(report_pk, other_pk),
                "score": score,
                "reasons": reasons,
                "status": "suggested",
                "created_at": now,
                "updated_at": now,
            }
            for other_pk, score, reasons in found
        ),
        # One order for every run, so concurrent runs lock pairs without deadlocking.
        key=lambda row: (row["report_pk"], row["other_report_pk"]),
    )
    stmt = insert_for(DuplicateCandidate).values(rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=["report_pk", "other_report_pk"],
        set_={column: stmt.excluded[column] for column in ("score", "reasons", "updated_at")},
    )
    db.session.execute(stmt)


def duplicates_of(actor: Actor, report_pk: int) -> list[dict]:
    """The possible duplicates of a report that the actor may see, best first."""
    other_pk = (
        DuplicateCandidate.other_report_pk + DuplicateCandidate.report_pk - report_pk
    ).label("other_pk")
    rows = db.session.execute(
        actor.scope(select(DuplicateCandidate, Report), Report)
        .select_from(DuplicateCandidate)
        .join(Report, Report.pk == other_pk)
        .where(
            or_(
                DuplicateCandidate.report_pk == report_pk,
                DuplicateCandidate.other_report_pk == report_pk,
            )
        )
        .options(selectinload(DuplicateCandidate.decided_by))
        .order_by(DuplicateCandidate.score.desc(), DuplicateCandidate.id)
    ).all()
    return [duplicate_view(candidate, other) for candidate, other in rows]


def duplicate_reasons(duplicates: list[dict]) -> list[str]:
    """The triage reason about duplicates, told over the list the reader was given."""
    if not duplicates:
        return ["no report you may open of the same site and days reads or looks like this one"]
    best = max(duplicates, key=lambda duplicate: duplicate["score"])
    return [
        f"{len(duplicates)} possible duplicate(s); the best reads as "
        f"{(best['verdict_label'] or 'not alike').lower()}, score {best['score']:.2f}"
    ]


def duplicate_view(candidate: DuplicateCandidate, other: Report) -> dict:
    """One possible duplicate as the API shows it, from one report's side."""
    decided_by = candidate.decided_by
    verdict = verdict_of(candidate.score)
    merged = None
    if candidate.status == "confirmed":
        # The earlier report (lower pk) stands for both in the queue.
        merged = "into_other" if other.pk == candidate.report_pk else "into_this"
    return {
        "report_id": other.id,
        "score": candidate.score,
        "verdict": verdict,
        "verdict_label": VERDICT_LABELS.get(verdict),
        "reasons": candidate.reasons,
        "status": candidate.status,
        "merged": merged,
        "decided_by": {"id": decided_by.id, "name": decided_by.name} if decided_by else None,
        "decided_at": candidate.decided_at,
    }


def decide_duplicate(
    actor: Actor, report_id: uuid.UUID, other_id: uuid.UUID, status: str, reason: str | None
) -> dict:
    """Confirm or dismiss a suggested pair (never deleted); logged on both reports. Commits."""
    report, other = visible_report(actor, report_id), visible_report(actor, other_id)
    low, high = sorted((report.pk, other.pk))
    # Both reports locked in pk order, as the job locks, before the pair is touched.
    db.session.execute(
        select(Report.pk)
        .where(Report.pk.in_((low, high)))
        .order_by(Report.pk)
        .with_for_update(key_share=True)
    )
    candidate = db.session.scalar(
        select(DuplicateCandidate)
        .where(DuplicateCandidate.report_pk == low, DuplicateCandidate.other_report_pk == high)
        .execution_options(populate_existing=True)
    )
    if candidate is None:
        raise NotFound("These reports are not linked as possible duplicates.")
    before = candidate.status
    candidate.status, candidate.decided_by_id = status, actor.user_id
    candidate.decided_at = candidate.updated_at = utcnow()
    for one, two in ((report, other), (other, report)):
        touch_report(
            one,
            actor.user_id,
            f"duplicate_{status}",
            other_report_id=str(two.id),
            before=before,
            reason=reason,
        )
    db.session.commit()
    return duplicate_view(candidate, other)
