"""Records linked to the register: each report, NC or audit finding concerns at most one entry.

Linking an incident report or a major NC (or a major NC finding) to an entry puts the entry on
the review-due list at once (ISO 45001 10.2), and so does a "not effective" check of an NC linked
to an entry, directly or through the report it was raised from or the finding it came from.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select, update

from server.audits.models import (
    MAJOR_NC,
    MINOR_NC,
    OBSERVATION,
    RESULT_LABELS,
    Audit,
)
from server.audits.models import AuditResponse as Response
from server.audits.models import AuditTemplateVersion as Version
from server.audits.records import AUDIT_TYPE, questions_of, visible_audit
from server.audits.records import touch as touch_audit
from server.audits.services import current_responses
from server.auth.access import Actor
from server.dbtypes import utcnow
from server.events.models import Event
from server.exceptions import InvalidInput, NotAllowed, NotFound
from server.extensions import db
from server.nonconformities.models import Nonconformity
from server.nonconformities.records import locked_nc, touch_nc, visible_nc
from server.reports.models import KIND_LABELS, Report
from server.reports.services import touch_report, visible_report
from server.risks.models import ACTIVE, Risk, RiskLink
from server.risks.records import DESK_ROLES, reference, risk_scope, touch
from server.risks.services import locked_risk, request_review

REPORT, NONCONFORMITY, FINDING = "report", "nonconformity", "audit_response"
# Reports of something that happened to someone or to the environment: an incident, not a
# hazard seen or a near miss.
INCIDENT_KINDS = frozenset({"injury", "environmental_incident"})
# The answers that are findings: what an audit found, good or bad.
FINDING_RESULTS = (OBSERVATION, MINOR_NC, MAJOR_NC)
# A linked record's title, and a report as a review's note names it, this long at most.
TITLE_LENGTH = 120


@dataclass(frozen=True)
class Linked:
    """A record as linking sees it: who it is, what its link row says, and how to log on it."""

    record_type: str
    pk: int
    site_id: int
    # What the entry's events say of it: {record_type, record_id, ...}.
    names: dict
    # Every row a link of this record may name (a finding's earlier answers too).
    same_record: ColumnElement
    # (reason, note) when linking it asks for the entry's review.
    review: tuple[str, str] | None
    log: Callable[..., object]


def link_record(actor: Actor, record_type: str, record_id, risk_id: uuid.UUID | None):
    """Link a record to an entry (None unlinks it); the entry, or None when unlinked. Commits.

    record_id is the report's or NC's id, or (audit_id, question_id) for an audit finding. The
    record must be one the actor sees, the entry an active one of the record's site. Linking it
    again moves the link; linking it to the same entry again changes nothing.
    """
    if actor.role not in DESK_ROLES:
        raise NotAllowed(f"This needs the role {' or '.join(DESK_ROLES)}.")
    linked = _LOADERS[record_type](actor, record_id)
    risk = _linkable_risk(actor, linked, risk_id) if risk_id is not None else None
    link = db.session.scalar(select(RiskLink).where(linked.same_record))
    if link is not None and risk is not None and link.risk_pk == risk.pk:
        link.record_pk = linked.pk  # a finding answered again since: its newest answer
        db.session.commit()
        return risk
    if link is None and risk is None:
        db.session.rollback()
        return None
    _relink(actor, linked, link, risk)
    db.session.commit()
    return risk


def _relink(actor: Actor, linked: Linked, link: RiskLink | None, risk: Risk | None) -> None:
    """Move, add or remove the record's link, with an event on each entry and on the record."""
    entries = {r.pk: r for r in ([link.risk] if link else []) + ([risk] if risk else [])}
    locked = {pk: locked_risk(pk) for pk in sorted(entries)}  # in one order: no deadlock
    if link is not None:
        touch(locked[link.risk_pk], actor.user_id, "unlinked", **linked.names)
    if risk is None:
        linked.log(actor.user_id, "risk_unlinked", risk_id=str(link.risk.id))
        db.session.delete(link)
        return
    risk = locked[risk.pk]
    if link is None:
        link = RiskLink(organization_id=actor.organization_id, record_type=linked.record_type)
        db.session.add(link)
    link.risk_pk, link.record_pk, link.linked_by_id = risk.pk, linked.pk, actor.user_id
    link.linked_at = utcnow()
    touch(risk, actor.user_id, "linked", **linked.names)
    linked.log(actor.user_id, "risk_linked", risk_id=str(risk.id), ref=reference(risk))
    if linked.review is not None:
        request_review(risk, *linked.review, actor.user_id)


