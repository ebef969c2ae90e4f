"""Ishikawa analyses: asking for one, building it (the job's work), reading and editing it."""

import copy
import logging
import uuid
from datetime import timedelta

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from server.auth.access import OWN_RECORDS_ONLY, Actor
from server.dbtypes import utcnow
from server.events.services import record_event
from server.exceptions import Conflict, NotFound
from server.extensions import db
from server.ishikawa import layout
from server.ishikawa.cues import CATEGORIES
from server.ishikawa.edits import GENERATED, apply_operations, merge_generated
from server.ishikawa.mining import (
    MAX_LINKS,
    MIN_RECURRENCE,
    add_recurrence,
    effect_statement,
    report_causes,
)
from server.ishikawa.models import Analysis, AnalysisRevision
from server.jobs.services import request_job
from server.reports.models import Report
from server.reports.services import visible_report
from server.triage.models import Triage

log = logging.getLogger(__name__)

# Related reports: this recent, at most this many (the newest), never good-practice reports.
RELATED_WINDOW = timedelta(days=180)
RELATED_LIMIT = 5000
BUILD_ATTEMPTS = 3
DATA_FIELDS = ("effect", "effect_edited", "causes", "whys", "dismissed", "root_cause_id")

# The outbox job that builds a report's analysis (see server.ishikawa.registration).
BUILD_ANALYSIS = "build_analysis"


def analysis_data(analysis: Analysis) -> dict:
    """A deep copy of the analysis's editable data, as plain values."""
    return {field: copy.deepcopy(getattr(analysis, field)) for field in DATA_FIELDS}


def _first_data(report: Report) -> dict:
    effect = effect_statement(report.kind, report.site.name, report.description)
    return {
        "effect": effect,
        "effect_edited": False,
        "causes": [],
        "whys": [],
        "dismissed": [],
        "root_cause_id": None,
    }


def _save_version(
    analysis: Analysis, data: dict, status: str, change: str, user_id: int | None
) -> None:
    """Write data as the analysis's next version and keep it as a revision; the caller commits.

    Raises StaleDataError when someone saved another version since this one was read.
    """
    analysis.version = (analysis.version or 0) + 1
    for field, value in data.items():
        setattr(analysis, field, value)
    analysis.status = status
    analysis.updated_at = utcnow()
    analysis.updated_by = user_id
    db.session.add(analysis)
    db.session.flush()
    revision = AnalysisRevision(
        analysis_id=analysis.id,
        version=analysis.version,
        change=change,
        status=status,
        data=copy.deepcopy(data),
        created_by=user_id,
    )
    db.session.add(revision)


def find_analysis(report_pk: int) -> Analysis | None:
    """The analysis of a report, if one was made."""
    return db.session.scalar(select(Analysis).where(Analysis.report_pk == report_pk))


def request_analysis(actor: Actor, report_id: uuid.UUID, retry: bool = True) -> Analysis:
    """Ask for the report's analysis to be built (again): state requested, and a job queued."""
    report = visible_report(actor, report_id)
    analysis = find_analysis(report.pk)
    try:
        if analysis is None:
            analysis = Analysis(report_pk=report.pk, requested_at=utcnow())
            _save_version(analysis, _first_data(report), "requested", "requested", actor.user_id)
        elif analysis.status != "requested":
            analysis.requested_at = utcnow()
            _save_version(
                analysis, analysis_data(analysis), "requested", "requested", actor.user_id
            )
        request_job(BUILD_ANALYSIS, report_pk=report.pk)
        record_event(
            report.organization_id,
            actor.user_id,
            "report",
            report.id,
            "analysis_requested",
            version=analysis.version,
        )
        db.session.commit()
    except (IntegrityError, StaleDataError):
        # Someone asked or saved at the same moment: start again from what they wrote.
        db.session.rollback()
        if not retry:
            raise Conflict("The analysis changed while it was requested; try again.") from None
        return request_analysis(actor, report_id, retry=False)
    return analysis


def get_analysis(actor: Actor, report_id: uuid.UUID) -> Analysis:
    """The analysis of a report the actor may see, or NotFound."""
    report = visible_report(actor, report_id)
    analysis = find_analysis(report.pk)
    if analysis is None:
        raise NotFound("No analysis was requested for this report.")
    return analysis


def edit_analysis(
    actor: Actor, report_id: uuid.UUID, version: int, operations: list[dict]
) -> Analysis:
    """Apply an officer's operations to the version they edited, as a new version."""
    analysis = get_analysis(actor, report_id)
    if analysis.version != version:
        raise _stale(analysis.version, version)
    # Causes the actor is not shown are, to them, causes that do not exist.
    hidden = {c["id"] for c in analysis.causes} - {c["id"] for c in shown_causes(actor, analysis)}
    data = apply_operations(analysis_data(analysis), operations, hidden)
    report = analysis.report
    try:
        _save_version(analysis, data, analysis.status, "edited", actor.user_id)
        record_event(
            report.organization_id,
            actor.user_id,
            "report",
            report.id,
            "analysis_edited",
            version=analysis.version,
            operations=operations,
        )
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise _stale(find_analysis(report.pk).version, version) from None
    return analysis


def _stale(current: int, edited: int) -> Conflict:
    return Conflict(
        f"You edited version {edited} but the analysis is at version {current}: "
        "reload it and make your changes again."
    )


