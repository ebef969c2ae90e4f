"""Triage: the job's pipeline, officers' overrides and duplicate decisions, and reading it back."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload, selectinload

from server.auth.access import Actor
from server.auth.models import Membership, User
from server.dbtypes import utcnow
from server.exceptions import InvalidInput, NotFound
from server.extensions import db
from server.language import meaning
from server.reports.models import Report, queue_key, risk_band
from server.reports.services import touch_report, visible_report
from server.triage import classifier, rules
from server.triage.duplicates import (
    duplicate_reasons,
    duplicates_of,
    find_duplicates,
    record_duplicates,
)
from server.triage.learning import learn_category, officer_examples
from server.triage.models import Triage, TriageOverride
from server.triage.routing import route, sla_hours
from server.triage.summaries import COMPACT_FIELDS, DUPLICATES, summary, without_duplicates
from server.triage.upsert import insert_for

# The job moves a report on only from here; an officer's later status is never undone.
UNTRIAGED = ("received",)
EFFECTIVE_FIELDS = (
    "severity",
    "likelihood",
    "risk_score",
    "risk_band",
    "category",
    "priority",
    "due_at",
    "reportable",
    "assignee_id",
)
ASSIGNABLE_ROLES = ("officer", "admin")


@dataclass(frozen=True)
class Context:
    """What settle() needs besides the report: the SLA, and the routing and category already
    worked out (the category needs the meaning model and the officers' examples)."""

    sla_hours: dict[str, int]
    sla_name: str
    assignee: tuple[int | None, list[str]]
    category: tuple[str, list[str]]


def _jsonable(value):
    return value.isoformat() if isinstance(value, datetime) else value


def effective(triage: Triage) -> dict:
    """The triage's effective values, JSON-ready (for the event log)."""
    return {name: _jsonable(getattr(triage, name)) for name in EFFECTIVE_FIELDS}


def settle(triage: Triage, report: Report, context: Context) -> None:
    """Conclude every field in order, each from the effective values before it; overrides win."""
    overrides = triage.override_values()
    computed, reasons = {}, {}

    def conclude(name: str, value, why: list[str]):
        computed[name], reasons[name] = _jsonable(value), why
        return overrides.get(name, value)

    reading = rules.read_report(report.description)
    category = conclude("category", *context.category)
    reportable = conclude("reportable", *rules.reportable(report.kind, reading))
    severity = conclude(
        "severity", *rules.severity(report.severity, report.kind, reading, category)
    )
    likelihood = conclude("likelihood", *rules.likelihood(report.likelihood, report.kind, reading))
    score = severity * likelihood
    band = risk_band(score)
    reasons["risk"] = [f"severity {severity} x likelihood {likelihood} = {score}: {band}"]
    priority = conclude("priority", *rules.priority(band, report.kind, reportable))
    due_at = conclude(
        "due_at",
        *rules.due_at(
            report.received_at,
            priority,
            context.sla_hours,
            context.sla_name,
            report.site.time_zone,
        ),
    )
    assignee_id = conclude("assignee_id", *context.assignee)
    triage.category, triage.reportable = category, reportable
    triage.severity, triage.likelihood = severity, likelihood
    triage.risk_score, triage.risk_band = score, band
    triage.priority, triage.due_at, triage.assignee_id = priority, due_at, assignee_id
    triage.computed, triage.reasons = computed, {**triage.reasons, **reasons}
    # The officer's desk reads a copy of the effective values on the report, kept here.
    report.queue_priority, report.queue_risk = queue_key(priority, score)
    report.queue_category, report.queue_due_at = category, due_at


def _lock(report_pk: int) -> tuple[Report, Triage | None]:
    """The report and its triage, read after taking the locks every triage writer takes.

    PostgreSQL: a row lock on the report, then on the triage. SQLite: the no-op UPDATE takes
    the database's write lock before anything is read, so writers never interleave.
    """
    # FOR NO KEY UPDATE: it still serializes triage writers, but leaves the report free for
    # the key-share locks that inserting a duplicate pair takes on both its reports.
    db.session.execute(
        select(Report.pk).where(Report.pk == report_pk).with_for_update(key_share=True)
    )
    db.session.execute(update(Triage).where(Triage.report_pk == report_pk).values(runs=Triage.runs))
    report = db.session.scalar(
        select(Report)
        .where(Report.pk == report_pk)
        .options(selectinload(Report.photos), joinedload(Report.site))
        .execution_options(populate_existing=True)
    )
    triage = db.session.scalar(
        select(Triage)
        .where(Triage.report_pk == report_pk)
        .options(selectinload(Triage.overrides))
        .execution_options(populate_existing=True)
    )
    return report, triage


def _claim(report_pk: int) -> bool:
    """Make sure the report has a triage row to work on; False when there is no such report."""
    if db.session.scalar(select(Report.pk).where(Report.pk == report_pk)) is None:
        return False
    stmt = insert_for(Triage).values(
        report_pk=report_pk, runs=0, computed={}, reasons={}, created_at=utcnow()
    )
    db.session.execute(stmt.on_conflict_do_nothing(index_elements=["report_pk"]))
    return True


def run_triage(report_pk: int) -> Triage | None:
    """Triage one report, again if need be: one result row, overrides kept; the caller commits."""
    description = db.session.scalar(select(Report.description).where(Report.pk == report_pk))
    if description is None:
        return None
    # The model runs before any lock is taken: people signing in or syncing never wait for it.
    # A report's description never changes once it is saved.
    vector = meaning.embed([description])[0]
    if not _claim(report_pk):
        return None
    report, triage = _lock(report_pk)
    hours, policy = sla_hours(report.organization_id)
    assignee = route(report, triage.computed.get("assignee_id"))
    found = classifier.classify(
        rules.read_report(report.description),
        vector,
        officer_examples(report.organization_id, report.pk),
    )
    record_duplicates(report.pk, find_duplicates(report, vector))
    # Every read is done: the changes below reach the database in one flush.
    triage.embedding = meaning.to_bytes(vector)
    triage.language = found.language
    triage.classifier_version = classifier.version()
    triage.category_confidence = found.confidence
    triage.check_category = found.check and "category" not in triage.override_values()
    settle(triage, report, Context(hours, policy, assignee, (found.category, found.reasons)))
    triage.runs += 1
    triage.triaged_at = utcnow()
    # The job sees every report; what it found is told per reader (see triage_view), so
    # neither the reasons nor the event log keep a count of it.
    triage.reasons = without_duplicates(triage.reasons)
    if report.status in UNTRIAGED:
        report.status = "triaged"
    compact = {name: _jsonable(getattr(triage, name)) for name in COMPACT_FIELDS}
    touch_report(report, None, "triaged", run=triage.runs, **compact)
    return triage


def _triage_of(report: Report) -> Triage:
    """The report's finished triage, or NotFound."""
    triage = db.session.scalar(
        select(Triage).where(Triage.report_pk == report.pk, Triage.triaged_at.is_not(None))
    )
    if triage is None:
        raise NotFound("Not triaged yet")
    return triage


def triage_view(actor: Actor, report_id: uuid.UUID) -> dict:
    """A report's triage with reasons, computed values, overrides and possible duplicates."""
    report = visible_report(actor, report_id)
    triage = _triage_of(report)
    view = summary(triage)
    duplicates = duplicates_of(actor, report.pk)
    return {
        "report_id": report.id,
        **view,
        "reasons": {**view["reasons"], DUPLICATES: duplicate_reasons(duplicates)},
        "runs": triage.runs,
        "computed": triage.computed,
        "overrides": [_override_view(o, triage) for o in triage.overrides],
        "duplicates": duplicates,
    }


def _override_view(override: TriageOverride, triage: Triage) -> dict:
    actor = override.actor
    return {
        "field": override.field,
        "value": override.value,
        "computed": triage.computed.get(override.field),
        "reason": override.reason,
        "by": {"id": actor.id, "name": actor.name} if actor else None,
        "at": override.created_at,
    }


def _check_assignee(report: Report, user_id: int | None) -> None:
    """422 unless user_id is None or an active officer or admin covering the report's site."""
    if user_id is None:
        return
    membership = db.session.scalar(
        select(Membership)
        .join(User)
        .where(
            Membership.user_id == user_id,
            Membership.organization_id == report.organization_id,
            Membership.role.in_(ASSIGNABLE_ROLES),
            Membership.active.is_(True),
            User.active.is_(True),
        )
    )
    if membership is None or (
        membership.sites and report.site_id not in {s.id for s in membership.sites}
    ):
        raise InvalidInput(
            "The assignee must be an officer or admin who covers the report's site.",
            errors={"assignee_id": ["Not an officer or admin covering this report's site."]},
        )


def _set_overrides(triage: Triage, changes: dict, reason: str, actor_id: int) -> None:
    """Add or replace the officer's value of each changed field (the event log keeps history)."""
    held, now = {o.field: o for o in triage.overrides}, utcnow()
    for name, value in changes.items():
        override = held.get(name) or TriageOverride(field=name)
        override.value, override.reason = _jsonable(value), reason
        override.actor_id, override.created_at = actor_id, now
        if name not in held:
            triage.overrides.append(override)


def override_triage(actor: Actor, report_id: uuid.UUID, changes: dict, reason: str) -> dict:
    """Set an officer's values on a triage, with a reason; later job runs keep them. Commits."""
    report = visible_report(actor, report_id)
    _triage_of(report)
    _check_assignee(report, changes.get("assignee_id"))
    report, triage = _lock(report.pk)
    before = effective(triage)
    _set_overrides(triage, changes, reason, actor.user_id)
    hours, policy = sla_hours(report.organization_id)
    computed_assignee = (triage.computed.get("assignee_id"), triage.reasons.get("assignee_id", []))
    computed_category = (triage.computed.get("category"), triage.reasons.get("category", []))
    if "category" in changes:
        learn_category(report, triage, changes["category"], actor.user_id)
        triage.check_category = False
    settle(triage, report, Context(hours, policy, computed_assignee, computed_category))
    after = effective(triage)
    changed = sorted(name for name in after if after[name] != before[name])
    touch_report(
        report,
        actor.user_id,
        "triage_overridden",
        reason=reason,
        fields=sorted(changes),
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
    )
    db.session.commit()
    return triage_view(actor, report.id)
