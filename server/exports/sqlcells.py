"""CSV cells and JSON values made by the database as it reads the rows, the same on SQLite and
PostgreSQL, so that Python only hands each row to the csv module (or json) as it comes.

They write what server.exports.cells writes from Python values: times as ISO 8601 in UTC to the
second (2026-11-20T08:30:00Z), yes/no, text neutralised against CSV injection (a leading
apostrophe before =, +, -, @, a tab or a carriage return, after any apostrophes already there),
photo hashes in their order separated by spaces. Numbers, days and ids are handed over as they
are: the csv module writes them as str() does, which is what cells.cell writes too.
"""

import json

from sqlalchemy import ColumnElement, Select, String, case, cast, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from server.media.models import Attachment
from server.risks.spreadsheet import FORMULA_STARTS


class moment_text(FunctionElement):  # noqa: N801 (used as a SQL function)
    """A UTC time column as text: 2026-11-20T08:30:00Z (seconds cut, as strftime does)."""

    type = String()
    inherit_cache = True


@compiles(moment_text, "postgresql")
def _moment_postgresql(element, compiler, **kw) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"to_char(({column}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"


@compiles(moment_text, "sqlite")
def _moment_sqlite(element, compiler, **kw) -> str:
    # SQLite keeps these columns as UTC text (YYYY-MM-DD HH:MM:SS.ffffff).
    return f"strftime('%Y-%m-%dT%H:%M:%SZ', {compiler.process(element.clauses, **kw)})"


class uuid_text(FunctionElement):  # noqa: N801 (used as a SQL function)
    """A UUID column as text, as str() writes it: 8-4-4-4-12 lowercase hexadecimal digits."""

    type = String()
    inherit_cache = True


@compiles(uuid_text, "postgresql")
def _uuid_postgresql(element, compiler, **kw) -> str:
    return f"CAST(({compiler.process(element.clauses, **kw)}) AS TEXT)"


@compiles(uuid_text, "sqlite")
def _uuid_sqlite(element, compiler, **kw) -> str:
    # SQLite keeps a UUID as its 32 hexadecimal digits.
    column = f"lower({compiler.process(element.clauses, **kw)})"
    parts = [f"substr({column}, {start}, {length})" for start, length in _UUID_PARTS]
    return " || '-' || ".join(parts)


_UUID_PARTS = ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))


class day_text(FunctionElement):  # noqa: N801 (used as a SQL function)
    """A Date column as text: 2026-11-20."""

    type = String()
    inherit_cache = True


@compiles(day_text, "postgresql")
def _day_postgresql(element, compiler, **kw) -> str:
    return f"to_char(({compiler.process(element.clauses, **kw)}), 'YYYY-MM-DD')"


@compiles(day_text, "sqlite")
def _day_sqlite(element, compiler, **kw) -> str:
    # SQLite keeps a day as its ISO text already.
    return f"({compiler.process(element.clauses, **kw)})"


def text_cell(column) -> ColumnElement[str]:
    """A text column as a CSV cell: with a leading apostrophe where a spreadsheet could take
    it for a formula (NULL stays NULL, which the csv module writes as nothing)."""
    # Most cells start with none of these: the first character alone rules them out.
    first = func.substr(column, 1, 1)
    after_apostrophes = func.substr(func.ltrim(column, "'"), 1, 1)
    guarded = case(
        (after_apostrophes.in_(FORMULA_STARTS), literal("'", String) + column), else_=column
    )
    return case((first.in_((*FORMULA_STARTS, "'")), guarded), else_=column)


def yes_no(column) -> ColumnElement[str]:
    """A boolean column as yes, no, or NULL."""
    return case((column.is_(True), "yes"), (column.is_(False), "no"), else_=None)


def photo_hashes(record_type: str, record_pks: Select):
    """The photos of the records record_pks selects, as a subquery of (record_pk, photos):
    each record's hashes in their order, separated by spaces; records without photos absent.

    A window keeps the order on both databases (SQLite's group_concat takes no ORDER BY); one
    row a record by DISTINCT, which PostgreSQL counts well enough to join by hash."""
    window = {"partition_by": Attachment.record_pk, "order_by": Attachment.position}
    photos = func.aggregate_strings(Attachment.sha256, " ").over(**window, rows=(None, None))
    return (
        select(Attachment.record_pk, photos.label("photos"))
        .where(Attachment.record_type == record_type, Attachment.record_pk.in_(record_pks))
        .distinct()
        .subquery()
    )


