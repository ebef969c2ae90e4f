"""Audits as people read them: one audit in full, the programme list, the feed and the trends."""

import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from server.audits.models import (
    MAJOR_NC,
    MINOR_NC,
    NONCONFORMING,
    OBSERVATION,
    SUBMITTED,
    Audit,
    AuditResponse,
)
from server.audits.programme import is_overdue, overdue_clause, site_today
from server.audits.records import audit_scope, questions_of, visible_audit
from server.audits.scoring import score
from server.audits.services import OPEN_STATES, current_responses, photos_of
from server.audits.templates import with_documents
from server.auth.access import Actor
from server.dbtypes import utcnow
from server.extensions import db
from server.nonconformities.models import Nonconformity
from server.orgs.models import Site

# What the list loads with each audit.
_LIST_LOADS = (
    selectinload(Audit.site),
    selectinload(Audit.auditor),
    selectinload(Audit.auditee),
    selectinload(Audit.template_version),
)


def _person(user) -> dict | None:
    return {"id": user.id, "name": user.name} if user is not None else None


def _template(audit: Audit, with_sections: bool) -> dict:
    version = audit.template_version
    summary = {
        "id": version.template.id,
        "name": version.name,
        "standard": version.standard,
        "version": version.version,
    }
    if not with_sections:
        return summary
    return summary | {"sections": with_documents(audit.organization_id, version.sections)}


def _head(audit: Audit, now) -> dict:
    """What every audit entry carries."""
    return {
        "id": audit.id,
        "site_id": audit.site_id,
        "site_name": audit.site.name,
        "site_time_zone": audit.site.time_zone,
        "status": audit.status,
        "due_on": audit.due_on,
        "overdue": is_overdue(audit, site_today(audit.site, now)),
        "schedule_id": audit.schedule.id if audit.schedule is not None else None,
        "auditor": _person(audit.auditor),
        "auditee": _person(audit.auditee),
        "started_at": audit.started_at,
        "signed_at": audit.signed_at,
        "submitted_at": audit.submitted_at,
        "change_id": audit.change_id,
    }


def audit_view(actor: Actor, audit_id: uuid.UUID) -> dict:
    """One audit the actor may open, with its template, answers, score and findings."""
    return view_of(visible_audit(actor, audit_id))


def view_of(audit: Audit, now=None) -> dict:
    """The audit in full (GET /api/audits/{id})."""
    sections = audit.template_version.sections
    answers = current_responses(audit.pk)
    photos = photos_of([row.pk for row in answers.values()])
    nc_ids = _nc_ids([row.nonconformity_pk for row in answers.values()])
    responses = [
        {
            "id": row.id,
            "question_id": row.question_id,
            "result": row.result,
            "notes": row.notes,
            "photos": photos.get(row.pk, []),
            "answered_at": row.answered_at,
        }
        for row in answers.values()
    ]
    return {
        **_head(audit, now),
        "template": _template(audit, with_sections=True),
        "responses": responses,
        "progress": {
            "answered": len(answers),
            "total": audit.template_version.question_count,
        },
        "score": score(sections, {q: row.result for q, row in answers.items()}),
        **_findings(sections, answers, photos, nc_ids),
    }


def _nc_ids(nc_pks: list[int | None]) -> dict[int, uuid.UUID]:
    wanted = [pk for pk in nc_pks if pk is not None]
    if not wanted:
        return {}
    rows = db.session.execute(
        select(Nonconformity.pk, Nonconformity.id).where(Nonconformity.pk.in_(wanted))
    )
    return {key: value for key, value in rows}


def _findings(sections: list, answers: dict, photos: dict, nc_ids: dict) -> dict:
    """The NC answers (findings) and observations, in the template's order."""
    findings, observations = [], []
    for question_id, (section, question) in questions_of(sections).items():
        row = answers.get(question_id)
        if row is None or row.result not in (*NONCONFORMING, OBSERVATION):
            continue
        entry = {
            "question_id": question_id,
            "ref": question["ref"],
            "clause": section["ref"],
            "text": question["text"],
            "notes": row.notes,
            "photos": photos.get(row.pk, []),
        }
        if row.result == OBSERVATION:
            observations.append(entry)
        else:
            findings.append(
                entry | {"result": row.result, "nonconformity_id": nc_ids.get(row.nonconformity_pk)}
            )
    return {"findings": findings, "observations": observations}


def assigned_audits(actor: Actor) -> list[dict]:
    """The open audits the actor runs, each in full: enough to run it offline."""
    audits = db.session.scalars(
        audit_scope(actor, select(Audit))
        .where(Audit.auditor_id == actor.user_id, Audit.status.in_(OPEN_STATES))
        .options(*_LIST_LOADS)
        .order_by(Audit.due_on.is_(None), Audit.due_on, Audit.pk)
    ).all()
    now = utcnow()
    return [view_of(audit, now) for audit in audits]


