"""A management review's inputs (ISO 45001 9.3), computed from the records, in the order of the
standard's list: actions from the previous review, changes, objectives, performance, resources,
communications and opportunities for improvement. The shape is the contract of
/work/notes/reviews.md (GET /api/reviews/{id} "inputs"), in plain JSON values, so that what is
computed live for a draft and what is frozen into a held review read the same.

Rates are percents with one decimal, None when there is nothing to count. "previous" blocks are
the comparison period (Period.previous). Counts are for the sites in scope.
"""

from collections.abc import Callable
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from server.dbtypes import utcnow
from server.extensions import db
from server.nonconformities.models import ACTION_DONE, ACTION_OPEN, Action
from server.orgs.models import Site
from server.orgs.zones import local_day
from server.reports.models import KINDS
from server.reviews import figures, people_inputs, register
from server.reviews.figures import CURRENT, PREVIOUS
from server.reviews.models import HELD, Objective, Review
from server.reviews.objectives import Basis, objective_values, percent
from server.reviews.periods import Period, Scope, scope_of

# Kinds shown month by month (the incidents' trend).
TREND_KINDS = ("injury", "near_miss", "environmental_incident")

# Counts that features above reviews add to the inputs: (section, name) -> count(scope, period).
_COUNTS: dict[tuple[str, str], Callable[[Scope, Period], int]] = {}


def add_count(section: str, name: str, count: Callable[[Scope, Period], int]) -> None:
    """Let a feature above reviews count something of the period for the inputs (the reminders
    count the reminders sent); each app build registers it again, harmlessly."""
    _COUNTS[(section, name)] = count


def review_inputs(
    organization_id: int, site_ids: list[int], period_start: date, period_end: date
) -> dict:
    """The inputs of a review of these sites (empty: every site of the organization) and days."""
    scope = scope_of(organization_id, site_ids)
    period = Period(period_start, period_end)
    basis = Basis(scope, period, period.previous())
    return {
        "previous_actions": previous_actions(scope, period),
        "changes": {
            **register.changes(scope, period),
            "template_versions": figures.template_versions(scope, period),
            **people_inputs.document_changes(scope, period),
        },
        "objectives": objective_values(review_objectives(scope), basis),
        "performance": performance(basis),
        "resources": resources(scope, period),
        "communications": {
            "reminders_sent": 0,
            **_added("communications", scope, period),
            "reports_closed_with_note": figures.closed_with_note(scope, period),
        },
        "improvement_opportunities": register.opportunities(scope),
    }


def resources(scope: Scope, period: Period) -> dict:
    """The competence picture at the period's last day over: records, and internal auditors."""
    on = figures.last_day(period)
    return {
        "competences": people_inputs.competence_picture(scope, on),
        "internal_auditors": people_inputs.internal_auditors(scope, on),
    }


def _added(section: str, scope: Scope, period: Period) -> dict:
    return {
        name: count(scope, period) for (part, name), count in _COUNTS.items() if part == section
    }


def review_objectives(scope: Scope) -> list[Objective]:
    """The active objectives of the sites in scope; those of the whole organization too when
    the review covers every site of it."""
    whole = db.session.scalar(
        select(func.count()).select_from(Site).where(Site.organization_id == scope.organization_id)
    )
    covered = [Objective.site_id.in_(scope.site_ids)]
    if len(scope.site_ids) == whole:
        covered.append(Objective.site_id.is_(None))
    return list(
        db.session.scalars(
            select(Objective)
            .where(
                Objective.organization_id == scope.organization_id,
                Objective.active.is_(True),
                or_(*covered),
            )
            .order_by(Objective.site_id.is_not(None), Objective.title, Objective.pk)
        )
    )


def performance(basis: Basis) -> dict:
    """Incidents, NCs and actions, monitoring, audits and participation, beside the period
    before."""
    return {
        "incidents": incidents(basis),
        "nonconformities": figures.nonconformity_counts(basis.scope, basis.period, basis.previous),
        "actions": actions(basis),
        "monitoring": register.monitoring(basis.scope),
        "audits": audits(basis),
        "participation": participation(basis),
    }


def incidents(basis: Basis) -> dict:
    """Reports by kind in both periods, month by month in this one, and the serious ones."""
    months = [month.label() for month in basis.period.months()]
    blocks = {name: dict.fromkeys(KINDS, 0) for name in (CURRENT, PREVIOUS)}
    by_month = {month: dict.fromkeys(KINDS, 0) for month in months}
    serious = 0
    for _site_id, label, kind, count, serious_count in basis.reports:
        name = PREVIOUS if label == PREVIOUS else CURRENT
        blocks[name][kind] = blocks[name].get(kind, 0) + count
        if name == CURRENT:
            by_month[label][kind] = by_month[label].get(kind, 0) + count
            serious += int(serious_count or 0)
    for block in blocks.values():
        block["total"] = sum(block.values())
    return {
        **blocks,
        "by_month": [
            {"month": month, **counts, "total": sum(counts.values())}
            for month, counts in by_month.items()
        ],
        "serious": serious,
    }


