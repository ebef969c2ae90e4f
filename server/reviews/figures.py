"""The figures of a review's inputs, counted by the database: each function is one or two
grouped queries over a scope and the period beside its comparison period, whatever the number
of records. Counts by site come back per site, so that objectives of one site and the review
of many read the same rows.

A record's moment is placed in a period at its site's time zone (server.reviews.periods). Each
grouped query groups an inner query's plain columns: PostgreSQL does not match a CASE with bound
values in SELECT to the same CASE in GROUP BY.
"""

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import and_, case, distinct, false, func, or_, select

from server.audits.models import CANCELLED as AUDIT_CANCELLED
from server.audits.models import (
    MAJOR_NC,
    MINOR_NC,
    OBSERVATION,
    SUBMITTED,
    Audit,
    AuditResponse,
    AuditTemplate,
    AuditTemplateVersion,
)
from server.auth.models import Membership, User, membership_site
from server.dbtypes import utcnow
from server.extensions import db
from server.nonconformities.models import (
    ACTION_CANCELLED,
    ACTION_DONE,
    ACTION_OPEN,
    CANCELLED,
    Action,
    Nonconformity,
)
from server.orgs.models import Site
from server.reports.models import Report
from server.reviews.periods import Period, Scope, bucket, in_scope, local_day, widest, within

CURRENT, PREVIOUS = "current", "previous"
# Incidents that count as serious when rated Major or Catastrophic (severity 4 or 5).
SERIOUS_KINDS = ("injury", "near_miss", "environmental_incident")
SERIOUS_SEVERITY = 4


def _periods(period: Period, previous: Period) -> list[tuple[str, Period]]:
    return [(CURRENT, period), (PREVIOUS, previous)]


def last_day(period: Period, today: date | None = None) -> date:
    """The last day of the period that is over (yesterday, for a period still running)."""
    yesterday = (today or utcnow().date()) - timedelta(days=1)
    return min(period.end, yesterday)


# Reports


def report_counts(scope: Scope, period: Period, previous: Period) -> list[tuple]:
    """(site_id, bucket, kind, reports, serious ones): bucket is "previous" or the month
    (YYYY-MM) of the current period."""
    labels = [(PREVIOUS, previous), *((month.label(), month) for month in period.months())]
    serious = and_(Report.kind.in_(SERIOUS_KINDS), Report.severity >= SERIOUS_SEVERITY)
    inner = (
        select(
            Report.site_id,
            bucket(scope, labels, Report.site_id, Report.observed_at).label("bucket"),
            Report.kind,
            case((serious, 1), else_=0).label("serious"),
        )
        .where(
            Report.organization_id == scope.organization_id,
            in_scope(scope, Report.site_id),
            widest(scope, [previous, period], Report.observed_at),
        )
        .subquery()
    )
    rows = db.session.execute(
        select(
            inner.c.site_id, inner.c.bucket, inner.c.kind, func.count(), func.sum(inner.c.serious)
        )
        .where(inner.c.bucket.is_not(None))
        .group_by(inner.c.site_id, inner.c.bucket, inner.c.kind)
    )
    return [tuple(row) for row in rows]


def reporters(scope: Scope, period: Period, previous: Period) -> dict[str, int]:
    """How many people sent a report, in each period."""
    inner = (
        select(
            bucket(scope, _periods(period, previous), Report.site_id, Report.observed_at).label(
                "bucket"
            ),
            Report.reporter_id,
        )
        .where(
            Report.organization_id == scope.organization_id,
            in_scope(scope, Report.site_id),
            widest(scope, [previous, period], Report.observed_at),
        )
        .subquery()
    )
    rows = db.session.execute(
        select(inner.c.bucket, func.count(distinct(inner.c.reporter_id)))
        .where(inner.c.bucket.is_not(None))
        .group_by(inner.c.bucket)
    )
    return {CURRENT: 0, PREVIOUS: 0} | {name: count for name, count in rows}


