"""`flask worker`: an rq worker whose jobs run inside the app, plus the outbox sweep."""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import click
import redis
from flask import Flask, current_app
from rq import SimpleWorker

from server.extensions import db
from server.jobs.queue import job_queue, redis_connection
from server.jobs.relay import relay
from server.jobs.rescue import OutboxJob, rescue
from server.reports.services import complete_overdue_reports

log = logging.getLogger(__name__)


class AppWorker(SimpleWorker):
    """Runs each job inside an app context, in the worker process itself.

    No fork per job: the database pool and SQLAlchemy's compiled statements stay warm, which
    makes a triage job several times cheaper. A running job's heartbeat lasts JOB_RESCUE_AFTER
    and is renewed by a thread: when the worker dies, the sweep soon sees its job is lost.
    """

    def __init__(self, *args, app: Flask, **kwargs):
        super().__init__(*args, job_class=OutboxJob, **kwargs)
        self.app = app
        self.beat_ttl = max(1, round(float(app.config["JOB_RESCUE_AFTER"])))

    def get_heartbeat_ttl(self, job, working_time: float = 0.0) -> int:
        """How long a running job counts as alive without a new heartbeat."""
        return self.beat_ttl

    def perform_job(self, job, queue, execution) -> bool:
        with self.app.app_context(), self._beating(job, execution):
            try:
                return super().perform_job(job, queue, execution)
            finally:
                db.session.remove()

    @contextmanager
    def _beating(self, job, execution) -> Iterator[None]:
        """Renew the job's heartbeat four times per beat_ttl while the block runs."""
        stop = threading.Event()

        def beat():
            while not stop.wait(self.beat_ttl / 4):
                try:
                    self.maintain_heartbeats(job, execution)
                except redis.exceptions.RedisError as error:
                    log.warning("Job heartbeat failed: %s", error)

        thread = threading.Thread(target=beat, name="job-heartbeat", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()


def sweep(app: Flask) -> None:
    """Complete reports whose photos are held, re-send lost jobs, queue rows that missed relay."""
    with app.app_context():
        try:
            complete_overdue_reports()
            lost = rescue()
            sent = relay()
            if sent:
                log.info("Sweep queued %d outbox job(s), %d of them lost before", sent, lost)
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