def audit_list(actor: Actor, filters: dict) -> list[dict]:
    """The programme: audits of the actor's sites by due day, with their score and findings."""
    stmt = audit_scope(actor, select(Audit)).options(*_LIST_LOADS)
    if filters.get("site_id") is not None:
        stmt = stmt.where(Audit.site_id == filters["site_id"])
    if filters.get("status"):
        stmt = stmt.where(Audit.status == filters["status"])
    if filters.get("auditor_id") is not None:
        stmt = stmt.where(Audit.auditor_id == filters["auditor_id"])
    if filters.get("from") is not None:
        stmt = stmt.where(Audit.due_on >= filters["from"])
    if filters.get("to") is not None:
        stmt = stmt.where(Audit.due_on <= filters["to"])
    if filters.get("overdue"):
        stmt = stmt.where(overdue_clause(utcnow()))
    if filters.get("nonconformity_id") is not None:
        stmt = stmt.where(Audit.pk.in_(_audit_of_nc(actor, filters["nonconformity_id"])))
    audits = db.session.scalars(
        stmt.order_by(Audit.due_on.is_(None), Audit.due_on.desc(), Audit.pk.desc()).limit(
            filters.get("limit", 200)
        )
    ).all()
    counts = _finding_counts([audit.pk for audit in audits])
    now = utcnow()
    return [
        _head(audit, now)
        | {
            "template": _template(audit, with_sections=False),
            "score": audit.score,
            "findings": counts.get(audit.pk, 0),
        }
        for audit in audits
    ]


def _audit_of_nc(actor: Actor, nc_id: uuid.UUID):
    """The audit whose finding became this NC of the actor's organization, as a subquery."""
    return (
        select(AuditResponse.audit_pk)
        .join(Nonconformity, Nonconformity.pk == AuditResponse.nonconformity_pk)
        .where(Nonconformity.organization_id == actor.organization_id, Nonconformity.id == nc_id)
    )


def _finding_counts(audit_pks: list[int]) -> dict[int, int]:
    """Findings per signed-off audit: the answers that became NCs."""
    if not audit_pks:
        return {}
    rows = db.session.execute(
        select(AuditResponse.audit_pk, func.count())
        .where(AuditResponse.audit_pk.in_(audit_pks), AuditResponse.nonconformity_pk.is_not(None))
        .group_by(AuditResponse.audit_pk)
    )
    return {key: value for key, value in rows}


def audit_changes(actor: Actor, since: int, limit: int) -> list[dict]:
    """The change feed's audits: those the actor runs, changed after since, in order."""
    changed = db.session.scalars(
        audit_scope(actor, select(Audit))
        .where(Audit.auditor_id == actor.user_id, Audit.change_id > since)
        .options(*_LIST_LOADS)
        .order_by(Audit.change_id)
        .limit(limit)
    ).all()
    now = utcnow()
    return [
        _head(audit, now) | {"score": audit.score, "changed_at": audit.changed_at}
        for audit in changed
    ]


def audit_trends(actor: Actor, site_id: int | None, months: int) -> dict:
    """Scores of signed-off audits by site and month, and findings by clause, over months."""
    since = utcnow() - timedelta(days=31 * months)
    stmt = audit_scope(actor, select(Audit)).where(
        Audit.status == SUBMITTED, Audit.submitted_at >= since
    )
    if site_id is not None:
        stmt = stmt.where(Audit.site_id == site_id)
    audits = db.session.scalars(stmt.options(selectinload(Audit.site))).all()
    return {
        "scores": _scores_by_month(audits),
        "findings_by_clause": _findings_by_clause([audit.pk for audit in audits]),
    }


def _scores_by_month(audits: list[Audit]) -> list[dict]:
    groups: dict[tuple, list[float]] = {}
    sites: dict[int, Site] = {}
    for audit in audits:
        if audit.score is None:
            continue
        month = audit.signed_at or audit.submitted_at
        local = month.astimezone(ZoneInfo(audit.site.time_zone)).strftime("%Y-%m")
        groups.setdefault((audit.site_id, local), []).append(audit.score)
        sites[audit.site_id] = audit.site
    return [
        {
            "site_id": site_id,
            "site_name": sites[site_id].name,
            "month": month,
            "average": round(sum(scores) / len(scores), 1),
            "audits": len(scores),
        }
        for (site_id, month), scores in sorted(groups.items(), key=lambda item: item[0])
    ]


def _findings_by_clause(audit_pks: list[int]) -> list[dict]:
    """Counts of the answers that count, by clause and result, most findings first."""
    counts: dict[str, dict] = {}
    for audit_pk in audit_pks:
        for row in current_responses(audit_pk).values():
            if row.result in (MINOR_NC, MAJOR_NC, OBSERVATION):
                entry = counts.setdefault(
                    row.clause, {"clause": row.clause, "minor": 0, "major": 0, "observations": 0}
                )
                key = {MINOR_NC: "minor", MAJOR_NC: "major", OBSERVATION: "observations"}
                entry[key[row.result]] += 1
    return sorted(counts.values(), key=lambda e: (-(e["minor"] + e["major"]), e["clause"]))