def _linkable_risk(actor: Actor, linked: Linked, risk_id: uuid.UUID) -> Risk:
    """The entry to link to: one the actor sees, active, of the record's site; else 422."""
    risk = db.session.scalar(risk_scope(actor, select(Risk)).where(Risk.id == risk_id))
    if risk is None:
        problem = "No such entry in the register, or not one you see."
    elif risk.status != ACTIVE:
        problem = "This entry is archived: link the record to an active one."
    elif risk.site_id != linked.site_id:
        problem = "This entry is of another site's register than the record."
    else:
        return risk
    raise InvalidInput(problem, errors={"risk_id": [problem]})


def _locked(model, pk: int):
    """The record read again after taking its write lock, so that two links of one record
    never interleave (a row lock on PostgreSQL, the database's write lock on SQLite)."""
    db.session.execute(
        update(model)
        .where(model.pk == pk)
        .values(status=model.status)
        .execution_options(synchronize_session=False)
    )
    return db.session.scalar(
        select(model).where(model.pk == pk).execution_options(populate_existing=True)
    )


def _same(record_type: str, condition: ColumnElement) -> ColumnElement:
    """Links of this record type that meet condition."""
    return (RiskLink.record_type == record_type) & condition


def _report(actor: Actor, report_id: uuid.UUID) -> Linked:
    report = _locked(Report, visible_report(actor, report_id).pk)
    incident = report.kind in INCIDENT_KINDS
    return Linked(
        REPORT,
        report.pk,
        report.site_id,
        {"record_type": REPORT, "record_id": str(report.id)},
        _same(REPORT, RiskLink.record_pk == report.pk),
        ("incident", _report_title(report)) if incident else None,
        lambda actor_id, action, **data: touch_report(report, actor_id, action, **data),
    )


def _nc(actor: Actor, nc_id: uuid.UUID) -> Linked:
    nc = locked_nc(visible_nc(actor, nc_id).pk)
    major = nc.severity == "major"
    return Linked(
        NONCONFORMITY,
        nc.pk,
        nc.site_id,
        {"record_type": NONCONFORMITY, "record_id": str(nc.id)},
        _same(NONCONFORMITY, RiskLink.record_pk == nc.pk),
        ("major_nc", f"Major NC: {nc.title}") if major else None,
        lambda actor_id, action, **data: touch_nc(nc, actor_id, action, **data),
    )


def _finding(actor: Actor, record_id: tuple[uuid.UUID, uuid.UUID]) -> Linked:
    audit_id, question_id = record_id
    audit = _locked(Audit, visible_audit(actor, audit_id).pk)
    response = current_responses(audit.pk).get(str(question_id))
    if response is None or response.result not in FINDING_RESULTS:
        raise NotFound(
            f"Question {question_id} of this audit has no finding (an observation or a "
            "minor or major NC) to link."
        )
    names = {
        "record_type": FINDING,
        "record_id": str(response.id),
        "audit_id": str(audit.id),
        "question_id": str(question_id),
    }
    earlier = select(Response.pk).where(
        Response.audit_pk == audit.pk, Response.question_id == response.question_id
    )
    note = f"Major NC found by an audit, clause {response.clause}: {response.notes or ''}"

    def log(actor_id, action, **data):
        touch_audit(audit, AUDIT_TYPE, actor_id, action, question_id=str(question_id), **data)

    return Linked(
        FINDING,
        response.pk,
        audit.site_id,
        names,
        _same(FINDING, RiskLink.record_pk.in_(earlier)),
        ("major_nc", note) if response.result == MAJOR_NC else None,
        log,
    )


_LOADERS = {REPORT: _report, NONCONFORMITY: _nc, FINDING: _finding}


def _short(text: str) -> str:
    """text on one line, cut to TITLE_LENGTH."""
    line = " ".join(text.split())
    return line if len(line) <= TITLE_LENGTH else line[: TITLE_LENGTH - 1].rstrip() + "…"


def _report_title(report: Report) -> str:
    """A report as a line: its kind and first words."""
    return _short(f"{KIND_LABELS.get(report.kind, report.kind)}: {report.description}")


def linked_risk(actor: Actor, record_type: str, record_id) -> Risk | None:
    """The entry a record the actor sees is linked to (None when it is linked to none)."""
    if actor.role not in DESK_ROLES:
        raise NotAllowed(f"This needs the role {' or '.join(DESK_ROLES)}.")
    linked = _VISIBLE[record_type](actor, record_id)
    return db.session.scalar(select(Risk).join(RiskLink).where(linked))


def _visible_report(actor: Actor, report_id: uuid.UUID) -> ColumnElement:
    return _same(REPORT, RiskLink.record_pk == visible_report(actor, report_id).pk)


def _visible_nc(actor: Actor, nc_id: uuid.UUID) -> ColumnElement:
    return _same(NONCONFORMITY, RiskLink.record_pk == visible_nc(actor, nc_id).pk)


