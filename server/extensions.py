"""Extension objects, unbound: create_app() binds them to an app."""

import sqlite3

import flask
import flask_smorest
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine

from server import web
from server.dbtypes import render_migration_type
from server.errors import ProblemSchema

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate(render_as_batch=True, compare_type=True, render_item=render_migration_type)
login_manager = LoginManager()


class Api(flask_smorest.Api):
    """flask-smorest's Api, documenting and producing our problem+json errors."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        """Leave error handling to server.errors, which covers every status."""

    def _openapi_swagger_ui(self):
        """Swagger UI, started by a script file so that the page carries no inline script."""
        spec_url = flask.url_for(f"{self._make_doc_blueprint_name()}.openapi_json")
        return web.docs_page(self.spec.title, spec_url, self._swagger_ui_url)


api = Api()


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, _record) -> None:
    """WAL for concurrent readers, foreign keys enforced, and waiting on a lock, not failing."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
