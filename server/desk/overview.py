"""The officer's overview: open reports by risk and status, weekly trend, overdue P1/P2 items.

Every figure is grouped or counted by the database; Python only lays out the few groups.
"""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Date, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from server.auth.access import Actor
from server.auth.models import User
from server.desk.services import IS_OPEN, OPEN_STATUSES
from server.extensions import db
from server.orgs.models import Site
from server.reports.models import AWAITING_TRIAGE, QUEUE_PRIORITIES, RISK_BANDS, Report
from server.triage.models import Triage
from server.triage.rules import CATEGORY_LABELS
from server.triage.vocabulary import UNCATEGORISED

WEEKS = 12
OVERDUE_SHOWN = 50
OVERDUE_PRIORITIES = ("P1", "P2")
# Worst first; None: awaiting triage.
BANDS = (*reversed([band for _ceiling, band in RISK_BANDS]), None)
OVERDUE_FIELDS = ("id", "description", "site_name", "priority", "due_at", "assignee_name")


class week_start(FunctionElement):  # noqa: N801 (a SQL function, named like one)
    """The Monday (UTC) of the ISO week of a timestamp, as a date."""

    type = Date()
    name = "week_start"
    inherit_cache = True


@compiles(week_start, "sqlite")
def _week_start_sqlite(element, compiler, **kw) -> str:
    # Back six days, then forward to the next Monday: the Monday on or before the day.
    return f"date({compiler.process(element.clauses, **kw)}, '-6 days', 'weekday 1')"


@compiles(week_start, "postgresql")
def _week_start_postgresql(element, compiler, **kw) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"CAST(date_trunc('week', {column} AT TIME ZONE 'UTC') AS DATE)"


def overview(actor: Actor, now: datetime) -> dict:
    """The overview of the reports the actor may see, as of now."""
    return {
        **open_counts(actor),
        "weekly": weekly_by_category(actor, now),
        "overdue": overdue(actor, now),
    }


def _band() -> case:
    """The effective risk band from the queue columns (None while awaiting triage)."""
    # queue_risk is the negated score: score <= ceiling is queue_risk >= -ceiling.
    return case(
        (Report.queue_priority == AWAITING_TRIAGE, None),
        *((Report.queue_risk >= -ceiling, band) for ceiling, band in RISK_BANDS),
    )


def open_counts(actor: Actor) -> dict:
    """Open (not closed) reports: the total, by risk band and by status, zeros included."""
    band = _band().label("band")
    rows = db.session.execute(
        actor.scope(select(Report.status, band, func.count()), Report)
        .where(IS_OPEN)
        .group_by(Report.status, band)
    ).all()
    by_band, by_status = dict.fromkeys(BANDS, 0), dict.fromkeys(OPEN_STATUSES, 0)
    for status, band_name, count in rows:
        by_band[band_name] += count
        by_status[status] += count
    return {
        "open_total": sum(by_status.values()),
        "open_by_risk_band": [{"risk_band": b, "count": n} for b, n in by_band.items()],
        "open_by_status": [{"status": s, "count": n} for s, n in by_status.items()],
    }


def week_starts(now: datetime) -> list[date]:
    """The Mondays of the last WEEKS ISO weeks (UTC), oldest first, this week last."""
    today = now.astimezone(UTC).date()
    this_week = today - timedelta(days=today.weekday())
    return [this_week - timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]


def weekly_by_category(actor: Actor, now: datetime) -> dict:
    """Reports observed in each of the last WEEKS weeks, by triage category."""
    weeks = week_starts(now)
    start = datetime.combine(weeks[0], time(), UTC)
    week = week_start(Report.observed_at).label("week")
    rows = db.session.execute(
        actor.scope(select(week, Report.queue_category, func.count()), Report)
        .where(Report.observed_at >= start, Report.observed_at < start + timedelta(weeks=WEEKS))
        .group_by(week, Report.queue_category)
    ).all()
    counts: dict[tuple[date, str], int] = {}
    for week_day, category, count in rows:
        key = (_as_date(week_day), category or UNCATEGORISED)
        counts[key] = counts.get(key, 0) + count
    return _weekly_layout(weeks, counts)


def _as_date(value) -> date:
    """A date from the week column (some drivers give a string)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def _weekly_layout(weeks: list[date], counts: dict[tuple[date, str], int]) -> dict:
    """The weeks, and a count per week for each category seen in them (zeros included)."""
    slugs = sorted({category for _week, category in counts})
    return {
        "weeks": weeks,
        "categories": [
            {
                "category": slug,
                "label": CATEGORY_LABELS.get(slug, slug),
                "counts": [counts.get((week, slug), 0) for week in weeks],
            }
            for slug in slugs
        ],
    }


def overdue(actor: Actor, now: datetime) -> dict:
    """Open P1/P2 reports past their effective due date: the oldest due first, and the count."""
    priorities = [QUEUE_PRIORITIES[p] for p in OVERDUE_PRIORITIES]
    # The first ones and the count, on the report row alone; only those are joined to the rest.
    first = (
        actor.scope(select(Report.pk, func.count().over().label("total")), Report)
        .where(IS_OPEN, Report.queue_priority.in_(priorities), Report.queue_due_at < now)
        .order_by(Report.queue_due_at, Report.pk)
        .limit(OVERDUE_SHOWN)
        .subquery()
    )
    rows = db.session.execute(
        select(first.c.total, Report.id, Report.description, Site.name)
        .add_columns(Triage.priority, Triage.due_at, User.name)
        .join(first, first.c.pk == Report.pk)
        .join(Site, Site.id == Report.site_id)
        .join(Triage, Triage.report_pk == Report.pk)
        .outerjoin(User, User.id == Triage.assignee_id)
        .order_by(Report.queue_due_at, Report.pk)
    ).all()
    items = [dict(zip(OVERDUE_FIELDS, row[1:], strict=True)) for row in rows]
    return {"total": rows[0].total if rows else 0, "items": items}
