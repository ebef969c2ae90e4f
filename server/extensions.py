"""Extension objects, unbound: create_app() binds them to an app."""

import http
import sqlite3
import threading

import flask
import flask_smorest
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine

from server import apidoc, web
from server.dbtypes import render_migration_type
from server.errors import PROBLEM_MIMETYPE, ProblemSchema

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
    """flask-smorest's Api, documenting and producing our problem+json errors.

    Documenting the views is most of what building an app costs, and only the docs and the
    `flask openapi` commands read the spec: so a blueprint's routes are registered at once and
    its views documented when the spec is first read.
    """

    ERROR_SCHEMA = ProblemSchema

    def __init__(self, *args, **kwargs):
        self._undocumented = []
        self._documenting = threading.Lock()
        super().__init__(*args, **kwargs)

    @property
    def spec(self):
        with self._documenting:
            while self._undocumented:
                blueprint, name, parameters = self._undocumented[0]
                # What flask_smorest.Api.register_blueprint documents, done on first read.
                blueprint.register_views_in_doc(
                    self, self._app, self._spec, name=name, parameters=parameters
                )
                self._spec.tag({"name": name, "description": blueprint.description})
                # Taken off only once documented: a failure shows on every read, never a part.
                self._undocumented.pop(0)
        return self._spec

    @spec.setter
    def spec(self, value):
        self._spec = value

    def register_blueprint(self, blp, *, parameters=None, **options):
        """Register the blueprint's routes now; document its views when the spec is read."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))

    def _register_error_handlers(self):
        """Leave error handling to server.errors, which covers every status."""

    def _init_spec(self, *, extra_plugins=(), **kwargs):
        """The spec, documenting the limits of the shared field types and request guards."""
        plugins = [*extra_plugins, apidoc.StorableQueryText()]
        super()._init_spec(extra_plugins=plugins, **kwargs)
        self.ma_plugin.converter.add_attribute_function(apidoc.storable_field_limits)

    def _register_responses(self):
        """Document every error response as application/problem+json, as it is sent."""
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 200 and status not in (204, 304):
                response["content"] = {PROBLEM_MIMETYPE: {"schema": self.ERROR_SCHEMA}}
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "Default error response"}
        default["content"] = {PROBLEM_MIMETYPE: {"schema": self.ERROR_SCHEMA}}
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, default, lazy=True)

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
