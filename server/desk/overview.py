"""The officer's overview: open reports by risk and status, weekly trend, overdue P1/P2 items,
open and overdue actions, and how often NCs closed effective on their first check.

Every figure is grouped or counted by the database; Python only lays out the few groups.
"""

from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, false, func, or_, select

from server.auth.access import Actor
from server.auth.models import User
from server.desk.services import IS_OPEN, OPEN_STATUSES, in_zone_ranges
from server.extensions import db
from server.nonconformities.models import ACTION_OPEN, CANCELLED, CLOSED, Action, Nonconformity
from server.orgs.models import Site
from server.orgs.zones import DEFAULT_ZONE, day_start, local_day, monday_of
from server.reports.models import AWAITING_TRIAGE, QUEUE_PRIORITIES, RISK_BANDS, Report
from server.sites.services import sites_by_zone
from server.triage.models import Triage
from server.triage.rules import CATEGORY_LABELS
from server.triage.vocabulary import UNCATEGORISED

WEEKS = 12
OVERDUE_SHOWN = 50
OVERDUE_PRIORITIES = ("P1", "P2")
# Worst first; None: awaiting triage.
BANDS = (*reversed([band for _ceiling, band in RISK_BANDS]), None)
OVERDUE_FIELDS = (
    "id",
    "description",
    "site_name",
    "site_time_zone",
    "priority",
    "due_at",
    "assignee_name",
)


def overview(actor: Actor, now: datetime) -> dict:
    """The overview of the reports the actor may see, as of now."""
    return {
        **open_counts(actor),
        "weekly": weekly_by_category(actor, now),
        "overdue": overdue(actor, now),
        "actions": action_counts(actor, now),
        "nonconformities": nonconformity_counts(actor),
    }


def action_counts(actor: Actor, now: datetime) -> dict:
    """Open actions, and those past their due day as the clock at their site reads it."""
    late = or_(
        false(),
        *(
            and_(Action.site_id.in_(ids), Action.due_on < local_day(now, zone))
            for zone, ids in sites_by_zone(actor).items()
        ),
    )
    open_total, overdue_total = db.session.execute(
        actor.scope(select(func.count(), func.count(case((late, 1)))), Action).where(
            Action.status == ACTION_OPEN
        )
    ).one()
    return {"open": open_total, "overdue": overdue_total}


def nonconformity_counts(actor: Actor) -> dict:
    """NCs open and closed, and the share of closed ones found effective on their first check."""
    closed = Nonconformity.status == CLOSED
    first_time = and_(closed, Nonconformity.checks == 1)
    open_total, closed_total, first_total = db.session.execute(
        actor.scope(
            select(
                func.count(case((Nonconformity.status.not_in((CLOSED, CANCELLED)), 1))),
                func.count(case((closed, 1))),
                func.count(case((first_time, 1))),
            ),
            Nonconformity,
        )
    ).one()
    return {
        "open": open_total,
        "closed": closed_total,
        "closed_effective_first_check": first_total,
        "effective_first_check_share": round(first_total / closed_total, 3)
        if closed_total
        else None,
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


def week_starts(now: datetime, zones: list[str]) -> list[date]:
    """The Mondays of the last WEEKS weeks, oldest first; last, this week where it began first."""
    this_week = max(monday_of(local_day(now, zone)) for zone in zones)
    return [this_week - timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]


def weekly_by_category(actor: Actor, now: datetime) -> dict:
    """Reports observed in each of the last WEEKS weeks, by triage category.

    A week begins Monday 00:00 in the time zone of the report's site: the boundaries are
    worked out per zone and compared with the UTC column, on both databases alike.
    """
    zones = sites_by_zone(actor) or {DEFAULT_ZONE: []}
    weeks = week_starts(now, list(zones))
    edges = {
        zone: [day_start(w, zone) for w in (*weeks, weeks[-1] + timedelta(weeks=1))]
        for zone in zones
    }
    week = _week_index(zones, edges).label("week")
    observed = (
        actor.scope(select(week, Report.queue_category.label("category")), Report)
        .where(in_zone_ranges(zones, {zone: (e[0], e[-1]) for zone, e in edges.items()}))
        .subquery()
    )
    # Grouped outside: PostgreSQL would not match the boundaries bound twice in one SELECT.
    rows = db.session.execute(
        select(observed.c.week, observed.c.category, func.count()).group_by(
            observed.c.week, observed.c.category
        )
    ).all()
    counts: dict[tuple[date, str], int] = {}
    for index, category, count in rows:
        key = (weeks[index], category or UNCATEGORISED)
        counts[key] = counts.get(key, 0) + count
    return _weekly_layout(weeks, counts)


def _of_zone(zones: dict[str, list[int]], zone: str) -> list[ColumnElement[bool]]:
    """The condition that a report is of a site in zone (none needed when one zone covers all)."""
    return [Report.site_id.in_(zones[zone])] if len(zones) > 1 else []


def _week_index(zones: dict[str, list[int]], edges: dict[str, list[datetime]]) -> case:
    """The number of a report's week (0: the oldest), by its site's zone."""
    return case(
        *(
            (and_(*_of_zone(zones, zone), Report.observed_at < end), index)
            for zone, zone_edges in edges.items()
            for index, end in enumerate(zone_edges[1:])
        )
    )


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
        select(first.c.total, Report.id, Report.description, Site.name, Site.time_zone)
        .add_columns(Triage.priority, Triage.due_at, User.name)
        .join(first, first.c.pk == Report.pk)
        .join(Site, Site.id == Report.site_id)
        .join(Triage, Triage.report_pk == Report.pk)
        .outerjoin(User, User.id == Triage.assignee_id)
        .order_by(Report.queue_due_at, Report.pk)
    ).all()
    items = [dict(zip(OVERDUE_FIELDS, row[1:], strict=True)) for row in rows]
    return {"total": rows[0].total if rows else 0, "items": items}
