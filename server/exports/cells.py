"""Records as CSV and as JSON lines: one row a record, written as it is read.

CSV is UTF-8 with a byte order mark (Excel reads a CSV without one in the computer's old code
page), CRLF line ends, one header row. Times are ISO 8601 in UTC (2026-11-20T08:30:00Z), days
YYYY-MM-DD, yes/no for true/false, photo hashes separated by spaces. A text cell starting with
=, +, -, @, a tab or a carriage return carries a leading apostrophe (OWASP's advice against CSV
injection), so no spreadsheet runs it as a formula; numbers stay numbers. JSON lines hold the
same values with their types: numbers, true/false, null, lists.
"""

import csv
import json
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime

from server.risks.spreadsheet import safe_cell

BOM = "\ufeff"
# Characters written out as they are would cut or garble a cell in some readers.
_UNWRITABLE = {0: "\ufffd"}
# Lines are gathered into pieces about this big before they are handed on.
PIECE = 64 * 1024


def moment(value: datetime) -> str:
    """A time as ISO 8601 in UTC, to the second: 2026-11-20T08:30:00Z."""
    return value.astimezone(UTC).isoformat(timespec="seconds")[:19] + "Z"


def _text(value: str) -> str:
    return value.translate(_UNWRITABLE) if "\x00" in value else value


def without_nul(text: str) -> str:
    """Text with NUL written as U+FFFD."""
    return _text(text)


def plain(value):
    """A value as JSON holds it: times and days as ISO 8601 text, ids as text."""
    kind = type(value)
    if kind is str:
        return _text(value)
    if kind is datetime:
        return moment(value)
    if kind is date:
        return value.isoformat()
    if kind is uuid.UUID:
        return str(value)
    return value


# The first characters of a text cell that need a look (safe_cell decides).
_LOOK = frozenset("=+-@\t\r'")


def _text_cell(value: str) -> str:
    value = _text(value)
    return safe_cell(value) if value[:1] in _LOOK else value


def cell(value):
    """A value as a CSV cell: numbers as they are, text neutralised, the rest as text."""
    kind = type(value)
    if kind is str:
        return _text_cell(value) if value else value
    if value is None:
        return ""
    if kind is bool:
        return "yes" if value else "no"
    if kind is int or kind is float:
        return value
    if kind is list or kind is tuple:
        return " ".join(str(plain(item)) for item in value)
    text = plain(value)
    return _text_cell(text) if isinstance(text, str) else text


class _Echo:
    """A file whose write gives back what it was given: csv.writer's rows as strings."""

    def write(self, text: str) -> str:
        return text


def _pieces(lines: Iterable[str]) -> Iterator[bytes]:
    """Lines gathered into UTF-8 pieces of about PIECE bytes (a half-emoji written as ?); the
    first line on its own, at once, so that a download starts before the rows are read."""
    lines = iter(lines)
    for first in lines:
        yield first.encode("utf-8", "replace")
        break
    gathered, size = [], 0
    for line in lines:
        gathered.append(line)
        size += len(line)
        if size >= PIECE:
            yield "".join(gathered).encode("utf-8", "replace")
            gathered, size = [], 0
    if gathered:
        yield "".join(gathered).encode("utf-8", "replace")


def csv_header(columns: tuple[str, ...]) -> str:
    """The mark and the header line."""
    return BOM + csv.writer(_Echo()).writerow(columns)


def csv_row(values: Iterable) -> str:
    """One CSV line of values, each written as cell() writes it."""
    return csv.writer(_Echo()).writerow([cell(value) for value in values])


def json_row(columns: tuple[str, ...], row: dict) -> str:
    """One JSON line of the row's columns, in order, with their types."""
    record = {name: _json_value(row[name]) for name in columns}
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def line_pieces(head: str, batches: Iterable[list[str]]) -> Iterator[bytes]:
    """Lines made already (a batch at a time) as UTF-8 pieces of about PIECE bytes or more;
    head (the CSV's header) at once, so that a download starts before the rows are read."""
    if head:
        yield head.encode("utf-8")
    gathered, size = [], 0
    for lines in batches:
        text = "".join(lines)
        gathered.append(text)
        size += len(text)
        if size >= PIECE:
            yield "".join(gathered).encode("utf-8", "replace")
            gathered, size = [], 0
    if gathered:
        yield "".join(gathered).encode("utf-8", "replace")


def json_pieces(columns: tuple[str, ...], rows: Iterable[dict]) -> Iterator[bytes]:
    """The rows as JSON lines (UTF-8, one object a line, the columns in order)."""

    def lines() -> Iterator[str]:
        for row in rows:
            yield json_row(columns, row)

    return _pieces(lines())


def _json_value(value):
    kind = type(value)
    if kind is str:
        return _text(value)
    if value is None or kind is int or kind is bool or kind is float:
        return value
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return {key: _json_value(item) for key, item in value.items()}
    return plain(value)
