"""Input fields that accept only what both databases can store: the one place for those limits.

SQLite and PostgreSQL differ at the edges: PostgreSQL refuses NUL in text and integers beyond
64 bits, both choke on text that is not valid Unicode (a lone UTF-16 surrogate, left when a phone
cuts an emoji in half), and a date in year 1 at an extreme offset has no UTC time at all. Every
schema of the API uses these fields, so a bad value is a field message, never a 500.
"""

import re
from datetime import UTC, date, datetime

import marshmallow as ma

# Signed 64-bit: what a BIGINT column and a database integer parameter hold.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# Dates a record may carry: wide enough for any real observation, storable everywhere.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 1, 1, tzinfo=UTC)
# NUL and the C0/C1 controls other than tab, line feed and carriage return; lone surrogates.
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|[\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why this text cannot be stored, or None when it can."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    if "\ud800" <= found.group() <= "\udfff":
        return "Contains a broken character (half of an emoji?): type it again."
    return f"Contains a control character (U+{ord(found.group()):04X}) that cannot be stored."


class Text(ma.fields.String):
    """A string that both databases can store as it is."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        problem = text_problem(text)
        if problem:
            raise ma.ValidationError(problem)
        return text


class Integer(ma.fields.Integer):
    """An integer within 64 bits (strict by default: 3.0 and "3" are not integers in JSON)."""

    def __init__(self, *args, strict: bool = True, **kwargs):
        super().__init__(*args, strict=strict, **kwargs)

    def _validated(self, value):
        number = super()._validated(value)
        if not INT64_MIN <= number <= INT64_MAX:
            raise ma.ValidationError("Is out of range.")
        return number


class QueryInteger(Integer):
    """An integer from a query string, where every value arrives as text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, strict=False, **kwargs)

    def _validated(self, value):
        # int() takes non-ASCII digits ("١٢") and 5,000-digit strings; the API takes neither.
        if isinstance(value, str) and not re.fullmatch(r"-?[0-9]{1,19}", value):
            raise ma.ValidationError("Not a valid integer.")
        return super()._validated(value)


class AwareDateTime(ma.fields.AwareDateTime):
    """An ISO 8601 time with its offset, between 1900 and 9999 in UTC."""

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            in_utc = moment.astimezone(UTC)
        except (OverflowError, ValueError):
            raise ma.ValidationError("Is outside the dates this system keeps.") from None
        if not EARLIEST <= in_utc < LATEST:
            raise ma.ValidationError("Is outside the dates this system keeps (1900 to 9998).")
        return moment


EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(9998, 12, 31)


class Day(ma.fields.Date):
    """A calendar day (YYYY-MM-DD) between 1900 and 9998."""

    def _deserialize(self, value, attr, data, **kwargs) -> date:
        day = super()._deserialize(value, attr, data, **kwargs)
        if not EARLIEST_DAY <= day <= LATEST_DAY:
            raise ma.ValidationError("Is outside the dates this system keeps (1900 to 9998).")
        return day


# Row ids and other integer columns are INTEGER (32-bit) on PostgreSQL; a larger bound value
# fails the query itself ("integer out of range"), so an id is refused before it gets there.
ID_MIN, ID_MAX = -(2**31), 2**31 - 1


class Id(Integer):
    """A row id, or any value compared with an integer column: within 32 bits."""

    def _validated(self, value):
        number = super()._validated(value)
        if not ID_MIN <= number <= ID_MAX:
            raise ma.ValidationError("Is out of range.")
        return number


class QueryId(QueryInteger):
    """A row id from a query string: ASCII digits, within 32 bits."""

    def _validated(self, value):
        number = super()._validated(value)
        if not ID_MIN <= number <= ID_MAX:
            raise ma.ValidationError("Is out of range.")
        return number