# --- whole lines ----------------------------------------------------------------------------
# A line made by the database: the csv module's own quoting (QUOTE_MINIMAL: a field holding a
# comma, a double quote, a carriage return or a line feed goes in double quotes, its quotes
# doubled), or json.dumps(..., ensure_ascii=False, separators=(",", ":")) of the row's object.


class _needs_quotes(FunctionElement):  # noqa: N801 (used as a SQL function)
    """True when a text holds a comma, a double quote, a CR or a LF."""

    inherit_cache = True


@compiles(_needs_quotes, "postgresql")
def _needs_quotes_postgresql(element, compiler, **kw) -> str:
    text = compiler.process(element.clauses, **kw)
    found = " OR ".join(f"strpos({text}, {char}) > 0" for char in _SPECIAL)
    return f"({found})"


_SPECIAL = ("'\"'", "','", "chr(13)", "chr(10)")


@compiles(_needs_quotes, "sqlite")
def _needs_quotes_sqlite(element, compiler, **kw) -> str:
    text = compiler.process(element.clauses, **kw)
    found = " OR ".join(
        f"instr({text}, {char})" for char in ("'\"'", "','", "char(13)", "char(10)")
    )
    return f"({found})"


class json_text(FunctionElement):  # noqa: N801 (used as a SQL function)
    """A text as a JSON string, as json.dumps(ensure_ascii=False) writes it (NULL for NULL)."""

    type = String()
    inherit_cache = True


@compiles(json_text, "postgresql")
def _json_text_postgresql(element, compiler, **kw) -> str:
    return f"CAST(to_json(CAST(({compiler.process(element.clauses, **kw)}) AS TEXT)) AS TEXT)"


@compiles(json_text, "sqlite")
def _json_text_sqlite(element, compiler, **kw) -> str:
    text = compiler.process(element.clauses, **kw)
    return f"CASE WHEN ({text}) IS NULL THEN NULL ELSE json_quote({text}) END"


def csv_text(column) -> ColumnElement[str]:
    """A text column as the csv module writes its cell (text_cell): in double quotes when it
    holds a comma, a double quote, a CR or a LF (an apostrophe in front changes none of that)."""
    cell = text_cell(column)
    quoted = literal('"', String) + func.replace(cell, '"', '""') + literal('"', String)
    return case((_needs_quotes(column), quoted), else_=cell)


def csv_line(cells: list) -> ColumnElement[str]:
    """One CSV line of cells, ended by CRLF: text cells from csv_text, the others (ids, times,
    numbers, yes/no, hashes: never quoted) as they are; NULL as nothing."""
    [line] = line_parts("csv", {str(n): cell for n, cell in enumerate(cells)})
    return line.label("line")


def line_parts(form: str, values: dict) -> list[ColumnElement[str]]:
    """The pieces of a line ("csv" or "json") that the database writes around the values that
    Python writes (None in values): line = parts[0] + value + parts[1] + ... + parts[-1].
    Each database value is a cell (csv_text for text) or a JSON text; NULL for nothing/null."""
    parts, piece = [], None

    def add(part) -> None:
        nonlocal piece
        piece = part if piece is None else piece + part

    for n, (name, value) in enumerate(values.items()):
        if form == "csv":
            prefix = "," if n else ""
        else:
            prefix = ("{" if n == 0 else ",") + json.dumps(name) + ":"
        if prefix:
            add(literal(prefix, String))
        if value is None:
            parts.append(piece if piece is not None else literal("", String))
            piece = None
        else:
            add(func.coalesce(value, "" if form == "csv" else "null"))
    add(literal("\r\n" if form == "csv" else "}\n", String))
    return [*parts, piece]


def number_text(column) -> ColumnElement[str]:
    """An integer column as text (NULL stays NULL)."""
    return cast(column, String)


def json_plain(text) -> ColumnElement[str]:
    """A text that needs no escaping (an id, a time) as a JSON string (NULL stays NULL)."""
    return literal('"', String) + text + literal('"', String)


def json_line(values: dict) -> ColumnElement[str]:
    """One JSON object a line: {"name":value,...} from JSON texts (NULL for null)."""
    [line] = line_parts("json", values)
    return line.label("line")


def json_bool(column) -> ColumnElement[str]:
    """A boolean column as true, false, or NULL."""
    return case((column.is_(True), "true"), (column.is_(False), "false"), else_=None)


def json_hashes(photos) -> ColumnElement[str]:
    """photo_hashes' text as a JSON list of hashes (hexadecimal digits need no escaping)."""
    listed = literal('["', String) + func.replace(photos, " ", '","') + literal('"]', String)
    return case((photos.is_(None), "[]"), else_=listed)
