"""`flask worker`: an rq worker whose jobs run inside the app, plus the outbox sweep."""

import logging
import threading
from datetime import timedelta

import click
import redis
from flask import Flask, current_app
from rq import SimpleWorker

from server.dbtypes import utcnow
from server.extensions import db
from server.jobs.queue import job_queue, redis_connection
from server.jobs.relay import relay
from server.reports.services import complete_overdue_reports, request_overdue_triage

log = logging.getLogger(__name__)


class AppWorker(SimpleWorker):
    """Runs each job inside an app context, in the worker process itself.

    No fork per job: the database pool and SQLAlchemy's compiled statements stay warm, which
    makes a triage job several times cheaper. A crash still loses only the job in hand, and
    the sweep asks for it again.
    """

    def __init__(self, *args, app: Flask, **kwargs):
        super().__init__(*args, **kwargs)
        self.app = app

    def perform_job(self, job, queue, *args, **kwargs) -> bool:
        with self.app.app_context():
            try:
                return super().perform_job(job, queue, *args, **kwargs)
            finally:
                db.session.remove()


def sweep(app: Flask) -> None:
    """Complete reports whose photos are held, queue rows that missed their relay, and re-ask
    for triage that never finished."""
    with app.app_context():
        try:
            complete_overdue_reports()
            rescue_after = timedelta(seconds=app.config["JOB_RESCUE_AFTER"])
            request_overdue_triage(utcnow() - rescue_after)
            sent = relay()
            if sent:
                log.info("Sweep queued %d outbox job(s)", sent)
        except redis.exceptions.RedisError as error:
            log.warning("Sweep postponed: %s", error)
        except Exception:
            log.exception("Sweep failed")
        finally:
            db.session.remove()


def start_sweeper(app: Flask, stop: threading.Event) -> threading.Thread:
    """Sweep every SWEEP_INTERVAL seconds in a background thread until stop is set."""

    def loop():
        while not stop.wait(app.config["SWEEP_INTERVAL"]):
            sweep(app)

    sweep(app)
    thread = threading.Thread(target=loop, name="outbox-sweeper", daemon=True)
    thread.start()
    return thread


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run an rq worker for Safeloop's jobs, with the outbox sweep beside it."""
    app = current_app._get_current_object()
    stop = threading.Event()
    start_sweeper(app, stop)
    worker = AppWorker(
        [job_queue()],
        connection=redis_connection(),
        app=app,
        maintenance_interval=app.config["SWEEP_INTERVAL"] * 6,
    )
    try:
        worker.work(with_scheduler=True, burst=burst, logging_level="INFO")
    finally:
        stop.set()