def people(organization_id: int, site_ids: list[int]) -> int:
    """Active members of the organization who cover at least one of these sites (a member
    limited to no site covers them all)."""
    limits = select(membership_site.c.site_id).where(
        membership_site.c.membership_id == Membership.id
    )
    covering = or_(~limits.exists(), limits.where(membership_site.c.site_id.in_(site_ids)).exists())
    return db.session.scalar(
        select(func.count())
        .select_from(Membership)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.organization_id == organization_id,
            Membership.active.is_(True),
            User.active.is_(True),
            covering,
        )
    )


def closed_with_note(scope: Scope, period: Period) -> int:
    """Reports closed in the period with a note to the reporter."""
    return db.session.scalar(
        select(func.count())
        .select_from(Report)
        .where(
            Report.organization_id == scope.organization_id,
            in_scope(scope, Report.site_id),
            widest(scope, [period], Report.closed_at),
            within(scope, period, Report.site_id, Report.closed_at),
            Report.status == "closed",
            Report.status_note.is_not(None),
            Report.status_note != "",
        )
    )


# Actions and nonconformities


def action_counts(scope: Scope, period: Period, previous: Period) -> dict[int, dict]:
    """Per site and period: actions due (not cancelled), those done by their due day (the day
    at the site), and those overdue at the period's end (its last day that is over)."""
    done_day = local_day(Action.done_at, Site.time_zone)
    on_time = and_(Action.status == ACTION_DONE, done_day <= Action.due_on)
    columns = []
    for name, part in _periods(period, previous):
        due = Action.due_on.between(part.start, part.end)
        end = last_day(part)
        overdue = and_(
            Action.due_on <= end,
            or_(Action.status == ACTION_OPEN, done_day > end),
        )
        columns += [
            func.count(case((due, 1))).label(f"{name}_due"),
            func.count(case((and_(due, on_time), 1))).label(f"{name}_on_time"),
            func.count(case((overdue, 1))).label(f"{name}_overdue"),
        ]
    rows = db.session.execute(
        select(Action.site_id, *columns)
        .join(Site, Site.id == Action.site_id)
        .where(
            Action.organization_id == scope.organization_id,
            in_scope(scope, Action.site_id),
            Action.status != ACTION_CANCELLED,
            Action.due_on <= period.end,
        )
        .group_by(Action.site_id)
    )
    return {
        row.site_id: {
            name: {
                "due": getattr(row, f"{name}_due"),
                "done_on_time": getattr(row, f"{name}_on_time"),
                "overdue_at_end": getattr(row, f"{name}_overdue"),
            }
            for name in (CURRENT, PREVIOUS)
        }
        for row in rows
    }


def check_counts(scope: Scope, period: Period, previous: Period) -> dict[int, dict]:
    """Per site and period: NCs whose (latest) effectiveness check fell in it, and those found
    effective at their first check (checked once, effective)."""
    first_time = and_(Nonconformity.checks == 1, Nonconformity.effective.is_(True))
    inner = (
        select(
            Nonconformity.site_id,
            bucket(
                scope,
                _periods(period, previous),
                Nonconformity.site_id,
                Nonconformity.verified_at,
            ).label("bucket"),
            case((first_time, 1), else_=0).label("first_time"),
        )
        .where(
            Nonconformity.organization_id == scope.organization_id,
            in_scope(scope, Nonconformity.site_id),
            widest(scope, [previous, period], Nonconformity.verified_at),
        )
        .subquery()
    )
    rows = db.session.execute(
        select(inner.c.site_id, inner.c.bucket, func.count(), func.sum(inner.c.first_time))
        .where(inner.c.bucket.is_not(None))
        .group_by(inner.c.site_id, inner.c.bucket)
    )
    found: dict[int, dict] = defaultdict(dict)
    for site_id, name, checked, first in rows:
        found[site_id][name] = {"checked": checked, "effective_first": int(first or 0)}
    return found


