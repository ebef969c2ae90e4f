"""Reports: taking them in exactly once, completing them as photos arrive, and reading them."""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import marshmallow as ma
from sqlalchemy import select, text, update
from sqlalchemy.orm import selectinload

from server.auth.access import OWN_RECORDS_ONLY, Actor
from server.events.services import record_event
from server.exceptions import InvalidInput
from server.extensions import db
from server.jobs.services import request_job
from server.media.attachments import held_photos, showing, some_photo_missing
from server.records.identity import fingerprint
from server.reports.models import AWAITING_CONDITION, AWAITING_PHOTOS, RECEIVED, Report
from server.reports.schemas import CURSOR_PATTERN

# A report's name in the event log, its attachments and the change feed.
RECORD_TYPE = "report"
PHOTO_VARIANTS = ("thumb", "display", "original")


@dataclass(frozen=True)
class Section:
    """A part of a report's view that a feature above adds (triage adds "triage").

    full and compact load it for many reports at once, by report pk (absent: None); schema and
    compact_schema dump it, on the report's page and in the change feed.
    """

    name: str
    full: Callable[[list[int]], dict[int, dict]]
    schema: ma.Schema
    compact: Callable[[list[int]], dict[int, dict]]
    compact_schema: ma.Schema


_SECTIONS: dict[str, Section] = {}
# Jobs asked for each report once it is complete (its photos all held), by job name.
_ON_RECEIPT: dict[str, None] = {}


def add_section(section: Section) -> None:
    """Show section on every report view and feed entry (again, harmlessly, per app)."""
    _SECTIONS[section.name] = section


def ask_on_receipt(job: str | None = None) -> list[str]:
    """Register a job to ask for each report once complete; the jobs registered so far."""
    if job is not None:
        _ON_RECEIPT[job] = None
    return list(_ON_RECEIPT)


def content_hash(item: dict) -> str:
    """A stable SHA-256 of a validated report item, to tell a resend from a conflicting edit."""
    return fingerprint(item)


def find_report(organization_id: int, report_id: uuid.UUID) -> Report | None:
    """The organization's report with this client id."""
    return db.session.scalar(
        select(Report).where(Report.organization_id == organization_id, Report.id == report_id)
    )


def touch_report(report: Report, actor_id: int | None, action: str, **data) -> None:
    """Log a change of the report and move it forward in the change feed."""
    event = record_event(report.organization_id, actor_id, RECORD_TYPE, report.id, action, **data)
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
        select(Report.pk).where(
            Report.organization_id == organization_id,
            Report.status == AWAITING_PHOTOS,
            Report.pk.in_(showing(organization_id, RECORD_TYPE, sha256)),
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
        for job in ask_on_receipt():
            request_job(job, report_pk=report.pk)
    db.session.commit()
    return completed


def _photo_missing():
    """True for a report naming some photo its organization does not hold (correlated)."""
    return some_photo_missing(RECORD_TYPE, Report)


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
        raise InvalidInput(errors={"cursor": ["Not a cursor this API gave out."]})
    return int(cursor)


def report_changes(actor: Actor, since: int, limit: int) -> list[dict]:
    """The change feed's reports: those the actor may see changed after since, in order.

    Each is the report's id, status, time of change and each section's compact view.
    """
    stmt = actor.scope(select(Report), Report).where(Report.change_id > since)
    changed = db.session.scalars(stmt.order_by(Report.change_id).limit(limit)).all()
    compact = {
        name: (section, section.compact([report.pk for report in changed]))
        for name, section in _SECTIONS.items()
    }
    return [
        {
            "id": report.id,
            "change_id": report.change_id,
            "status": report.status,
            "status_note": report.status_note,
            "changed_at": report.changed_at,
            **{
                name: _dumped(section.compact_schema, values.get(report.pk))
                for name, (section, values) in compact.items()
            },
        }
        for report in changed
    ]


def _dumped(schema: ma.Schema, value: dict | None) -> dict | None:
    return None if value is None else schema.dump(value)


def report_view(report: Report, held: set[str], sections: dict | None = None) -> dict:
    """A report as the API shows it, with its photos' state and links, and the sections added."""
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
                "status_note",
                "closed_at",
                "changed_at",
            )
        },
        "location": location,
        "photos": photos,
        **(sections or {}),
    }


def report_views(reports: list[Report]) -> list[dict]:
    """report_view for many reports: one query for the photos held, one per section."""
    if not reports:
        return []
    hashes = [p.sha256 for r in reports for p in r.photos]
    held = held_photos(reports[0].organization_id, hashes)
    pks = [report.pk for report in reports]
    loaded = {name: (section, section.full(pks)) for name, section in _SECTIONS.items()}
    return [
        report_view(
            report,
            held,
            {
                name: _dumped(section.schema, values.get(report.pk))
                for name, (section, values) in loaded.items()
            },
        )
        for report in reports
    ]
