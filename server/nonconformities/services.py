"""Nonconformities: logging one (from a report, an audit finding, a complaint), its root cause,
cancelling it, and the effectiveness check that alone closes it.

Every change takes the NC's write lock first (records.locked_nc), writes one event, and commits.
"""

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.auth.access import Actor
from server.dbtypes import utcnow
from server.documents.reading import document_ref
from server.documents.services import document_pk_for
from server.exceptions import Conflict, InvalidInput, InvalidTransition, NotFound
from server.extensions import db
from server.ishikawa.services import get_analysis
from server.media.attachments import attach, attached_hashes
from server.media.models import Attachment
from server.nonconformities import records
from server.nonconformities.models import (
    ACTION_CANCELLED,
    ACTION_OPEN,
    ACTIONS,
    ANALYSED,
    CANCELLED,
    CLOSED,
    NC_STATES,
    OPEN,
    VERIFYING,
    Nonconformity,
)
from server.nonconformities.records import CHECK_TYPE, NC_TYPE, touch, touch_nc
from server.nonconformities.repeats import find_repeat
from server.records.identity import DUPLICATE, fingerprint, resend_status
from server.reports.models import KIND_LABELS, Report
from server.reports.services import find_report, touch_report, visible_report
from server.sites.services import visible_site_ids

TERMINAL = (CLOSED, CANCELLED)


def _tidy_clause(clause: str | None) -> str | None:
    """A clause as compared for repeats: single spaces, none at the ends; None when blank."""
    tidy = " ".join((clause or "").split())
    return tidy or None


def find_nc(organization_id: int, nc_id: uuid.UUID) -> Nonconformity | None:
    """The organization's NC with this client id."""
    return db.session.scalar(
        select(Nonconformity).where(
            Nonconformity.organization_id == organization_id, Nonconformity.id == nc_id
        )
    )


def nc_of_report(report_pk: int) -> Nonconformity | None:
    """The NC raised from this report, if any."""
    return db.session.scalar(select(Nonconformity).where(Nonconformity.report_pk == report_pk))


def create_nonconformity(actor: Actor, data: dict) -> tuple[Nonconformity, bool]:
    """Log an NC (POST /api/nonconformities' body); (the NC, True when new). Commits.

    Idempotent on the client's id: the same id and content again gives the same NC back;
    the same id with other content is a Conflict. Audits call this for their findings.
    """
    # An NC naming no document keeps the fingerprint it had before NCs could name one.
    digest = fingerprint({k: v for k, v in data.items() if k != "document_id" or v is not None})
    try:
        return _create(actor, data, digest)
    except IntegrityError:
        # Another request saved this id or raised an NC on this report at this very moment.
        db.session.rollback()
        return _create(actor, data, digest)


def _create(actor: Actor, data: dict, digest: str) -> tuple[Nonconformity, bool]:
    known = find_nc(actor.organization_id, data["id"])
    if known is not None:
        return _resent(actor, known, digest), False
    if data["site_id"] not in visible_site_ids(actor):
        raise InvalidInput(errors={"site_id": ["Unknown site, or not one of yours."]})
    report = _linked_report(actor, data)
    document_pk = document_pk_for(actor.organization_id, data.get("document_id"), "document_id")
    nc = _insert(actor, data, digest, report, document_pk)
    db.session.commit()
    return nc, True


def _resent(actor: Actor, known: Nonconformity, digest: str) -> Nonconformity:
    """The NC already saved under this id, when this is a resend of it; else Conflict."""
    mine = known.raised_by_id == actor.user_id or _may_open(actor, known)
    if mine and resend_status(known.content_hash, digest) == DUPLICATE:
        return known
    raise Conflict(
        "A nonconformity with this id already exists with other content.",
        errors={"id": ["Taken by another nonconformity."]},
    )


def _may_open(actor: Actor, nc: Nonconformity) -> bool:
    found = db.session.scalar(
        records.nc_scope(actor, select(Nonconformity.pk)).where(Nonconformity.pk == nc.pk)
    )
    return found is not None


def _linked_report(actor: Actor, data: dict) -> Report | None:
    """The report the NC is raised from, checked: visible, same site, no NC yet."""
    if data.get("report_id") is None:
        return None
    try:
        report = visible_report(actor, data["report_id"])
    except NotFound:
        raise InvalidInput(errors={"report_id": ["No such report, or not one you see."]}) from None
    if report.site_id != data["site_id"]:
        raise InvalidInput(errors={"site_id": ["Not the site of the report."]})
    existing = nc_of_report(report.pk)
    if existing is not None:
        raise Conflict(
            f"This report already has a nonconformity ({existing.id}).",
            errors={"report_id": ["Already has a nonconformity."]},
        )
    return report


