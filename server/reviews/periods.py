"""A review's period and scope: its days, the period it is compared with, its months and quarters,
the sites it covers, and the SQL conditions that place a record's moment in a period.

A period is a run of whole days (inclusive) as each site's clock reads them: a moment belongs to
it when it falls between the start of its first day and the end of its last day in the time zone
of the record's site. The boundaries are worked out here, per zone (neither database is asked to
convert times), except for one comparison of a moment with a day column (an action done by its
due day), which local_day() gives each database its own way.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Date, and_, case, false, func, null, or_, select

from server.auth.access import Actor
from server.extensions import db
from server.orgs.models import Site
from server.orgs.zones import day_start

# What leadership compares with: the same length immediately before (whole months: as many
# months before); a review covers at most this many days.
MAX_DAYS = 731
SQLITE_LOCAL_DAY = "safeloop_local_day"


@dataclass(frozen=True)
class Period:
    """Whole days from start to end, both included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def whole_months(self) -> int | None:
        """How many calendar months the period spans exactly; None when it is not whole months."""
        last = calendar.monthrange(self.end.year, self.end.month)[1]
        if self.start.day != 1 or self.end.day != last:
            return None
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def previous(self) -> "Period":
        """The comparison period: as many months (or days) immediately before."""
        months = self.whole_months()
        if months is None:
            end = self.start - timedelta(days=1)
            return Period(end - timedelta(days=self.days - 1), end)
        start = _add_months(self.start, -months)
        return Period(start, self.start - timedelta(days=1))

    def months(self) -> list["Period"]:
        """The calendar months the period touches, each cut to the period."""
        return self._split(lambda day: _add_months(day.replace(day=1), 1))

    def quarters(self) -> list["Period"]:
        """The calendar quarters the period touches, each cut to the period."""
        return self._split(lambda day: _add_months(day.replace(day=1), 3 - (day.month - 1) % 3))

    def _split(self, next_start) -> list["Period"]:
        parts, day = [], self.start
        while day <= self.end:
            following = next_start(day)
            parts.append(Period(day, min(self.end, following - timedelta(days=1))))
            day = following
        return parts

    def bounds(self, zone: str) -> tuple[datetime, datetime]:
        """The period in UTC at zone: from its first moment to the first moment after it."""
        return day_start(self.start, zone), day_start(self.end + timedelta(days=1), zone)

    def label(self) -> str:
        return f"{self.start:%Y-%m}"

    def as_dict(self) -> dict:
        return {"period_start": self.start.isoformat(), "period_end": self.end.isoformat()}


def _add_months(day: date, months: int) -> date:
    """The first of the month months after day's month (day is a first of a month)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def quarter_of(day: date) -> Period:
    """The calendar quarter of a day."""
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return Period(first, _add_months(first, 3) - timedelta(days=1))


@dataclass(frozen=True)
class Scope:
    """An organization's sites that a review or an objective covers."""

    organization_id: int
    # Every site covered, by id; names and time zones beside.
    names: dict[int, str]
    zones: dict[int, str]

    @property
    def site_ids(self) -> list[int]:
        return sorted(self.names)

    def by_zone(self, site_ids: Iterable[int] | None = None) -> dict[str, list[int]]:
        """Site ids grouped by time zone (of site_ids, or of every site covered)."""
        grouped: dict[str, list[int]] = {}
        for site_id in sorted(self.names if site_ids is None else site_ids):
            grouped.setdefault(self.zones[site_id], []).append(site_id)
        return grouped

    def actor(self) -> Actor:
        """An admin of exactly these sites: reads the registers below as this scope sees them."""
        return Actor(0, 0, self.organization_id, "admin", frozenset(self.names))

    def zone(self) -> str:
        """The zone most of the sites keep (for records of no site): ties go to the first name."""
        counts: dict[str, int] = {}
        for zone in self.zones.values():
            counts[zone] = counts.get(zone, 0) + 1
        return min(counts, key=lambda zone: (-counts[zone], zone)) if counts else "UTC"


def scope_of(organization_id: int, site_ids: Iterable[int] = ()) -> Scope:
    """The scope of these sites of the organization (none given: every site of it)."""
    stmt = select(Site.id, Site.name, Site.time_zone).where(Site.organization_id == organization_id)
    wanted = list(site_ids)
    if wanted:
        stmt = stmt.where(Site.id.in_(wanted))
    rows = db.session.execute(stmt).all()
    return Scope(organization_id, {r.id: r.name for r in rows}, {r.id: r.time_zone for r in rows})


def _placed(scope: Scope, period: Period, site_column, time_column) -> list[ColumnElement]:
    """One condition per zone in scope: a record of its sites whose moment is in the period."""
    zones = scope.by_zone()
    conditions = []
    for zone, site_ids in zones.items():
        low, high = period.bounds(zone)
        during = [time_column >= low, time_column < high]
        # One zone for every site: the sites are limited by in_scope() alone.
        conditions.append(
            and_(site_column.in_(site_ids), *during) if len(zones) > 1 else and_(*during)
        )
    return conditions


def within(scope: Scope, period: Period, site_column, time_column) -> ColumnElement[bool]:
    """True for a record whose moment falls in the period at its site (of a site in scope:
    limit the sites with in_scope() beside it)."""
    return or_(false(), *_placed(scope, period, site_column, time_column))


def bucket(scope: Scope, periods: list[tuple[str, Period]], site_column, time_column):
    """The label of the first of periods [(label, Period)] the record's moment falls in at its
    site (NULL: none), to GROUP BY."""
    whens = [
        (condition, label)
        for label, period in periods
        for condition in _placed(scope, period, site_column, time_column)
    ]
    return case(*whens, else_=null()) if whens else null()


def widest(scope: Scope, periods: list[Period], time_column) -> ColumnElement[bool]:
    """The moments of any period at any zone in scope: lets an index on the moment narrow the
    rows read before each is placed."""
    edges = [p.bounds(zone) for p in periods for zone in set(scope.zones.values())]
    if not edges:
        return false()
    return and_(time_column >= min(e[0] for e in edges), time_column < max(e[1] for e in edges))


def in_scope(scope: Scope, site_column) -> ColumnElement[bool]:
    return site_column.in_(scope.site_ids) if scope.names else false()


def local_day(moment_column, zone_column) -> ColumnElement:
    """SQL: the day at zone_column's time zone at moment_column (a UTC moment).

    PostgreSQL converts with its own time zone data; SQLite, which has none, with a function of
    this module registered on the connection (zoneinfo, as the rest of the app)."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        return func.timezone(zone_column, moment_column).cast(Date)
    raw = connection.connection.driver_connection
    raw.create_function(SQLITE_LOCAL_DAY, 2, _sqlite_local_day, deterministic=True)
    return func.safeloop_local_day(moment_column, zone_column)


def _sqlite_local_day(moment: str | None, zone: str | None) -> str | None:
    """The day (YYYY-MM-DD) at zone of a moment as SQLite stores it (UTC, without offset)."""
    if moment is None or zone is None:
        return None
    utc = datetime.fromisoformat(moment).replace(tzinfo=ZoneInfo("UTC"))
    return utc.astimezone(ZoneInfo(zone)).date().isoformat()
