"""What every bench shares: the --database-url option and a fresh database to run on."""

import argparse
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import make_url

from server import create_app
from server.extensions import db


def add_database_option(parser: argparse.ArgumentParser) -> None:
    """--database-url: run on PostgreSQL instead of the default SQLite file."""
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL URL: the bench makes a fresh database on that server and drops it "
        "at the end (default: a SQLite file in a temporary folder)",
    )


def parse_with_database(parser: argparse.ArgumentParser) -> argparse.Namespace:
    """Parse the arguments, refusing a --database-url that is not PostgreSQL."""
    args = parser.parse_args()
    if args.database_url and make_url(args.database_url).get_backend_name() != "postgresql":
        parser.error("--database-url must be a PostgreSQL URL (SQLite is the default)")
    return args


@contextmanager
def fresh_database(admin_url: str | None, folder: Path) -> Iterator[str]:
    """Yield the URL of an empty database: SQLite in folder, or a new one beside admin_url."""
    if not admin_url:
        yield f"sqlite:///{folder / 'bench.db'}"
        return
    name = f"safeloop_bench_{uuid.uuid4().hex[:12]}"
    _postgres_admin(admin_url, f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        _postgres_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _postgres_admin(admin_url: str, statement: str) -> None:
    """Run one statement outside a transaction (CREATE / DROP DATABASE need that)."""
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(sa.text(statement))
    finally:
        engine.dispose()


def bench_app(database_url: str, folder: Path, **settings) -> Flask:
    """The app on database_url, with throwaway secrets and media, and no queue unless given."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": secrets.token_urlsafe(32),
            "RATELIMIT_STORAGE_URI": "memory://",
            "MEDIA_ROOT": str(folder / "media"),
            "REDIS_URL": None,
            **settings,
        }
    )


@contextmanager
def without_indexes(app: Flask, tables: tuple, names: tuple[str, ...]) -> Iterator[None]:
    """The named indexes of these tables dropped for the duration, then made again."""
    indexes = [index for table in tables for index in table.indexes if index.name in names]
    with app.app_context():
        for index in indexes:
            index.drop(db.engine)
        db.engine.dispose()
    try:
        yield
    finally:
        with app.app_context():
            for index in indexes:
                index.create(db.engine)
            db.engine.dispose()