def _insert(
    actor: Actor, data: dict, digest: str, report: Report | None, document_pk: int | None = None
) -> Nonconformity:
    """Add the NC with its photos (and its report's), repeat check and events; no commit."""
    now = utcnow()
    nc = Nonconformity(
        id=data["id"],
        organization_id=actor.organization_id,
        site_id=data["site_id"],
        title=" ".join(data["title"].split()),
        description=data["description"].strip(),
        severity=data["severity"],
        source=data["source"],
        report_pk=report.pk if report else None,
        clause=_tidy_clause(data.get("clause")),
        document_pk=document_pk,
        category=data.get("category") or (report.queue_category if report else None),
        containment=(data.get("containment") or "").strip() or None,
        status=OPEN,
        raised_by_id=actor.user_id,
        created_at=now,
        changed_at=now,
        content_hash=digest,
    )
    db.session.add(nc)
    db.session.flush()
    nc.repeat_of_pk, nc.repeat_reason = find_repeat(nc, now)
    photos = list(data.get("photos") or [])
    if report is not None:
        photos += _report_photos(report.pk, {p["sha256"] for p in photos})
        touch_report(report, actor.user_id, "nonconformity_raised", nonconformity_id=str(nc.id))
    attach(actor.organization_id, NC_TYPE, {nc.pk: photos})
    touch_nc(
        nc,
        actor.user_id,
        "created",
        severity=nc.severity,
        source=nc.source,
        report_id=str(report.id) if report else None,
        repeat_reason=nc.repeat_reason,
        document_id=str(data["document_id"]) if data.get("document_id") else None,
    )
    return nc


def _report_photos(report_pk: int, skip: set[str]) -> list[dict]:
    """The report's photos as attachment values, leaving out those in skip."""
    rows = db.session.scalars(
        select(Attachment)
        .where(Attachment.record_type == "report", Attachment.record_pk == report_pk)
        .order_by(Attachment.position)
    )
    return [
        {"sha256": a.sha256, "content_type": a.content_type, "width": a.width, "height": a.height}
        for a in rows
        if a.sha256 not in skip
    ]


def raise_from_report(
    actor: Actor, report_id: uuid.UUID, severity: str, title: str | None, clause: str | None
) -> tuple[Nonconformity, bool]:
    """Raise an NC from a report the actor may see, or give the one it has; commits."""
    report = visible_report(actor, report_id)
    existing = nc_of_report(report.pk)
    if existing is not None:
        return existing, False
    data = {
        "id": uuid.uuid4(),
        "site_id": report.site_id,
        "title": title if title and title.strip() else _title_of(report),
        "description": report.description,
        "severity": severity,
        "source": "report",
        "report_id": report.id,
        "clause": clause,
    }
    try:
        nc = _insert(actor, data, fingerprint(data), report)
        db.session.commit()
    except IntegrityError:
        # Raised from this report by another request at this very moment: that one counts.
        db.session.rollback()
        return nc_of_report(find_report(actor.organization_id, report_id).pk), False
    return nc, True


def _title_of(report: Report) -> str:
    """An NC title made from a report: its kind, site and first words."""
    first_line = " ".join(report.description.split())
    title = f"{KIND_LABELS.get(report.kind, report.kind)} at {report.site.name}: {first_line}"
    return title if len(title) <= 200 else title[:199].rstrip() + "…"


def update_nonconformity(actor: Actor, nc_id: uuid.UUID, changes: dict) -> Nonconformity:
    """Record containment, the root cause or why weak controls stay, or cancel; commits."""
    nc = records.locked_nc(records.visible_nc(actor, nc_id).pk)
    if nc.status in TERMINAL:
        raise InvalidTransition(
            f"This nonconformity is {nc.status}: it can no longer be changed.",
            errors={"status": [f"Not allowed when {nc.status}."]},
        )
    changed = []
    if "containment" in changes:
        nc.containment = (changes["containment"] or "").strip() or None
        changed.append("containment")
    if "weak_controls_reason" in changes:
        nc.weak_controls_reason = (changes["weak_controls_reason"] or "").strip() or None
        changed.append("weak_controls_reason")
    if "root_cause" in changes:
        _record_root_cause(actor, nc, changes["root_cause"])
        changed.append("root_cause")
    if "document_id" in changes:
        field = "document_id"
        nc.document_pk = document_pk_for(nc.organization_id, changes[field], field)
        changed.append(field)
    if changes.get("status") == CANCELLED:
        _cancel(actor, nc, changes["cancel_reason"].strip())
        changed.append("status")
    touch_nc(nc, actor.user_id, _event_name(changed), changed=changed, **_event_data(nc, changed))
    db.session.commit()
    return nc


def _event_name(changed: list[str]) -> str:
    if "status" in changed:
        return "cancelled"
    return "root_cause_recorded" if "root_cause" in changed else "updated"


def _event_data(nc: Nonconformity, changed: list[str]) -> dict:
    """What the event log keeps of a PATCH: the new values of the fields changed."""
    data = {name: getattr(nc, name) for name in changed if name not in ("status", "document_id")}
    if "document_id" in changed:
        document = document_ref(nc.document_pk)
        data["document_id"] = str(document["id"]) if document else None
    if "status" in changed:
        data["cancel_reason"] = nc.cancel_reason
    return data