def nonconformity_counts(scope: Scope, period: Period, previous: Period) -> dict:
    """Per period: NCs raised (by severity and source), closed, and open at its end."""
    periods = _periods(period, previous)
    open_at = {}
    for name, part in periods:
        before_end = _before_end(scope, part, Nonconformity.site_id)
        still_open = and_(
            before_end(Nonconformity.created_at), ~before_end(Nonconformity.closed_at)
        )
        open_at[name] = case((still_open, 1), else_=0).label(f"open_{name}")
    inner = (
        select(
            bucket(scope, periods, Nonconformity.site_id, Nonconformity.created_at).label("raised"),
            bucket(scope, periods, Nonconformity.site_id, Nonconformity.closed_at).label("closed"),
            Nonconformity.severity,
            Nonconformity.source,
            *open_at.values(),
        )
        .where(
            Nonconformity.organization_id == scope.organization_id,
            in_scope(scope, Nonconformity.site_id),
            Nonconformity.status != CANCELLED,
            Nonconformity.created_at < max(period.bounds(z)[1] for z in _zones(scope)),
        )
        .subquery()
    )
    rows = db.session.execute(
        select(
            inner.c.raised,
            inner.c.closed,
            inner.c.severity,
            inner.c.source,
            func.count(),
            *(func.sum(inner.c[f"open_{name}"]) for name, _part in periods),
        ).group_by(inner.c.raised, inner.c.closed, inner.c.severity, inner.c.source)
    )
    counts = {name: _nc_block() for name, _part in periods}
    for raised, closed, severity, source, count, open_current, open_previous in rows:
        if raised is not None:
            block = counts[raised]
            block["raised"] += count
            block[severity] = block.get(severity, 0) + count
            block["by_source"][source] = block["by_source"].get(source, 0) + count
        if closed is not None:
            counts[closed]["closed"] += count
        counts[CURRENT]["open_at_end"] += int(open_current or 0)
        counts[PREVIOUS]["open_at_end"] += int(open_previous or 0)
    return counts


def _nc_block() -> dict:
    return {"raised": 0, "major": 0, "minor": 0, "closed": 0, "open_at_end": 0, "by_source": {}}


def _zones(scope: Scope) -> list[str]:
    return sorted(set(scope.zones.values())) or ["UTC"]


def _before_end(scope: Scope, period: Period, site_column):
    """A function of a moment column: true when the moment is set and before the period's end
    at the record's site."""
    zones = scope.by_zone()

    def before_end(moment):
        parts = [
            and_(site_column.in_(ids), moment < period.bounds(zone)[1])
            if len(zones) > 1
            else moment < period.bounds(zone)[1]
            for zone, ids in zones.items()
        ]
        return and_(moment.is_not(None), or_(false(), *parts))

    return before_end


# Audits


def audits_submitted(scope: Scope, period: Period, previous: Period) -> dict[int, dict]:
    """Per site: audits signed off in each quarter of both periods, with their scores summed.

    Buckets are "current:N" and "previous:N" for the Nth quarter (from 0) of each period."""
    labels = [
        (f"{name}:{number}", quarter)
        for name, part in _periods(period, previous)
        for number, quarter in enumerate(part.quarters())
    ]
    inner = (
        select(
            Audit.site_id,
            bucket(scope, labels, Audit.site_id, Audit.submitted_at).label("bucket"),
            Audit.score,
        )
        .where(
            Audit.organization_id == scope.organization_id,
            in_scope(scope, Audit.site_id),
            Audit.status == SUBMITTED,
            widest(scope, [previous, period], Audit.submitted_at),
        )
        .subquery()
    )
    rows = db.session.execute(
        select(
            inner.c.site_id,
            inner.c.bucket,
            func.count(),
            func.count(inner.c.score),
            func.sum(inner.c.score),
        )
        .where(inner.c.bucket.is_not(None))
        .group_by(inner.c.site_id, inner.c.bucket)
    )
    found: dict[int, dict] = defaultdict(dict)
    for site_id, label, count, scored, total in rows:
        found[site_id][label] = {"submitted": count, "scored": scored, "score_sum": total or 0.0}
    return found


