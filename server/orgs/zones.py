"""Site time zones: which names are known, and where a site's local days begin in UTC.

Neither database is asked to convert times (SQLite has no time zone functions): boundaries are
worked out here, per zone, and queries compare the UTC column with them.
"""

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

DEFAULT_ZONE = "UTC"
# IANA names are at most 32 characters today; room for longer ones to come.
MAX_ZONE_NAME = 64
# Files in the zone folder that name this machine's settings, not a place.
_NOT_PLACES = frozenset({"localtime", "posixrules"})


@cache
def known_zones() -> frozenset[str]:
    """The IANA time zone names this installation knows."""
    return frozenset(available_timezones()) - _NOT_PLACES


def is_known_zone(name: str) -> bool:
    """True when name is an IANA time zone name, spelled exactly."""
    return name in known_zones()


def day_start(day: date, zone: str) -> datetime:
    """The first moment of day in zone, in UTC (after a gap at midnight: when the day begins)."""
    return datetime.combine(day, time(), ZoneInfo(zone)).astimezone(UTC)


def local_day(moment: datetime, zone: str) -> date:
    """The date in zone at moment."""
    return moment.astimezone(ZoneInfo(zone)).date()


def monday_of(day: date) -> date:
    """The Monday of day's ISO week."""
    return day - timedelta(days=day.weekday())