def _record_root_cause(actor: Actor, nc: Nonconformity, cause: dict) -> None:
    """Keep the root cause (an Ishikawa one links its report's analysis); open -> analysed."""
    report_id = None
    if cause["method"] == "ishikawa":
        report_id = cause.get("analysis_report_id") or _own_report_id(nc)
        _check_analysis(actor, report_id)
    nc.root_cause = {
        "method": cause["method"],
        "whys": [" ".join(why.split()) for why in cause["whys"]],
        "statement": cause["statement"].strip(),
        "analysis_report_id": str(report_id) if report_id else None,
        "recorded_at": utcnow().isoformat(),
        "recorded_by": actor.user_id,
    }
    if nc.status == OPEN:
        NC_STATES.check(nc.status, ANALYSED)
        nc.status = ANALYSED


def _own_report_id(nc: Nonconformity) -> uuid.UUID:
    if nc.report_pk is None:
        raise InvalidInput(
            errors={"root_cause": {"analysis_report_id": ["Name the report whose analysis it is."]}}
        )
    return db.session.scalar(select(Report.id).where(Report.pk == nc.report_pk))


def _check_analysis(actor: Actor, report_id: uuid.UUID) -> None:
    """422 unless the report exists for the actor and has an Ishikawa analysis."""
    try:
        get_analysis(actor, report_id)
    except NotFound:
        raise InvalidInput(
            "That report has no Ishikawa analysis: ask for one first "
            "(POST /api/reports/{id}/analysis), or record 5 Whys.",
            errors={"root_cause": {"analysis_report_id": ["No analysis for this report."]}},
        ) from None


def _cancel(actor: Actor, nc: Nonconformity, reason: str) -> None:
    """Cancel the NC with a reason, and its open actions with it."""
    NC_STATES.check(nc.status, CANCELLED)
    nc.status, nc.cancel_reason = CANCELLED, reason
    for action in records.actions_of(nc.pk):
        if action.status == ACTION_OPEN:
            action.status = ACTION_CANCELLED
            touch(action, records.ACTION_TYPE, actor.user_id, "cancelled", reason=reason)


def verify(
    actor: Actor, nc_id: uuid.UUID, effective: bool, notes: str, photos: list[str]
) -> Nonconformity:
    """The effectiveness check: effective closes the NC, not effective sends it back to
    actions with the finding kept. Only when every action is done and verify_after has come."""
    nc = records.locked_nc(records.visible_nc(actor, nc_id).pk)
    now = utcnow()
    _check_verifiable(nc, now)
    rows = records.held_photo_rows(nc.organization_id, photos)
    target = CLOSED if effective else ACTIONS
    NC_STATES.check(nc.status, target)
    nc.status, nc.checks = target, nc.checks + 1
    nc.effective, nc.verification_notes = effective, notes.strip()
    nc.verified_at, nc.verified_by_id = now, actor.user_id
    nc.closed_at = now if effective else None
    nc.verify_after = nc.verify_after if effective else None
    _attach_check_photos(nc, rows)
    touch_nc(
        nc,
        actor.user_id,
        "verified",
        effective=effective,
        notes=nc.verification_notes,
        checks=nc.checks,
        photos=photos,
    )
    db.session.commit()
    return nc


def _check_verifiable(nc: Nonconformity, now) -> None:
    """InvalidTransition, saying what is missing, unless the NC's check may be made now."""
    if nc.status == VERIFYING:
        if nc.verify_after is not None and now < nc.verify_after:
            raise InvalidTransition(
                f"The effectiveness check is allowed from {nc.verify_after.isoformat()} "
                f"({records.verify_wait_days()} days after the last action was done).",
                errors={"verify_after": [nc.verify_after.isoformat()]},
            )
        return
    opened = [a for a in records.actions_of(nc.pk) if a.status == ACTION_OPEN]
    if opened:
        titles = "; ".join(a.title for a in opened[:5])
        detail = f"{len(opened)} action(s) still open: {titles}. Every action must be done first."
    elif nc.status in TERMINAL:
        detail = f"This nonconformity is {nc.status}: there is nothing to check."
    elif nc.status == ACTIONS:
        detail = "The last check found the fix not effective: plan a further action first."
    else:
        detail = "No corrective action is planned and done yet: record the root cause and plan one."
    raise InvalidTransition(detail, errors={"status": [f"Not verifying but {nc.status}."]})


def _attach_check_photos(nc: Nonconformity, rows: list[dict]) -> None:
    """Attach the check's photos after those of earlier checks (each photo once)."""
    shown = attached_hashes(CHECK_TYPE, [nc.pk]).get(nc.pk, [])
    new = [row for row in rows if row["sha256"] not in shown]
    if not new:
        return
    db.session.add_all(
        Attachment(
            organization_id=nc.organization_id,
            record_type=CHECK_TYPE,
            record_pk=nc.pk,
            position=len(shown) + index,
            **row,
        )
        for index, row in enumerate(new)
    )