def actions(basis: Basis) -> dict:
    """Actions due and done on time, overdue at the end; NCs effective at their first check."""
    sites = basis.scope.site_ids
    shown = {}
    for name in (CURRENT, PREVIOUS):
        totals = {
            key: sum(basis.actions.get(s, {}).get(name, {}).get(key, 0) for s in sites)
            for key in ("due", "done_on_time", "overdue_at_end")
        }
        shown[name] = {
            "due": totals["due"],
            "done_on_time": totals["done_on_time"],
            "on_time_rate": percent(totals["done_on_time"], totals["due"]),
            "overdue_at_end": totals["overdue_at_end"],
        }
    checks = {}
    for name in (CURRENT, PREVIOUS):
        checked = sum(basis.checks.get(s, {}).get(name, {}).get("checked", 0) for s in sites)
        first = sum(basis.checks.get(s, {}).get(name, {}).get("effective_first", 0) for s in sites)
        checks[name] = {
            "checked": checked,
            "effective_first": first,
            "rate": percent(first, checked),
        }
    return {**shown, "effective_first_time": checks}


def audits(basis: Basis) -> dict:
    """Audits signed off, planned and overdue in both periods with their average score; this
    period's by site and its findings by clause."""
    planned = figures.audits_planned(basis.scope, basis.period, basis.previous)
    shown = {}
    for name in (CURRENT, PREVIOUS):
        counts = [
            entry
            for per_site in basis.audits.values()
            for label, entry in per_site.items()
            if label.startswith(f"{name}:")
        ]
        shown[name] = {
            "submitted": sum(entry["submitted"] for entry in counts),
            **planned[name],
            "average_score": _average(counts),
        }
    by_site = []
    for site_id in basis.scope.site_ids:
        counts = [
            entry
            for label, entry in basis.audits.get(site_id, {}).items()
            if label.startswith(f"{CURRENT}:")
        ]
        by_site.append(
            {
                "site_id": site_id,
                "name": basis.scope.names[site_id],
                "submitted": sum(entry["submitted"] for entry in counts),
                "average_score": _average(counts),
            }
        )
    clauses = figures.findings_by_clause(basis.scope, basis.period)
    return {**shown, "by_site": by_site, "by_clause": clauses}


def _average(counts: list[dict]) -> float | None:
    scored = sum(entry["scored"] for entry in counts)
    return round(sum(entry["score_sum"] for entry in counts) / scored, 1) if scored else None


def participation(basis: Basis) -> dict:
    """Reports, the people who sent them, reports per active person and good-practice reports."""
    reporters = figures.reporters(basis.scope, basis.period, basis.previous)
    people = basis.people(basis.scope.site_ids)
    shown = {}
    for name in (CURRENT, PREVIOUS):
        reports = sum(
            count
            for _site, label, _kind, count, _serious in basis.reports
            if (label == PREVIOUS) == (name == PREVIOUS)
        )
        good = sum(
            count
            for _site, label, kind, count, _serious in basis.reports
            if (label == PREVIOUS) == (name == PREVIOUS) and kind == "good_practice"
        )
        shown[name] = {
            "reports": reports,
            "reporters": reporters[name],
            "people": people,
            "reports_per_person": round(reports / people, 2) if people else None,
            "good_practice": good,
        }
    return shown


# The previous review's actions


def previous_review(organization_id: int, period_end: date) -> Review | None:
    """The organization's last held review before a review ending on period_end: the held
    review whose period ended last before it."""
    return db.session.scalar(
        select(Review)
        .where(
            Review.organization_id == organization_id,
            Review.status == HELD,
            Review.period_end < period_end,
        )
        .order_by(Review.period_end.desc(), Review.held_on.desc(), Review.pk.desc())
        .limit(1)
    )


def previous_actions(scope: Scope, period: Period) -> list[dict]:
    """The actions the previous review decided, for the sites in scope, as they stand now."""
    earlier = previous_review(scope.organization_id, period.end)
    if earlier is None:
        return []
    found = db.session.scalars(
        select(Action)
        .where(Action.review_pk == earlier.pk, Action.site_id.in_(scope.site_ids))
        .options(selectinload(Action.owner), selectinload(Action.site))
        .order_by(Action.due_on, Action.pk)
    ).all()
    return [action_entry(action) for action in found]


def action_entry(action: Action, now=None) -> dict:
    """An action as a review lists it: owner, due day, status, when done and whether on time
    (None while open and not yet late)."""
    today = local_day(now or utcnow(), action.site.time_zone)
    if action.status == ACTION_DONE:
        on_time = local_day(action.done_at, action.site.time_zone) <= action.due_on
    elif action.status == ACTION_OPEN and action.due_on < today:
        on_time = False
    else:
        on_time = None
    owner = action.owner
    return {
        "id": str(action.id),
        "title": action.title,
        "owner": {"id": owner.id, "name": owner.name} if owner else None,
        "due_on": action.due_on.isoformat(),
        "status": action.status,
        "done_at": action.done_at.isoformat() if action.done_at else None,
        "on_time": on_time,
        "site_id": action.site_id,
    }
