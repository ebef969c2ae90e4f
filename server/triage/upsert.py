"""INSERT ... ON CONFLICT, in the dialect of the session's database."""

from sqlalchemy.dialects import postgresql, sqlite

from server.extensions import db


def insert_for(model):
    """An INSERT into model's table that can say ON CONFLICT (SQLite and PostgreSQL alike)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)
