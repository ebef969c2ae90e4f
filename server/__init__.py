"""Safeloop: the Flask application factory."""

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

# First: an action names its management review by the model's name (Action.review), and features
# below build queries as they are imported, which needs every model named to be defined.
import server.reviews.models  # noqa: F401
from server import config, csrf, errors, headers, inputs, web
from server.audits import registration as audits_registration
from server.audits.routes import blp as audits_blp
from server.audits.schedule_routes import schedules_blp
from server.audits.template_routes import templates_blp
from server.auth.cli import users_cli
from server.auth.routes import blp as auth_blp
from server.auth.routes import users_blp
from server.auth.throttle import login_throttle
from server.demo import seed_demo_command
from server.desk.routes import blp as desk_blp
from server.documents import registration as documents_registration
from server.documents.routes import blp as documents_blp
from server.events.cli import events_cli
from server.events.routes import blp as events_blp
from server.events.verify import verify_due_chains
from server.exports import registration as exports_registration
from server.exports.routes import blp as exports_blp
from server.extensions import Api, db, login_manager, migrate
from server.ishikawa import registration as ishikawa_registration
from server.ishikawa.routes import blp as analysis_blp
from server.jobs import relay
from server.jobs.registry import register_sweep_task
from server.jobs.routes import blp as jobs_blp
from server.lists import blp as lists_blp
from server.media.routes import blp as photos_blp
from server.nonconformities import registration as nonconformities_registration
from server.nonconformities.routes import actions_blp
from server.nonconformities.routes import blp as nonconformities_blp
from server.nonconformities.routes import report_blp as report_nonconformity_blp
from server.people import registration as people_registration
from server.people.routes import competences_blp
from server.reminders import registration as reminders_registration
from server.reminders.routes import blp as notifications_blp
from server.reports import registration as reports_registration
from server.reports.routes import blp as reports_blp
from server.reviews import registration as reviews_registration
from server.reviews.pack_routes import blp as review_pack_blp
from server.reviews.routes import blp as reviews_blp
from server.reviews.routes import objectives_blp
from server.risks import registration as risks_registration
from server.risks.csv_routes import csv_blp as risks_csv_blp
from server.risks.link_routes import links_blp as risk_links_blp
from server.risks.routes import blp as risks_blp
from server.serve import serve_command
from server.sites.routes import blp as sites_blp
from server.sync.routes import blp as sync_blp
from server.triage import registration as triage_registration
from server.triage.routes import blp as triage_blp
from server.triage.routes import categories_blp
from server.worker import worker_command

# Each feature hands the ground its record types, sync lists, feed, jobs and sweep tasks.
FEATURES = (
    documents_registration,
    people_registration,
    reports_registration,
    triage_registration,
    ishikawa_registration,
    nonconformities_registration,
    reminders_registration,
    audits_registration,
    risks_registration,
    reviews_registration,
    exports_registration,
)
API_BLUEPRINTS = (
    auth_blp,
    sites_blp,
    photos_blp,
    reports_blp,
    sync_blp,
    triage_blp,
    analysis_blp,
    jobs_blp,
    desk_blp,
    users_blp,
    categories_blp,
    lists_blp,
    nonconformities_blp,
    report_nonconformity_blp,
    actions_blp,
    notifications_blp,
    audits_blp,
    templates_blp,
    schedules_blp,
    competences_blp,
    risks_csv_blp,
    risks_blp,
    risk_links_blp,
    objectives_blp,
    reviews_blp,
    review_pack_blp,
    events_blp,
    exports_blp,
    documents_blp,
)


class SessionInterface(SecureCookieSessionInterface):
    """Session cookies are marked Secure whenever the request came over https."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return request.is_secure or super().get_cookie_secure(app)


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, error handlers and CLI."""
    app = Flask(__name__, instance_relative_config=True, static_folder=None)
    app.config.update(config.DEFAULTS)
    app.config.update(config.from_environment(app.instance_path, overrides or {}))
    app.config.update(overrides or {})
    app.session_interface = SessionInterface()
    # Forwarded headers count only when set by the TRUSTED_PROXIES proxies in front (default none).
    hops = app.config["TRUSTED_PROXIES"]
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    db.init_app(app)
    migrate.init_app(app, db, directory=config.MIGRATIONS_DIR)
    login_manager.init_app(app)
    login_throttle.init_app(app)
    errors.register_error_handlers(app)
    csrf.init_app(app)
    inputs.init_app(app)
    headers.init_app(app)
    relay.init_app(app)
    for feature in FEATURES:
        feature.register()
    # The event log is ground, beside the jobs: its hourly full check is handed to them here.
    register_sweep_task("verify_event_chains", verify_due_chains)

    api = Api(app)
    for blueprint in API_BLUEPRINTS:
        api.register_blueprint(blueprint)
    app.register_blueprint(web.blp)

    app.cli.add_command(users_cli)
    app.cli.add_command(events_cli)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(serve_command)
    return app