def audits_planned(scope: Scope, period: Period, previous: Period) -> dict[str, dict]:
    """Per period: audits planned for a day in it (not cancelled), and those of them whose day
    is over and that were not signed off by the period's end."""
    columns = []
    for name, part in _periods(period, previous):
        planned = Audit.due_on.between(part.start, part.end)
        signed = and_(
            Audit.status == SUBMITTED, _before_end(scope, part, Audit.site_id)(Audit.submitted_at)
        )
        late = and_(planned, Audit.due_on <= last_day(part), ~signed)
        columns += [
            func.count(case((planned, 1))).label(f"{name}_planned"),
            func.count(case((late, 1))).label(f"{name}_overdue"),
        ]
    row = db.session.execute(
        select(*columns).where(
            Audit.organization_id == scope.organization_id,
            in_scope(scope, Audit.site_id),
            Audit.status != AUDIT_CANCELLED,
            Audit.due_on.between(previous.start, period.end),
        )
    ).one()
    return {
        name: {
            "planned": getattr(row, f"{name}_planned"),
            "overdue": getattr(row, f"{name}_overdue"),
        }
        for name in (CURRENT, PREVIOUS)
    }


def findings_by_clause(scope: Scope, period: Period) -> list[dict]:
    """The answers that count (each question's latest) of the audits signed off in the period,
    by clause: minor and major NCs and observations, most NCs first, then in clause order."""
    latest = func.row_number().over(
        partition_by=(AuditResponse.audit_pk, AuditResponse.question_id),
        order_by=(AuditResponse.answered_at.desc(), AuditResponse.pk.desc()),
    )
    inner = (
        select(AuditResponse.clause, AuditResponse.result, latest.label("rank"))
        .join(Audit, Audit.pk == AuditResponse.audit_pk)
        .where(
            Audit.organization_id == scope.organization_id,
            in_scope(scope, Audit.site_id),
            Audit.status == SUBMITTED,
            widest(scope, [period], Audit.submitted_at),
            within(scope, period, Audit.site_id, Audit.submitted_at),
        )
        .subquery()
    )
    rows = db.session.execute(
        select(inner.c.clause, inner.c.result, func.count())
        .where(inner.c.rank == 1, inner.c.result.in_((MINOR_NC, MAJOR_NC, OBSERVATION)))
        .group_by(inner.c.clause, inner.c.result)
    )
    clauses: dict[str, dict] = {}
    for clause, result, count in rows:
        entry = clauses.setdefault(
            clause, {"clause": clause, MINOR_NC: 0, MAJOR_NC: 0, OBSERVATION: 0}
        )
        entry[result] = count
    return sorted(
        clauses.values(),
        key=lambda e: (-(e[MAJOR_NC] + e[MINOR_NC]), _clause_key(e["clause"])),
    )


def _clause_key(clause: str) -> tuple:
    """8.1.2 before 8.10: clause numbers compared part by part."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in clause.split(".")
    )


def template_versions(scope: Scope, period: Period) -> list[dict]:
    """Audit template versions made in the period (new templates and changed ones)."""
    low, high = period.bounds(scope.zone())
    rows = db.session.execute(
        select(AuditTemplateVersion.name, AuditTemplateVersion.version)
        .join(AuditTemplate, AuditTemplate.pk == AuditTemplateVersion.template_pk)
        .where(
            AuditTemplate.organization_id == scope.organization_id,
            AuditTemplateVersion.created_at >= low,
            AuditTemplateVersion.created_at < high,
        )
        .order_by(AuditTemplateVersion.name, AuditTemplateVersion.version)
    )
    return [{"name": name, "version": version} for name, version in rows]