def _visible_finding(actor: Actor, record_id: tuple[uuid.UUID, uuid.UUID]) -> ColumnElement:
    audit_id, question_id = record_id
    answers = select(Response.pk).where(
        Response.audit_pk == visible_audit(actor, audit_id).pk, Response.question_id == question_id
    )
    return _same(FINDING, RiskLink.record_pk.in_(answers))


_VISIBLE = {REPORT: _visible_report, NONCONFORMITY: _visible_nc, FINDING: _visible_finding}


# What an entry shows of the records linked to it


def links_of(risk_pk: int) -> list[dict]:
    """The records linked to an entry, newest link first: [{record_type, record_id, title,
    linked_at}], a finding with its audit_id and question_id too."""
    links = list(
        db.session.scalars(
            select(RiskLink)
            .where(RiskLink.risk_pk == risk_pk)
            .order_by(RiskLink.linked_at.desc(), RiskLink.id.desc())
        )
    )
    shown: dict[tuple[str, int], dict] = {}
    for record_type, describe in _DESCRIBERS.items():
        pks = [link.record_pk for link in links if link.record_type == record_type]
        if pks:
            shown |= {(record_type, pk): view for pk, view in describe(pks).items()}
    return [
        {**shown[key], "record_type": link.record_type, "linked_at": link.linked_at}
        for link in links
        if (key := (link.record_type, link.record_pk)) in shown
    ]


def _reports(pks: list[int]) -> dict[int, dict]:
    rows = db.session.scalars(select(Report).where(Report.pk.in_(pks)))
    return {r.pk: {"record_id": r.id, "title": _report_title(r), "kind": r.kind} for r in rows}


def _ncs(pks: list[int]) -> dict[int, dict]:
    rows = db.session.scalars(select(Nonconformity).where(Nonconformity.pk.in_(pks)))
    return {
        nc.pk: {
            "record_id": nc.id,
            "title": _short(nc.title),
            "severity": nc.severity,
            "status": nc.status,
        }
        for nc in rows
    }


def _findings(pks: list[int]) -> dict[int, dict]:
    rows = db.session.execute(
        select(Response, Audit.id.label("audit_id"), Audit.template_version_pk)
        .join(Audit, Audit.pk == Response.audit_pk)
        .where(Response.pk.in_(pks))
    ).all()
    questions = _questions({row.template_version_pk for row in rows})
    views = {}
    for response, audit_id, version_pk in rows:
        question = questions.get((version_pk, str(response.question_id)), {})
        text = question.get("text") or response.notes or ""
        views[response.pk] = {
            "record_id": response.id,
            "audit_id": audit_id,
            "question_id": response.question_id,
            "result": response.result,
            "title": _short(f"{RESULT_LABELS[response.result]}, clause {response.clause}: {text}"),
        }
    return views


def _questions(version_pks: set[int]) -> dict[tuple[int, str], dict]:
    """The questions of some template versions, by (version pk, question id)."""
    found = {}
    for pk, sections in db.session.execute(
        select(Version.pk, Version.sections).where(Version.pk.in_(version_pks))
    ):
        found |= {(pk, qid): q for qid, (_section, q) in questions_of(sections).items()}
    return found


_DESCRIBERS = {REPORT: _reports, NONCONFORMITY: _ncs, FINDING: _findings}


# A failed effectiveness check


def review_after_failed_check(event: Event) -> None:
    """on_event("nonconformity", "verified"): a check found not effective puts every active
    entry the NC is linked to (itself, its report or its finding) on the review-due list."""
    if (event.data or {}).get("effective") is not False:
        return
    nc = db.session.scalar(
        select(Nonconformity).where(
            Nonconformity.organization_id == event.organization_id,
            Nonconformity.id == uuid.UUID(event.entity_id),
        )
    )
    risks = _risks_linked_to(nc)
    if risks and nc.report_pk is not None:
        # The NC's report is written next (touch_nc): taken first, in the order linking takes
        # its record and then the entry, so that the two never wait on each other.
        _locked(Report, nc.report_pk)
    note = f"Not effective, NC “{nc.title}”: {event.data.get('notes') or ''}"
    for risk_pk in risks:
        request_review(locked_risk(risk_pk), "not_effective", note, event.actor_id)


def _risks_linked_to(nc: Nonconformity) -> list[int]:
    """The active entries an NC is linked to, directly or through its report or finding."""
    findings = select(Response.pk).where(Response.nonconformity_pk == nc.pk)
    through = [_same(NONCONFORMITY, RiskLink.record_pk == nc.pk)]
    through.append(_same(FINDING, RiskLink.record_pk.in_(findings)))
    if nc.report_pk is not None:
        through.append(_same(REPORT, RiskLink.record_pk == nc.report_pk))
    return list(
        db.session.scalars(
            select(Risk.pk)
            .join(RiskLink, RiskLink.risk_pk == Risk.pk)
            .where(or_(*through), Risk.status == ACTIVE)
            .distinct()
            .order_by(Risk.pk)
        )
    )
