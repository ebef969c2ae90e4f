"""INSERT many rows as one statement, whatever their number: the rows travel as one JSON value.

An executemany, or a multi-row VALUES, costs a statement per batch and a bound parameter per
value (psycopg parses each placeholder in Python: 100,000 rows take seconds just for that). Here
the database itself reads the rows out of one JSON array of arrays: PostgreSQL with
jsonb_array_elements, SQLite with json_each. One column may hold a list in each row (fan_out):
the row is then inserted once per item, as when one message goes to several people.
"""

import json

from sqlalchemy import Text, bindparam, cast, func, select, true
from sqlalchemy.dialects import postgresql

from server.extensions import db
from server.triage.upsert import insert_for


def _encoder(column_type, dialect):
    """A function giving a value as the column binds it on this dialect, remembered per value."""
    process = column_type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return lambda value: value
    seen: dict = {}

    def encode(value):
        if value not in seen:
            seen[value] = process(value)
        return seen[value]

    return encode


def _encoded(model, rows: list[dict], names: list[str], fan_out: str | None, dialect) -> str:
    """The rows as a JSON array of arrays, each value as its column binds it on this dialect."""
    columns = model.__table__.columns
    encoders = [_encoder(columns[name].type, dialect) for name in names]
    for index, name in enumerate(names):
        if name == fan_out:
            one = encoders[index]
            encoders[index] = lambda values, one=one: [one(value) for value in values]
    pairs = list(zip(names, encoders, strict=True))
    return json.dumps([[encode(row[name]) for name, encode in pairs] for row in rows], default=str)


def _postgresql_records(model, names: list[str], rows, fan_out: str | None):
    columns = model.__table__.columns
    records = func.jsonb_array_elements(cast(rows, postgresql.JSONB)).table_valued("value")
    fields = [records.c.value.op("->>")(index) for index in range(len(names))]
    source = records
    if fan_out:
        index = names.index(fan_out)
        items = func.jsonb_array_elements_text(records.c.value.op("->")(index))
        items = items.table_valued("value")
        fields[index] = items.c.value
        source = records.join(items, true())
    return select(
        *[cast(field, columns[name].type) for field, name in zip(fields, names, strict=True)]
    ).select_from(source)


def _sqlite_records(names: list[str], rows, fan_out: str | None):
    records = func.json_each(rows).table_valued("value")
    fields = [func.json_extract(records.c.value, f"$[{index}]") for index in range(len(names))]
    source = records
    if fan_out:
        index = names.index(fan_out)
        items = func.json_each(records.c.value, f"$[{index}]").table_valued("value")
        fields[index] = items.c.value
        source = records.join(items, true())
    # WHERE true: SQLite reads ON CONFLICT after INSERT ... SELECT only when the SELECT has one.
    return select(*fields).select_from(source).where(true())


def insert_rows(model, rows: list[dict], returning=(), conflict_columns=None, fan_out=None):
    """INSERT rows (dicts with the same keys) into model's table in one statement.

    With conflict_columns, rows that clash there are left out (ON CONFLICT DO NOTHING); the
    result has the returning columns of the rows inserted. With fan_out, that key holds a list
    in each row and the row is inserted once per item of it.
    """
    names = list(rows[0])
    dialect = db.session.get_bind().dialect
    payload = bindparam("rows", _encoded(model, rows, names, fan_out, dialect), type_=Text)
    if dialect.name == "postgresql":
        records = _postgresql_records(model, names, payload, fan_out)
    else:
        records = _sqlite_records(names, payload, fan_out)
    stmt = insert_for(model.__table__).from_select(names, records)
    if conflict_columns:
        stmt = stmt.on_conflict_do_nothing(index_elements=conflict_columns)
    if returning:
        stmt = stmt.returning(*returning)
    # On the session's connection, as plain Core: the ORM's bulk path would add nothing here.
    return db.session.connection().execute(stmt.execution_options(preserve_rowcount=True))