def related_reports(report: Report) -> list[tuple[str, str]]:
    """(id, description) of recent reports like this one: same site, or same category or kind."""
    alike = _same_triage_category(report)
    if alike is None:
        alike = Report.kind == report.kind
    stmt = (
        select(Report.id, Report.description)
        .where(
            Report.organization_id == report.organization_id,
            Report.pk != report.pk,
            Report.kind != "good_practice",
            Report.observed_at >= utcnow() - RELATED_WINDOW,
            or_(Report.site_id == report.site_id, alike),
        )
        .order_by(Report.observed_at.desc(), Report.pk.desc())
        .limit(RELATED_LIMIT)
    )
    return [(str(report_id), description) for report_id, description in db.session.execute(stmt)]


def _same_triage_category(report: Report):
    """Reports triaged into this report's category, once triage has categorised it."""
    mine = db.session.scalar(select(Triage.category).where(Triage.report_pk == report.pk))
    if mine is None:
        return None
    return Report.pk.in_(select(Triage.report_pk).where(Triage.category == mine))


def build(report_pk: int) -> Analysis | None:
    """Build or refresh the report's analysis from its wording and related reports."""
    report = db.session.get(Report, report_pk)
    if report is None:
        log.warning("No report %s to analyse: it was deleted.", report_pk)
        return None
    own = report_causes(str(report.id), report.description)
    recurring = add_recurrence(own, related_reports(report))
    for attempt in range(1, BUILD_ATTEMPTS + 1):
        try:
            analysis = _build_once(report, copy.deepcopy(own), copy.deepcopy(recurring))
            db.session.commit()
            return analysis
        except (IntegrityError, StaleDataError):
            # An officer saved (or another run built) meanwhile: merge into their version.
            db.session.rollback()
            if attempt == BUILD_ATTEMPTS:
                raise
    return None


def _build_once(report: Report, own: list[dict], recurring: list[dict]) -> Analysis:
    """Merge freshly generated causes into the current version; a new version only on change."""
    analysis = find_analysis(report.pk) or Analysis(report_pk=report.pk, **_first_data(report))
    current = analysis_data(analysis)
    # Every generated source, "why" too: causes once made from whys go unless an officer kept them.
    data = merge_generated(current, own + recurring, GENERATED)
    if not data["effect_edited"]:
        data["effect"] = effect_statement(report.kind, report.site.name, report.description)
    if analysis.version and analysis.status == "ready" and data == current:
        return analysis
    analysis.built_at = utcnow()
    _save_version(analysis, data, "ready", "built", None)
    record_event(
        report.organization_id,
        None,
        "report",
        report.id,
        "analysis_built",
        version=analysis.version,
    )
    return analysis


def mark_failed(report_pk: int) -> None:
    """Record that building the report's analysis failed (after the job's session rolled back)."""
    analysis = find_analysis(report_pk)
    if analysis is None or analysis.status == "failed":
        return
    _save_version(analysis, analysis_data(analysis), "failed", "failed", None)
    db.session.commit()


def shown_causes(actor: Actor, analysis: Analysis) -> list[dict]:
    """The causes as the actor may see them, each counted over the reports they may open.

    A recurring cause that the actor sees recur in fewer than MIN_RECURRENCE reports is left
    out, unless an officer made it part of the analysis (edited it or chose it as root cause).
    """
    opened = _visible_links(actor, {i for c in analysis.causes for i in c["report_ids"]})
    shown = []
    for cause in analysis.causes:
        if not cause["report_ids"]:
            # An officer's own cause (or one once made from a why): no report behind it to count.
            shown.append(cause)
            continue
        evidence = [i for i in cause["report_ids"] if i in opened]
        adopted = cause["edited"] or cause["id"] == analysis.root_cause_id
        if cause["source"] == "related" and len(evidence) < MIN_RECURRENCE and not adopted:
            continue
        shown.append({**cause, "count": len(evidence), "report_ids": evidence[:MAX_LINKS]})
    return shown


def analysis_view(actor: Actor, analysis: Analysis) -> dict:
    """An analysis as the API shows it: causes by category, over the reports actor may open."""
    causes = shown_causes(actor, analysis)
    return {
        "report_id": analysis.report.id,
        "version": analysis.version,
        "status": analysis.status,
        "effect": analysis.effect,
        "categories": [
            {"name": name, "causes": [c for c in causes if c["category"] == name]}
            for name in CATEGORIES
        ],
        "whys": analysis.whys,
        "root_cause_id": analysis.root_cause_id,
        "root_cause": next((c for c in causes if c["id"] == analysis.root_cause_id), None),
        "requested_at": analysis.requested_at,
        "built_at": analysis.built_at,
        "updated_at": analysis.updated_at,
        "updated_by": analysis.editor,
    }


def _visible_links(actor: Actor, report_ids: set[str]) -> set[str]:
    """Which of these report ids the actor may open; officers and admins of all sites see all."""
    if not report_ids or (actor.role not in OWN_RECORDS_ONLY and actor.site_ids is None):
        return report_ids
    wanted = [uuid.UUID(i) for i in report_ids]
    stmt = actor.scope(select(Report.id), Report).where(Report.id.in_(wanted))
    return {str(report_id) for report_id in db.session.scalars(stmt)}


def diagram(actor: Actor, report_id: uuid.UUID) -> layout.Layout:
    """The fishbone of a report's analysis as the actor may see it, laid out."""
    analysis = get_analysis(actor, report_id)
    causes = shown_causes(actor, analysis)
    by_category = [(n, [c for c in causes if c["category"] == n]) for n in CATEGORIES]
    return layout.fishbone(analysis.effect, by_category, analysis.root_cause_id)
