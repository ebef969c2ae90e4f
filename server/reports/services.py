"""Reports: taking them in exactly once, completing them as photos arrive, and reading them."""

import hashlib
import json
import re
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text, update
from sqlalchemy.orm import selectinload

from server.auth.access import OWN_RECORDS_ONLY, Actor
from server.errors import Unprocessable
from server.events.services import record_event
from server.extensions import db
from server.jobs.services import TRIAGE_REPORT, request_job
from server.media.models import Photo
from server.reports.models import (
    AWAITING_CONDITION,
    AWAITING_PHOTOS,
    RECEIVED,
    Report,
    ReportPhoto,
)
from server.reports.schemas import CURSOR_PATTERN
from server.triage.summaries import compact_summaries, summaries

PHOTO_VARIANTS = ("thumb", "display", "original")
# Feed entries younger than this are sent again next time: a transaction that took an earlier
# event id may still be committing, and the cursor must not pass it.
CHANGE_SETTLE = timedelta(seconds=5)
CHANGES_PAGE = 500


def content_hash(item: dict) -> str:
    """A stable SHA-256 of a validated report item, to tell a resend from a conflicting edit."""
    canonical = {
        **item,
        "id": str(item["id"]),
        "observed_at": item["observed_at"].astimezone(UTC).isoformat(),
    }
    encoded = json.dumps(canonical, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


def held_photos(organization_id: int, hashes: list[str]) -> set[str]:
    """Which of these photo hashes the organization already holds."""
    if not hashes:
        return set()
    rows = db.session.scalars(
        select(Photo.sha256).where(
            Photo.organization_id == organization_id, Photo.sha256.in_(hashes)
        )
    )
    return set(rows)


def find_report(organization_id: int, report_id: uuid.UUID) -> Report | None:
    """The organization's report with this client id."""
    return db.session.scalar(
        select(Report).where(Report.organization_id == organization_id, Report.id == report_id)
    )


def touch_report(report: Report, actor_id: int | None, action: str, **data) -> None:
    """Log a change of the report and move it forward in the change feed."""
    event = record_event(report.organization_id, actor_id, "report", report.id, action, **data)
    report.change_id = event.id
    report.changed_at = event.created_at


def complete_reports_waiting_for(organization_id: int, sha256: str, actor_id: int | None) -> int:
    """Complete the reports waiting for this photo whose photos are now all held; commits.

    The photo's own transaction is committed first, so that the waiting reports are read from
    committed state: a sync that saved a report naming this photo at the same moment either
    committed before this read (and is found here) or reads the photo itself after its commit.
    """
    db.session.commit()
    waiting = db.session.scalars(
        select(Report.pk)
        .join(ReportPhoto)
        .where(
            Report.organization_id == organization_id,
            Report.status == AWAITING_PHOTOS,
            ReportPhoto.sha256 == sha256,
        )
    ).all()
    return len(complete_held(waiting, actor_id))


def complete_held(report_pks: list[int], actor_id: int | None) -> set[int]:
    """Complete those of these reports still awaiting photos whose photos are all held; commits.

    Call it after the transaction that saved the report or the photo has committed. Returns the
    reports completed by this call; a report completed at the same moment by another call is
    counted there only (the status changes in a conditional UPDATE), so triage is asked once.
    """
    if not report_pks:
        return set()
    db.session.commit()  # a fresh transaction: read what every other one has committed
    ready = (
        update(Report)
        .where(Report.pk.in_(report_pks), Report.status == AWAITING_PHOTOS, ~_photo_missing())
        .values(status=RECEIVED)
        .returning(Report.pk)
        .execution_options(synchronize_session=False)
    )
    completed = set(db.session.scalars(ready))
    reports = db.session.scalars(
        select(Report)
        .where(Report.pk.in_(completed))
        .options(selectinload(Report.photos))
        .execution_options(populate_existing=True)
    )
    for report in reports:
        touch_report(report, actor_id, "photos_completed", photos=len(report.photos))
        request_job(TRIAGE_REPORT, report_pk=report.pk)
    db.session.commit()
    return completed


def _photo_missing():
    """True for a report naming some photo its organization does not hold (correlated)."""
    held = select(Photo.id).where(
        Photo.organization_id == Report.organization_id, Photo.sha256 == ReportPhoto.sha256
    )
    return select(ReportPhoto.id).where(ReportPhoto.report_pk == Report.pk, ~held.exists()).exists()


def complete_overdue_reports(limit: int = 500) -> int:
    """Complete reports left awaiting photos that are all held (the worker's sweep runs this).

    A report whose completion was lost (a crash between the photo's commit and the completion)
    would otherwise wait for ever: its photos are held, so the phone sends nothing more.
    """
    waiting = db.session.scalars(
        select(Report.pk)
        .where(text(AWAITING_CONDITION), ~_photo_missing())
        .order_by(Report.changed_at)
        .limit(limit)
    ).all()
    db.session.commit()
    return len(complete_held(waiting, None))


def may_open(actor: Actor, report: Report) -> bool:
    """True when the actor may open this report (as Actor.scope decides in a query)."""
    return (
        report.organization_id == actor.organization_id
        and actor.may_see_site(report.site_id)
        and (actor.role not in OWN_RECORDS_ONLY or report.reporter_id == actor.user_id)
    )


def photo_visible_to(actor: Actor, sha256: str) -> bool:
    """True when the actor may see some report that shows this photo."""
    stmt = (
        actor.scope(select(Report.pk), Report).join(ReportPhoto).where(ReportPhoto.sha256 == sha256)
    )
    return db.session.scalar(stmt.limit(1)) is not None


def visible_report(actor: Actor, report_id: uuid.UUID) -> Report:
    """One report the actor may see, or NotFound."""
    return actor.get_or_404(Report, report_id)


def list_reports(
    actor: Actor,
    kind=None,
    site_id=None,
    status=None,
    observed_from=None,
    observed_to=None,
    limit: int = 50,
    cursor: str | None = None,
):
    """A page of the reports the actor may see, newest first, and the cursor of the next page."""
    stmt = actor.scope(select(Report), Report).options(
        selectinload(Report.photos), selectinload(Report.site), selectinload(Report.reporter)
    )
    for column, value in ((Report.kind, kind), (Report.site_id, site_id), (Report.status, status)):
        if value is not None:
            stmt = stmt.where(column == value)
    if observed_from is not None:
        stmt = stmt.where(Report.observed_at >= observed_from)
    if observed_to is not None:
        stmt = stmt.where(Report.observed_at < observed_to)
    if cursor is not None:
        stmt = stmt.where(Report.pk < _decode_cursor(cursor))
    reports = db.session.scalars(stmt.order_by(Report.pk.desc()).limit(limit + 1)).all()
    page = reports[:limit]
    next_cursor = str(page[-1].pk) if len(reports) > limit else None
    return page, next_cursor


def _decode_cursor(cursor: str) -> int:
    if not re.fullmatch(CURSOR_PATTERN, cursor):
        raise Unprocessable(errors={"cursor": ["Not a cursor this API gave out."]})
    return int(cursor)


def changes_since(actor: Actor, since: int) -> tuple[list[dict], int]:
    """Reports the actor may see that changed after cursor since, and the next cursor.

    Each change is the report's id, status, time of change and a compact triage (or None).
    """
    stmt = actor.scope(select(Report), Report).where(Report.change_id > since)
    changed = db.session.scalars(stmt.order_by(Report.change_id).limit(CHANGES_PAGE)).all()
    settled_before = datetime.now(UTC) - CHANGE_SETTLE
    cursor = since
    for report in changed:
        if report.changed_at > settled_before:
            break
        cursor = report.change_id
    triages = compact_summaries([report.pk for report in changed])
    changes = [
        {
            "id": report.id,
            "status": report.status,
            "changed_at": report.changed_at,
            "triage": triages.get(report.pk),
        }
        for report in changed
    ]
    return changes, cursor


def report_view(report: Report, held: set[str], triage: dict | None = None) -> dict:
    """A report as the API shows it, with its photos' state and links, and its triage summary."""
    location = None
    if report.latitude is not None:
        location = {
            "lat": report.latitude,
            "lon": report.longitude,
            "accuracy_m": report.accuracy_m,
        }
    photos = [
        {
            "sha256": p.sha256,
            "content_type": p.content_type,
            "width": p.width,
            "height": p.height,
            "received": p.sha256 in held,
            "urls": {v: f"/api/photos/{p.sha256}/{v}" for v in PHOTO_VARIANTS}
            if p.sha256 in held
            else None,
        }
        for p in report.photos
    ]
    return {
        **{
            c: getattr(report, c)
            for c in (
                "id",
                "kind",
                "site",
                "reporter",
                "description",
                "observed_at",
                "received_at",
                "severity",
                "likelihood",
                "risk_score",
                "risk_band",
                "status",
                "changed_at",
            )
        },
        "location": location,
        "photos": photos,
        "triage": triage,
    }


def report_views(reports: list[Report]) -> list[dict]:
    """report_view for many reports: one query for the photos held, one for the triages."""
    if not reports:
        return []
    hashes = [p.sha256 for r in reports for p in r.photos]
    held = held_photos(reports[0].organization_id, hashes)
    triages = summaries([report.pk for report in reports])
    return [report_view(report, held, triages.get(report.pk)) for report in reports]
