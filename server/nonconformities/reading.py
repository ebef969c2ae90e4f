"""Reading NCs and actions back: the NC list, one NC in full, actions, the event log, and the
NC section every report view shows."""

import uuid
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from server.auth.access import Actor
from server.auth.models import User
from server.dbtypes import utcnow
from server.documents.reading import document_ref
from server.events.services import log_for
from server.exceptions import NotFound
from server.extensions import db
from server.ishikawa.services import analysis_view, get_analysis
from server.media.attachments import held_photos
from server.media.models import Attachment
from server.nonconformities import records
from server.nonconformities.actions import ACTION_LOADS, CORRECTION, is_overdue, late
from server.nonconformities.models import (
    ACTION_CANCELLED,
    ACTION_OPEN,
    CANCELLED,
    WEAK_CONTROLS,
    Action,
    Nonconformity,
)
from server.nonconformities.records import ACTION_TYPE, CHECK_TYPE, NC_TYPE, nc_scope
from server.reports.services import PHOTO_VARIANTS

WEAK_CONTROLS_WARNING = (
    "A major nonconformity whose corrective actions are only administrative controls or PPE "
    "(ISO 45001 8.1.2, hierarchy of controls): plan a higher control (elimination, "
    "substitution or engineering), or record why not."
)


def list_nonconformities(
    actor: Actor,
    status=None,
    site_id=None,
    severity=None,
    overdue=None,
    limit: int = 50,
    cursor: str | None = None,
):
    """A page of the NCs the actor may see, newest first, and the cursor of the next page."""
    stmt = nc_scope(actor, select(Nonconformity)).options(
        selectinload(Nonconformity.site),
        selectinload(Nonconformity.raised_by),
        selectinload(Nonconformity.report),
    )
    for column, value in (
        (Nonconformity.status, status),
        (Nonconformity.site_id, site_id),
        (Nonconformity.severity, severity),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if overdue is not None:
        has_late = (
            select(Action.pk)
            .where(Action.nonconformity_pk == Nonconformity.pk, late(actor, utcnow()))
            .exists()
        )
        stmt = stmt.where(has_late if overdue else ~has_late)
    if cursor is not None:
        stmt = stmt.where(Nonconformity.pk < int(cursor))
    rows = db.session.scalars(stmt.order_by(Nonconformity.pk.desc()).limit(limit + 1)).all()
    page = rows[:limit]
    return page, str(page[-1].pk) if len(rows) > limit else None


def summaries(actor: Actor, ncs: list[Nonconformity]) -> list[dict]:
    """NCs as the list shows them, with their open actions counted: three queries in all."""
    pks = [nc.pk for nc in ncs]
    counts = _action_counts(actor, pks)
    owners = _open_owners(pks)
    return [_summary(nc, counts.get(nc.pk, (0, 0, None)), owners.get(nc.pk, [])) for nc in ncs]


def _summary(nc: Nonconformity, counts: tuple, owners: list[dict]) -> dict:
    open_actions, overdue_actions, next_due_on = counts
    return {
        **{
            name: getattr(nc, name)
            for name in (
                "id",
                "title",
                "site",
                "severity",
                "source",
                "clause",
                "category",
                "status",
                "raised_by",
                "created_at",
                "changed_at",
                "verify_after",
                "closed_at",
            )
        },
        "report_id": nc.report.id if nc.report_pk else None,
        "open_actions": open_actions,
        "overdue_actions": overdue_actions,
        "overdue": overdue_actions > 0,
        "next_due_on": next_due_on,
        "owners": owners,
        "repeat": nc.repeat_of_pk is not None,
    }


def _action_counts(actor: Actor, pks: list[int]) -> dict[int, tuple]:
    """Per NC: open actions, overdue ones, and the earliest due day of the open ones."""
    if not pks:
        return {}
    is_open = Action.status == ACTION_OPEN
    rows = db.session.execute(
        select(
            Action.nonconformity_pk,
            func.count(case((is_open, 1))),
            func.count(case((late(actor, utcnow()), 1))),
            func.min(case((is_open, Action.due_on))),
        )
        .where(Action.nonconformity_pk.in_(pks))
        .group_by(Action.nonconformity_pk)
    )
    return {row[0]: tuple(row[1:]) for row in rows}


def _open_owners(pks: list[int]) -> dict[int, list[dict]]:
    """Per NC, the people owning its open actions, by name."""
    owners: dict[int, list[dict]] = {}
    if pks:
        rows = db.session.execute(
            select(Action.nonconformity_pk, User.id, User.name)
            .join(User, User.id == Action.owner_id)
            .where(Action.nonconformity_pk.in_(pks), Action.status == ACTION_OPEN)
            .distinct()
            .order_by(Action.nonconformity_pk, User.name, User.id)
        )
        for nc_pk, user_id, name in rows:
            owners.setdefault(nc_pk, []).append({"id": user_id, "name": name})
    return owners


def nc_view(actor: Actor, nc: Nonconformity) -> dict:
    """One NC in full, as its page shows it."""
    actions = list(
        db.session.scalars(
            select(Action)
            .where(Action.nonconformity_pk == nc.pk)
            .options(*ACTION_LOADS)
            .order_by(Action.pk)
        )
    )
    report = nc.report
    return {
        **summaries(actor, [nc])[0],
        **{
            name: getattr(nc, name)
            for name in ("description", "containment", "weak_controls_reason", "cancel_reason")
        },
        "report": report,
        "actions": action_views(actions),
        "root_cause": _root_cause_view(actor, nc),
        "verification": _verification_view(nc),
        "checks": nc.checks,
        "repeat_of": _repeat_view(actor, nc),
        "document": document_ref(nc.document_pk),
        "warnings": warnings(nc, actions),
        "photos": photo_views(nc.organization_id, NC_TYPE, [nc.pk]).get(nc.pk, []),
    }


def warnings(nc: Nonconformity, actions: list[Action]) -> list[dict]:
    """The hierarchy-of-controls warning of a major NC, while it applies."""
    if nc.severity != "major" or nc.status == CANCELLED or nc.weak_controls_reason:
        return []
    planned = [a for a in actions if a.kind != CORRECTION and a.status != ACTION_CANCELLED]
    if planned and all(action.control in WEAK_CONTROLS for action in planned):
        return [{"code": "weak_controls", "message": WEAK_CONTROLS_WARNING}]
    return []


def _root_cause_view(actor: Actor, nc: Nonconformity) -> dict | None:
    cause = nc.root_cause
    if cause is None:
        return None
    recorded_at = cause.get("recorded_at")
    return {
        **cause,
        "recorded_at": datetime.fromisoformat(recorded_at) if recorded_at else None,
        "recorded_by": db.session.get(User, cause["recorded_by"])
        if cause.get("recorded_by")
        else None,
        "analysis": _analysis_link(actor, cause.get("analysis_report_id")),
    }


def _analysis_link(actor: Actor, report_id: str | None) -> dict | None:
    """The linked Ishikawa analysis, as the actor may see it (None if gone or hidden)."""
    if report_id is None:
        return None
    try:
        view = analysis_view(actor, get_analysis(actor, uuid.UUID(report_id)))
    except NotFound:
        return None
    base = f"/api/reports/{report_id}/analysis"
    return {
        **{name: view[name] for name in ("report_id", "status", "version", "effect")},
        "root_cause": view["root_cause"]["text"] if view["root_cause"] else None,
        "url": base,
        "diagram_url": f"{base}/diagram.svg",
    }


def _verification_view(nc: Nonconformity) -> dict | None:
    """The latest effectiveness check; None before the first."""
    if not nc.checks:
        return None
    return {
        "effective": nc.effective,
        "notes": nc.verification_notes,
        "checked_at": nc.verified_at,
        "checked_by": nc.verified_by,
        "checks": nc.checks,
        "photos": photo_views(nc.organization_id, CHECK_TYPE, [nc.pk]).get(nc.pk, []),
    }


def _repeat_view(actor: Actor, nc: Nonconformity) -> dict | None:
    """The earlier NC this one repeats, named only to those who may open it."""
    if nc.repeat_of_pk is None:
        return None
    earlier = nc.repeat_of
    shown = db.session.scalar(
        nc_scope(actor, select(Nonconformity.pk)).where(Nonconformity.pk == earlier.pk)
    )
    return {
        "id": earlier.id if shown else None,
        "title": earlier.title if shown else None,
        "status": earlier.status if shown else None,
        "created_at": earlier.created_at,
        "reason": nc.repeat_reason,
    }


def photo_views(organization_id: int, kind: str, pks: list[int]) -> dict[int, list[dict]]:
    """The photos records of kind show, each with whether it arrived and its links."""
    if not pks:
        return {}
    shown = db.session.scalars(
        select(Attachment)
        .where(Attachment.record_type == kind, Attachment.record_pk.in_(pks))
        .order_by(Attachment.record_pk, Attachment.position)
    ).all()
    held = held_photos(organization_id, [a.sha256 for a in shown])
    views: dict[int, list[dict]] = {}
    for photo in shown:
        received = photo.sha256 in held
        views.setdefault(photo.record_pk, []).append(
            {
                "sha256": photo.sha256,
                "content_type": photo.content_type,
                "width": photo.width,
                "height": photo.height,
                "received": received,
                "urls": {v: f"/api/photos/{photo.sha256}/{v}" for v in PHOTO_VARIANTS}
                if received
                else None,
            }
        )
    return views


def action_views(actions: list[Action]) -> list[dict]:
    """Actions as the API shows them: one query for all their photos."""
    if not actions:
        return []
    photos = photo_views(actions[0].organization_id, ACTION_TYPE, [a.pk for a in actions])
    now = utcnow()
    return [
        {
            **{
                name: getattr(action, name)
                for name in (
                    "id",
                    "nonconformity",
                    "review",
                    "site",
                    "title",
                    "kind",
                    "control",
                    "owner",
                    "due_on",
                    "status",
                    "notes",
                    "done_at",
                    "done_by",
                    "created_at",
                    "changed_at",
                )
            },
            "overdue": is_overdue(action, now),
            "photos": photos.get(action.pk, []),
        }
        for action in actions
    ]


def nc_events(actor: Actor, nc: Nonconformity) -> list[dict]:
    """The NC's event log with its actions' events, oldest first: what, who, when, on what."""
    logs = [(NC_TYPE, nc.id, log_for(actor, NC_TYPE, nc))]
    for action in records.actions_of(nc.pk):
        logs.append((ACTION_TYPE, action.id, log_for(actor, ACTION_TYPE, action)))
    events = [
        {
            **{name: getattr(event, name) for name in ("id", "action", "actor", "created_at")},
            "data": event.data,
            "record_type": kind,
            "record_id": record_id,
        }
        for kind, record_id, log in logs
        for event in log
    ]
    return sorted(events, key=lambda event: event["id"])


def report_sections(report_pks: list[int]) -> dict[int, dict]:
    """The NC raised from each of these reports: its id, status and severity only."""
    if not report_pks:
        return {}
    rows = db.session.execute(
        select(
            Nonconformity.report_pk, Nonconformity.id, Nonconformity.status, Nonconformity.severity
        ).where(Nonconformity.report_pk.in_(report_pks))
    )
    return {row[0]: {"id": row[1], "status": row[2], "severity": row[3]} for row in rows}
