"""`flask worker`: an rq worker whose jobs run inside the app, plus the outbox sweep."""

import logging
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import click
import redis
from flask import Flask, current_app
from rq import SimpleWorker
from rq.exceptions import StopRequested
from rq.worker import WorkerStatus

from server.extensions import db
from server.jobs.queue import job_queue, redis_connection
from server.jobs.registry import sweep_tasks
from server.jobs.relay import relay
from server.jobs.rescue import OutboxJob, rescue
from server.triage import classifier

log = logging.getLogger(__name__)

# Waiting for Redis to come back: first pause, then doubled up to the last.
RECONNECT_PAUSES = (0.5, 10.0)


class AppWorker(SimpleWorker):
    """Runs each job inside an app context, in the worker process itself.

    No fork per job: the database pool and SQLAlchemy's compiled statements stay warm, which
    makes a triage job several times cheaper. A running job's heartbeat lasts JOB_RESCUE_AFTER
    and is renewed by a thread: when the worker dies, the sweep soon sees its job is lost.
    """

    # rq's own wait for Redis while idle, doubled from 1 s up to this.
    max_connection_wait_time = RECONNECT_PAUSES[1]

    def __init__(self, *args, app: Flask, **kwargs):
        super().__init__(*args, job_class=OutboxJob, **kwargs)
        self.app = app
        self.beat_ttl = max(1, round(float(app.config["JOB_RESCUE_AFTER"])))
        self.stopping = False

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

    def request_stop(self, signum, frame) -> None:
        """Stop after the job in hand, or at once when idle, even while Redis is unreachable."""
        self.stopping = True
        try:
            super().request_stop(signum, frame)
        except redis.exceptions.RedisError:
            if self.get_state() != WorkerStatus.BUSY:
                raise StopRequested() from None
            self._stop_requested = True

    def run_maintenance_tasks(self) -> None:
        """rq's upkeep, skipped once stopping: after the job in hand it would start the scheduler
        process it had just stopped, only for teardown to signal it while it is still starting."""
        if self.stopping or self._stop_requested:
            return
        super().run_maintenance_tasks()

    def teardown(self) -> None:
        """rq's teardown; when Redis is gone, stop this worker's threads and processes anyway."""
        try:
            super().teardown()
        except redis.exceptions.RedisError as error:
            log.warning("Worker %s could not sign off from Redis: %s", self.name, error)
            self.release()

    def release(self) -> None:
        """Stop the scheduler process and the command listener, without Redis."""
        if self.scheduler and self.scheduler._process and self.scheduler._process.is_alive():
            self.stop_scheduler()
        if self.pubsub_thread and self.pubsub_thread.is_alive():
            self.pubsub_thread.stop()
            self.pubsub_thread.join(timeout=1)


def sweep(app: Flask) -> None:
    """Run the features' sweep tasks, re-send lost jobs, queue rows that missed relay."""
    with app.app_context():
        try:
            for task in sweep_tasks().values():
                task()
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


def _work_once(app: Flask, burst: bool) -> AppWorker:
    """One rq worker's life: until it is stopped, runs out of work (burst) or loses Redis."""
    worker = AppWorker(
        [job_queue()],
        connection=redis_connection(),
        app=app,
        maintenance_interval=app.config["SWEEP_INTERVAL"] * 6,
    )
    try:
        worker.work(with_scheduler=True, burst=burst, logging_level="INFO")
    except redis.exceptions.RedisError as error:
        log.warning("Worker %s lost Redis: %s", worker.name, error)
    except StopRequested:
        # Asked to stop before this worker's own signal handlers were in place.
        worker.stopping = True
    finally:
        worker.release()
    return worker


def _redis_answers() -> bool:
    try:
        return bool(redis_connection().ping())
    except redis.exceptions.RedisError:
        return False


def _wait_for_redis(stop: threading.Event) -> None:
    """Wait until Redis answers, pausing longer each time, unless stop is set meanwhile."""
    pause, longest = RECONNECT_PAUSES
    while not stop.is_set() and not _redis_answers():
        log.warning("Redis unreachable; the worker tries again in %.1f s", pause)
        stop.wait(pause)
        pause = min(pause * 2, longest)


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """While waiting between workers, SIGTERM or SIGINT sets stop (rq handles them in work)."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    for sig in handlers:
        signal.signal(sig, lambda *_: stop.set())
    try:
        yield
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def run_worker(app: Flask, burst: bool = False) -> None:
    """Work the queue until stopped; when Redis goes away, reconnect with backoff and go on."""
    started = time.perf_counter()
    with app.app_context():
        classifier.warm()
    log.info("Triage ready in %.2f s", time.perf_counter() - started)
    stop = threading.Event()
    start_sweeper(app, stop)
    try:
        while not stop.is_set():
            worker = _work_once(app, burst)
            if worker.stopping or (burst and _redis_answers()):
                break
            with _stop_on_signals(stop):
                stop.wait(RECONNECT_PAUSES[0])
                _wait_for_redis(stop)
            if not stop.is_set():
                log.warning("Redis answers again: the worker carries on")
    except StopRequested:
        pass  # a signal between two workers, still handled by the one that ended
    finally:
        stop.set()


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run an rq worker for Safeloop's jobs, with the outbox sweep beside it."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    run_worker(current_app._get_current_object(), burst)
