"""Jobs bench: triage throughput of one worker, sync-to-triage latency, an analysis via the queue.

Makes a fresh database (SQLite in a temporary folder, or a new PostgreSQL database that it drops
at the end) and a Redis (an embedded redis-server in the temporary folder, or one database of a
given server, flushed before and after), then measures, with ONE `flask worker` process:

1. throughput: N reports synced through POST /api/sync while the worker is stopped (the outbox
   relay queues a triage job per report after each commit), then the worker is started and
   timed until every report is "triaged";
2. latency: reports sent one per request at a steady rate while the worker runs; for each, the
   time from the moment its POST returned until its triage is visible (the database is polled
   every 20 ms; GET /api/reports/{id} is checked afterwards);
3. analysis: an officer asks for the Ishikawa analysis of a report with 1,000 related reports
   through POST /api/reports/{id}/analysis, timed until GET .../analysis says "ready"; the
   in-process build_analysis time is shown beside it.

Everything started is stopped, and everything made is removed, even on errors or Ctrl-C.

    .venv/bin/python -m bench.jobs
    .venv/bin/python -m bench.jobs --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python -m bench.jobs --redis-url redis://127.0.0.1:6379 --redis-db 14
"""

import argparse
import contextvars
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import flask_migrate
import redis
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from rq import Queue, SimpleWorker, Worker
from rq.job import Job
from sqlalchemy.engine import make_url

from bench.common import add_database_option, fresh_database, parse_with_database
from bench.ishikawa import TARGET as ANALYSIS_TARGET
from server import create_app
from server.auth.services import create_user
from server.extensions import db
from server.ishikawa.jobs import build_analysis
from server.ishikawa.models import Analysis
from server.jobs.embedded_redis import EmbeddedRedis
from server.jobs.models import OutboxMessage
from server.jobs.queue import QUEUE_NAME
from server.orgs.models import Organization, Site
from server.reports.models import Report
from server.triage.models import Triage
from server.worker import AppWorker

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench password 1"
GOAL_P95_S = 2.0
GOAL_ANALYSIS_S = 1.0
PROBLEM_WORDS = re.compile(
    r"error|exception|traceback|timeout|retry|postponed|failed|killed", re.IGNORECASE
)
POLL_S = 0.02
STALLED = " <- a job stalled: see the worker log (rq gives up after the job's timeout)"
# Whether `flask worker` forks a work horse per job (rq's Worker) or runs jobs in itself.
FORKS = not issubclass(AppWorker, SimpleWorker)
WORKER_KIND = f"{AppWorker.__mro__[1].__name__}: " + (
    "one forked work horse per job" if FORKS else "jobs run in the worker process, no fork"
)
SEED = 45002
REPORTER_ORG, ANALYSIS_ORG = "Bench Works", "Bench Analysis Ltd"
REPORTER, OFFICER = "reporter@bench.test", "officer@bench.test"
# code, name, latitude, longitude
SITES = [
    ("N1", "North plant", 53.480, -2.240),
    ("S2", "South warehouse", 53.402, -2.301),
    ("D3", "Dockside depot", 53.455, -2.998),
    ("Q4", "Quarry", 53.301, -1.812),
    ("W5", "Water works", 53.522, -2.151),
]
# kind, sentence ({n}: a machine, bay or door number): one or more per triage category.
SENTENCES = [
    ("near_miss", "Operator entered tank {n} without a gas test or standby man"),
    ("hazard", "Scaffold at block {n} has no toe boards and a missing handrail"),
    ("near_miss", "Ladder at bay {n} slipped while a fitter was on it"),
    ("hazard", "Trench {n} by the car park dug without shoring"),
    ("near_miss", "Crane lifted a load over people at dock {n}, no banksman"),
    ("hazard", "Exposed live cable at distribution board {n}"),
    ("hazard", "Pressure gauge on compressor {n} unreadable, relief valve seized"),
    ("hazard", "Hot work started at tank {n} without a permit"),
    ("near_miss", "Forklift reversed out of aisle {n} without looking"),
    ("near_miss", "Pedestrian walked behind a reversing truck at dock {n}"),
    ("injury", "Guard on conveyor {n} left open, operator caught a glove in the rollers"),
    ("hazard", "Pallets stacked too high in bay {n}, top layer leaning"),
    ("environmental_incident", "Chemical drum in store {n} unlabelled and leaking"),
    ("environmental_incident", "Diesel spill at tank {n} reached the surface drain"),
    ("hazard", "Noise from the chiller {n} above 85 dB, dust from the saw too"),
    ("hazard", "Clinical waste and general waste mixed in skip {n}"),
    ("injury", "Strained back lifting sacks at line {n}, no hoist available"),
    ("hazard", "Workstation {n} screen too low, operator twisting all shift"),
    ("injury", "Cut hand on a blunt knife at packing bench {n}"),
    ("hazard", "Oil leak under press {n}, floor slippery"),
    ("hazard", "No safety glasses worn at grinder {n}"),
    ("hazard", "Packaging and shrink wrap piled in fire exit {n}"),
    ("good_practice", "Team at cell {n} cleared the walkway and marked the spill kit"),
]
DETAILS = [
    "",
    "Reported to the supervisor.",
    "Second time this week.",
    "No risk assessment for the task.",
    "Procedure not followed.",
    "Nobody hurt.",
    "Night shift, poor lighting in the area.",
    "Contractor on site, not inducted.",
]


def parse_args() -> argparse.Namespace:
    """The bench's options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1000, help="reports queued (1000)")
    parser.add_argument("--batch", type=int, default=50, help="reports per sync request (50)")
    parser.add_argument("--trickle", type=int, default=200, help="reports sent one by one (200)")
    parser.add_argument("--rate", type=float, default=20.0, help="trickle requests/s (20)")
    parser.add_argument("--related", type=int, default=1000, help="related reports (1000)")
    parser.add_argument("--builds", type=int, default=3, help="in-process builds timed (3)")
    parser.add_argument("--timeout", type=float, default=600.0, help="per phase, in s (600)")
    add_database_option(parser)
    parser.add_argument(
        "--redis-url",
        help="a Redis server to use, database --redis-db of it, flushed before and after "
        "(default: an embedded redis-server in a temporary folder)",
    )
    parser.add_argument(
        "--redis-db", type=int, default=14, help="database used with --redis-url (14)"
    )
    return parse_with_database(parser)


# --- Redis and polling --------------------------------------------------------------------


def with_redis_db(url: str, number: int) -> str:
    """url with its database number replaced (a path for redis://, ?db= for unix://)."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = dict(parse_qsl(parts.query)) | {"db": str(number)}
        return urlunsplit(parts._replace(query=urlencode(query)))
    return urlunsplit(parts._replace(path=f"/{number}"))


def flush(url: str) -> None:
    """Empty the Redis database at url (that one database only)."""
    with redis.Redis.from_url(url) as client:
        client.flushdb()


@contextmanager
def fresh_redis(server_url: str | None, number: int, folder: Path) -> Iterator[str]:
    """Yield the URL of an empty Redis database: embedded in folder, or one of server_url's."""
    if not server_url:
        embedded = EmbeddedRedis(folder / "redis").start()
        try:
            yield embedded.url
        finally:
            embedded.stop()
        return
    url = with_redis_db(server_url, number)
    flush(url)
    try:
        yield url
    finally:
        flush(url)


@contextmanager
def plain_engine(database_url: str) -> Iterator[sa.Engine]:
    """An engine of the bench's own, apart from the app's, for polling."""
    engine = sa.create_engine(database_url)
    try:
        yield engine
    finally:
        engine.dispose()


# --- the app and its data -----------------------------------------------------------------


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context, as on a real server."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


def environment(database_url: str, redis_url: str, folder: Path) -> dict[str, str]:
    """The environment variables server/config.py reads, for the worker and the app alike."""
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "MEDIA_ROOT": str(folder / "media"),
        "SWEEP_INTERVAL": "1",
        # The related reports are inserted "received": the sweep must not re-triage them.
        "JOB_RESCUE_AFTER": "3600",
    }


def make_app(settings: dict[str, str]) -> Flask:
    """The app the bench's clients talk to, queueing jobs on the bench's Redis."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": settings["DATABASE_URL"],
            "REDIS_URL": settings["REDIS_URL"],
            "SECRET_KEY": settings["SECRET_KEY"],
            "MEDIA_ROOT": settings["MEDIA_ROOT"],
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    app.test_client_class = IsolatedClient
    return app


def close_app(app: Flask) -> None:
    """Give back the app's database and Redis connections."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    client = app.extensions.get("redis", {}).get("client")
    if client is not None:
        client.close()


@dataclass
class Seeded:
    """What the phases need from the seed."""

    site_ids: list[int]
    target_id: uuid.UUID
    target_pk: int


def seed(app: Flask, related: int, rng: random.Random) -> Seeded:
    """Migrate; add the reporter's organization and sites, and the officer's analysis data."""
    with app.app_context():
        flask_migrate.upgrade()
        works = Organization(name=REPORTER_ORG)
        sites = [
            Site(organization=works, code=c, name=n, latitude=la, longitude=lo)
            for c, n, la, lo in SITES
        ]
        analysis_site = Site(organization=Organization(name=ANALYSIS_ORG), code="A1", name="Plant")
        db.session.add_all([works, *sites, analysis_site])
        db.session.commit()
        create_user(REPORTER, "Bench reporter", PASSWORD, REPORTER_ORG, "worker")
        create_user(OFFICER, "Bench officer", PASSWORD, ANALYSIS_ORG, "officer")
        target = seed_related(analysis_site, related, rng)
        seeded = Seeded([site.id for site in sites], target.id, target.pk)
        db.session.remove()
    return seeded


def seed_related(site: Site, related: int, rng: random.Random) -> Report:
    """Insert the analysis target and its related reports (the last 90 days) directly."""
    now = datetime.now(UTC)

    def stored(text: str, observed_at: datetime) -> Report:
        return Report(
            id=uuid.uuid4(),
            organization_id=site.organization_id,
            site_id=site.id,
            kind="hazard",
            description=text,
            observed_at=observed_at,
            received_at=observed_at,
            changed_at=now,
            status="received",
            content_hash=secrets.token_hex(32),
        )

    db.session.add_all(
        stored(description(rng), now - timedelta(minutes=rng.randint(60, 90 * 24 * 60)))
        for _ in range(related)
    )
    target = stored(ANALYSIS_TARGET, now)
    db.session.add(target)
    db.session.commit()
    return target


def description(rng: random.Random, sentence: str | None = None) -> str:
    """A varied report description: one of the bench's sentences (or this one) and a detail."""
    sentence = sentence or rng.choice(SENTENCES)[1]
    return f"{sentence.format(n=rng.randint(1, 40))}. {rng.choice(DETAILS)}".strip()


def report_item(rng: random.Random, site_ids: list[int], max_age: timedelta) -> dict:
    """A valid /api/sync item: a kind and wording that go together, a place on one site."""
    kind, sentence = rng.choice(SENTENCES)
    index = rng.randrange(len(site_ids))
    _, _, latitude, longitude = SITES[index]
    observed = datetime.now(UTC) - timedelta(seconds=rng.uniform(60, max_age.total_seconds()))
    return {
        "id": str(uuid.uuid4()),
        "kind": kind,
        "site_id": site_ids[index],
        "observed_at": observed.isoformat(timespec="seconds"),
        "description": description(rng, sentence),
        "location": {
            "lat": latitude + rng.uniform(-0.002, 0.002),
            "lon": longitude + rng.uniform(-0.002, 0.002),
            "accuracy_m": rng.uniform(4, 30),
        },
        "severity": rng.randint(1, 5),
        "likelihood": rng.randint(1, 5),
        "photos": [],
    }


def signed_in(app: Flask, email: str) -> FlaskClient:
    """A test client signed in through the API."""
    client = app.test_client()
    response = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    if response.status_code != 200:
        raise SystemExit(f"Sign-in of {email} failed: HTTP {response.status_code}")
    return client


def sync(client: FlaskClient, items: list[dict]) -> None:
    """POST items to /api/sync; stop the bench unless every one was created."""
    response = client.post("/api/sync", json={"reports": items})
    results = response.get_json().get("results", []) if response.is_json else []
    bad = [r for r in results if r.get("status") != "created"]
    if response.status_code != 200 or bad or len(results) != len(items):
        raise SystemExit(f"Sync failed: HTTP {response.status_code}: {response.text[:500]}")


# --- the worker ---------------------------------------------------------------------------


class WorkerProcess:
    """`flask worker` in a session of its own, its output kept in a log file."""

    def __init__(self, settings: dict[str, str], log_path: Path):
        self.env = {**os.environ, "FLASK_APP": "server", "PYTHONUNBUFFERED": "1", **settings}
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start the worker (a session of its own: Ctrl-C reaches the bench only)."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "flask", "worker"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def check(self) -> None:
        """Stop the bench, with the end of the worker's log, if the worker died."""
        if self.process is not None and self.process.poll() is not None:
            tail = self.log_path.read_text(errors="replace")[-3000:]
            raise SystemExit(f"The worker exited with {self.process.returncode}:\n{tail}")

    def problems(self) -> list[str]:
        """The lines of the worker's log that tell of an error, a timeout or a retry."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return [line for line in text.splitlines() if PROBLEM_WORDS.search(line)]

    def stop(self) -> None:
        """SIGTERM the worker (rq finishes the job in hand); SIGKILL what is left after 15 s."""
        if self.process is None:
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        # rq gives each work horse a process group of its own: a hung one outlives the worker.
        for pid in self.session_members():
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def session_members(self) -> list[int]:
        """The processes of the worker's session (itself, its scheduler, its work horses)."""
        members = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with suppress(OSError):
                # After the command name in parentheses: state, ppid, pgrp, session, ...
                if int(stat.read_text().rsplit(")", 1)[1].split()[3]) == self.process.pid:
                    members.append(int(stat.parent.name))
        return members


def wait_for(condition: Callable[[], object], timeout: float, worker: WorkerProcess, what: str):
    """Poll condition() every POLL_S until it is truthy; fail on timeout or a dead worker."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        worker.check()
        time.sleep(POLL_S)
    raise SystemExit(f"Timed out after {timeout:g} s waiting for {what}")


@dataclass
class JobTimes:
    """What rq recorded of some jobs: waits in the queue and run times, in seconds."""

    waits: list[float] = field(default_factory=list)
    runs: list[float] = field(default_factory=list)
    ends: list[float] = field(default_factory=list)
    # From one job's end to the next one's start: rq's loop between back-to-back jobs.
    gaps: list[float] = field(default_factory=list)


def job_times(connection: redis.Redis, engine: sa.Engine, after_outbox_id: int) -> JobTimes:
    """rq's enqueued/started/ended times of the jobs of outbox rows after after_outbox_id."""
    # Read from Redis: an outbox row is deleted once its job has run.
    job_ids = [f"outbox-{n}" for n in outbox_job_numbers(connection) if n > after_outbox_id]
    jobs = [
        job
        for job in Job.fetch_many(job_ids, connection=connection)
        if job and job.enqueued_at and job.started_at and job.ended_at
    ]
    jobs.sort(key=lambda job: job.started_at)
    return JobTimes(
        waits=[(job.started_at - job.enqueued_at).total_seconds() for job in jobs],
        runs=[(job.ended_at - job.started_at).total_seconds() for job in jobs],
        ends=[job.ended_at.timestamp() for job in jobs],
        gaps=[
            (b.started_at - a.ended_at).total_seconds()
            for a, b in zip(jobs, jobs[1:], strict=False)
        ],
    )


def outbox_job_numbers(connection: redis.Redis) -> list[int]:
    """The outbox row ids of the jobs Redis holds (job ids are "outbox-<row id>")."""
    keys = connection.scan_iter(match="rq:job:outbox-*", count=1000)
    found = (re.fullmatch(rb"rq:job:outbox-(\d+)", key) for key in keys)
    return [int(match.group(1)) for match in found if match]


def last_outbox_id(connection: redis.Redis, engine: sa.Engine) -> int:
    """The newest outbox row's id, of those in the database or run already (0 when none)."""
    with engine.connect() as conn:
        stored = conn.scalar(sa.select(sa.func.max(OutboxMessage.id))) or 0
    return max([stored, *outbox_job_numbers(connection)])


# --- the phases ---------------------------------------------------------------------------


@dataclass
class Bench:
    """What every phase works with."""

    args: argparse.Namespace
    app: Flask
    engine: sa.Engine
    redis: redis.Redis
    worker: WorkerProcess
    seeded: Seeded
    rng: random.Random


@dataclass
class Results:
    """Every figure the bench prints."""

    load_s: float = 0.0
    startup_s: float = 0.0
    drain_s: float = 0.0
    steady_rate: float = 0.0
    drain_jobs: JobTimes = field(default_factory=JobTimes)
    latencies: list[float] = field(default_factory=list)
    posts: list[float] = field(default_factory=list)
    sent_rate: float = 0.0
    visible_via_api: int = 0
    trickle_jobs: JobTimes = field(default_factory=JobTimes)
    analysis_s: float = 0.0
    analysis_seen: float = 0.0
    analysis_post_s: float = 0.0
    analysis_job: JobTimes = field(default_factory=JobTimes)
    analysis_causes: int = 0
    builds: list[float] = field(default_factory=list)


def load_reports(bench: Bench, results: Results) -> None:
    """Sync --reports reports in batches while no worker runs; check one job each is queued."""
    client, n = signed_in(bench.app, REPORTER), bench.args.reports
    started = time.perf_counter()
    for offset in range(0, n, bench.args.batch):
        size = min(bench.args.batch, n - offset)
        sync(client, [new_item(bench, timedelta(days=14)) for _ in range(size)])
    results.load_s = time.perf_counter() - started
    queued = Queue(QUEUE_NAME, connection=bench.redis).count
    if queued != n:
        raise SystemExit(f"{queued} jobs queued for {n} reports: the relay missed some")


def new_item(bench: Bench, max_age: timedelta) -> dict:
    """report_item() on the reporter's sites."""
    return report_item(bench.rng, bench.seeded.site_ids, max_age)


def measure_throughput(bench: Bench, results: Results) -> None:
    """Start the worker on the full queue and time until every report is triaged."""
    started = time.perf_counter()
    bench.worker.start()
    wait_for(lambda: Worker.count(connection=bench.redis), 60, bench.worker, "the worker")
    ready = time.perf_counter()
    n = bench.args.reports
    wait_for(lambda: triaged_count(bench.engine) >= n, bench.args.timeout, bench.worker, "triage")
    results.startup_s, results.drain_s = ready - started, time.perf_counter() - ready
    results.steady_rate = steady_rate(bench.engine)
    results.drain_jobs = job_times(bench.redis, bench.engine, 0)


def triaged_count(engine: sa.Engine) -> int:
    """Reports whose status is "triaged"."""
    stmt = sa.select(sa.func.count()).select_from(Report).where(Report.status == "triaged")
    with engine.connect() as conn:
        return conn.scalar(stmt)


def steady_rate(engine: sa.Engine) -> float:
    """Triages per second from the first to the last triaged_at (the worker's start left out)."""
    times = sa.select(
        sa.func.count(), sa.func.min(Triage.triaged_at), sa.func.max(Triage.triaged_at)
    )
    with engine.connect() as conn:
        count, first, last = conn.execute(times).one()
    seconds = (last - first).total_seconds() if count > 1 else 0.0
    return (count - 1) / seconds if seconds else 0.0


def measure_latency(bench: Bench, results: Results) -> None:
    """Send reports one per request at a steady rate; time each until its triage is visible."""
    client = signed_in(bench.app, REPORTER)
    before = last_outbox_id(bench.redis, bench.engine)
    # (report id, POST sent, POST returned) per report, or the sender's error
    sent: list[tuple[uuid.UUID, float, float] | str] = []
    stop = threading.Event()
    sender = threading.Thread(target=send_trickle, args=(bench, client, sent, stop), daemon=True)
    sender.start()
    try:
        watch_triage(bench, sent, results.latencies)
    finally:
        stop.set()
        sender.join()
    results.posts = [returned - posted for _, posted, returned in sent]
    results.sent_rate = (len(sent) - 1) / (sent[-1][1] - sent[0][1]) if len(sent) > 1 else 0.0
    results.visible_via_api = sum(triage_shown(client, report_id) for report_id, _, _ in sent)
    results.trickle_jobs = job_times(bench.redis, bench.engine, before)


def send_trickle(bench: Bench, client: FlaskClient, sent: list, stop: threading.Event) -> None:
    """POST one report at a time on a fixed schedule; note when each POST went and returned."""
    started = time.perf_counter()
    try:
        for number in range(bench.args.trickle):
            if stop.wait(max(0.0, started + number / bench.args.rate - time.perf_counter())):
                return
            item = new_item(bench, timedelta(minutes=30))
            posted = time.perf_counter()
            sync(client, [item])
            sent.append((uuid.UUID(item["id"]), posted, time.perf_counter()))
    except BaseException as error:  # even SystemExit: the watching thread reports it
        sent.append(f"the sender failed: {error!r}")


def watch_triage(bench: Bench, sent: list, latencies: list[float]) -> None:
    """Every POLL_S, one query for all pending reports; record each one's latency once seen."""
    pending: dict[uuid.UUID, float] = {}
    taken, deadline = 0, time.monotonic() + bench.args.timeout
    while len(latencies) < bench.args.trickle:
        for entry in sent[taken:]:
            if isinstance(entry, str):
                raise SystemExit(entry)
            pending[entry[0]] = entry[2]
        taken = len(sent)
        if pending:
            polled = time.perf_counter()
            for report_id in triaged_among(bench.engine, list(pending)):
                latencies.append(polled - pending.pop(report_id))
        if time.monotonic() > deadline:
            raise SystemExit(f"{len(pending)} reports not triaged after {bench.args.timeout} s")
        bench.worker.check()
        time.sleep(POLL_S)


def triaged_among(engine: sa.Engine, report_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    """Which of these reports have a finished triage (what GET /api/reports/{id} shows)."""
    stmt = (
        sa.select(Report.id)
        .join(Triage, Triage.report_pk == Report.pk)
        .where(Report.id.in_(report_ids), Triage.triaged_at.is_not(None))
    )
    with engine.connect() as conn:
        return list(conn.scalars(stmt))


def triage_shown(client: FlaskClient, report_id: uuid.UUID) -> bool:
    """True when GET /api/reports/{id} shows the report's triage."""
    response = client.get(f"/api/reports/{report_id}")
    return response.status_code == 200 and response.get_json().get("triage") is not None


def measure_analysis(bench: Bench, results: Results) -> None:
    """An officer asks for the target's analysis; time until GET says it is ready."""
    client = signed_in(bench.app, OFFICER)
    before = last_outbox_id(bench.redis, bench.engine)
    url = f"/api/reports/{bench.seeded.target_id}/analysis"
    started = time.perf_counter()
    response = client.post(url)
    results.analysis_post_s = time.perf_counter() - started
    if response.status_code != 202:
        raise SystemExit(f"Asking for the analysis failed: HTTP {response.status_code}")
    analysis = wait_for(
        lambda: ready_analysis(client, url), bench.args.timeout, bench.worker, "the analysis"
    )
    results.analysis_s = time.perf_counter() - started
    results.analysis_seen = time.time()
    results.analysis_causes = sum(len(c["causes"]) for c in analysis["categories"])
    results.analysis_job = job_times(bench.redis, bench.engine, before)
    results.builds = time_builds(bench.app, bench.seeded.target_pk, bench.args.builds)


def ready_analysis(client: FlaskClient, url: str) -> dict | None:
    """The analysis from GET url once its status is "ready"."""
    body = client.get(url).get_json()
    return body if body.get("status") == "ready" else None


def time_builds(app: Flask, report_pk: int, runs: int) -> list[float]:
    """Seconds of build_analysis in this process, from scratch each time (as bench/ishikawa.py)."""
    samples = []
    with app.app_context():
        for _ in range(runs):
            db.session.execute(sa.delete(Analysis).where(Analysis.report_pk == report_pk))
            db.session.commit()
            started = time.perf_counter()
            build_analysis(report_pk)
            samples.append(time.perf_counter() - started)
        db.session.remove()
    return samples


PHASES = [
    ("phase 1: syncing reports, no worker running", load_reports),
    ("phase 1: one worker draining the queue", measure_throughput),
    ("phase 2: a steady trickle of reports", measure_latency),
    ("phase 3: an Ishikawa analysis through the queue", measure_analysis),
]


# --- the report ---------------------------------------------------------------------------


def progress(line: str) -> None:
    """Say what the bench is doing, on stderr (stdout keeps only the report)."""
    print(f"... {line}", file=sys.stderr, flush=True)


def percentile(samples: list[float], p: int) -> float:
    """The p-th percentile of samples, 1 <= p <= 100 (0 when there are none)."""
    if p == 100 or len(samples) < 2:
        return max(samples, default=0.0)
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


def ms(samples: list[float], p: int = 50) -> str:
    """A percentile of seconds, in ms."""
    return f"{percentile(samples, p) * 1000:.0f} ms"


def describe_setup(bench: Bench, database_url: str, redis_url: str, load: float) -> list[str]:
    """What was measured against: database, Redis, workers, machine."""
    args, url = bench.args, make_url(database_url)
    if args.database_url:
        database = f"postgresql, fresh database {url.database} on {url.host}:{url.port or 5432}"
    else:
        database = "sqlite, a fresh file in a temporary folder (WAL)"
    version = bench.redis.info("server")["redis_version"]
    if args.redis_url:
        where = f"{redis_url} (that database flushed before and after)"
    else:
        where = "embedded redis-server on a unix socket in a temporary folder"
    return [
        f"database  {database}",
        f"redis     {version}, {where}",
        "workers   1 `flask worker` process, SWEEP_INTERVAL=1",
        f"          {WORKER_KIND}",
        f"machine   {os.cpu_count()} CPUs shared by the bench's app, the worker and the databases",
        f"          load average {load:.2f} before the run (other work on the machine skews all)",
    ]


def table_rows(args: argparse.Namespace, r: Results) -> list[tuple[str, str, str, str]]:
    """(measure, result, goal, verdict) rows."""
    p50, p95, worst = (percentile(r.latencies, p) for p in (50, 95, 100))
    trickle = f"{args.trickle} at {args.rate:g}/s"
    return [
        row(f"1 triage of {args.reports} queued reports", f"{args.reports / r.drain_s:.1f} jobs/s"),
        row("  steady rate, first to last triaged_at", f"{r.steady_rate:.1f} jobs/s"),
        row(f"2 sync -> triage visible, {trickle}: p50", f"{p50:.3f} s"),
        row("  p95", f"{p95:.3f} s", f"< {GOAL_P95_S:g} s", p95 < GOAL_P95_S),
        row("  max", f"{worst:.3f} s"),
        row(
            f"3 Ishikawa via the queue, {args.related} related",
            f"{r.analysis_s:.3f} s",
            f"< {GOAL_ANALYSIS_S:g} s",
            r.analysis_s < GOAL_ANALYSIS_S,
        ),
        row(
            f"  in-process build_analysis, median of {len(r.builds)}",
            f"{statistics.median(r.builds):.3f} s",
        ),
    ]


def row(label: str, value: str, goal: str = "-", met: bool | None = None) -> tuple[str, ...]:
    """One row of the table; a verdict only where there is a goal."""
    return label, value, goal, "-" if met is None else ("met" if met else "MISSED")


def details(args: argparse.Namespace, r: Results) -> list[str]:
    """Where the time went, from rq's own job timestamps and the bench's clocks."""
    drain, trickle, one = r.drain_jobs, r.trickle_jobs, r.analysis_job
    per_job, run = r.drain_s / args.reports, statistics.fmean(drain.runs or [0.0])
    capacity = args.reports / r.drain_s
    seen_after = r.analysis_seen - max(one.ends, default=r.analysis_seen)
    return [
        f"1 {args.reports} reports synced in {r.load_s:.2f} s (batches of {args.batch}), as many "
        "jobs queued by the relay",
        f"  worker start-up until registered in Redis: {r.startup_s:.2f} s (not counted)",
        f"  per job {per_job * 1000:.1f} ms = job run {run * 1000:.1f} ms (mean of rq's "
        "started->ended)",
        f"    + {(per_job - run) * 1000:.1f} ms in rq's loop around it (result, dequeue"
        + (", fork, exit)" if FORKS else ")"),
        f"  job run p50 {ms(drain.runs)}, p95 {ms(drain.runs, 95)}; from one job's end to the "
        f"next's start",
        f"    p50 {ms(drain.gaps)}, p95 {ms(drain.gaps, 95)}, max {ms(drain.gaps, 100)}"
        + (STALLED if percentile(drain.gaps, 100) > 60 else ""),
        f"2 sent at {r.sent_rate:.1f}/s against a capacity of {capacity:.1f} jobs/s (phase 1)"
        + (": the queue grows" if r.sent_rate > capacity else ""),
        f"  POST /api/sync p50 {ms(r.posts)}, p95 {ms(r.posts, 95)} (the relay's enqueue included)",
        f"  queue wait p50 {ms(trickle.waits)}, p95 {ms(trickle.waits, 95)}; job run p50 "
        f"{ms(trickle.runs)}, p95 {ms(trickle.runs, 95)}; polled every {POLL_S * 1000:.0f} ms",
        f"  triage shown by GET /api/reports/{{id}}: {r.visible_via_api} of {args.trickle}",
        f"3 POST .../analysis {r.analysis_post_s * 1000:.0f} ms, queue wait {ms(one.waits)}, "
        f"job run {ms(one.runs)} ({r.analysis_causes} causes)",
        f"  status ready seen {seen_after * 1000:.0f} ms after the job ended (GET polled every "
        f"{POLL_S * 1000:.0f} ms)",
    ]


def print_report(bench: Bench, database_url: str, redis_url: str, load: float, r: Results) -> None:
    """The setup, the table of figures and goals, and where the time went."""
    print("Safeloop jobs bench")
    for line in describe_setup(bench, database_url, redis_url, load):
        print(f"  {line}")
    rows = [("measure", "result", "goal", "verdict"), *table_rows(bench.args, r)]
    width = max(len(row[0]) for row in rows) + 2
    print()
    for label, value, goal, met in rows:
        print(f"  {label:<{width}}{value:>13}  {goal:>7}  {met}")
    print()
    print("  where the time went")
    for line in details(bench.args, r):
        print(f"  {line}")
    problems = bench.worker.problems()
    print(f"  worker log: {len(problems)} line(s) of errors, timeouts or retries")
    for line in problems[:5]:
        print(f"    {line[:200]}")


def goals_met(args: argparse.Namespace, r: Results) -> bool:
    """Both goals met, and every trickled report's triage shown by the API."""
    return (
        percentile(r.latencies, 95) < GOAL_P95_S
        and r.analysis_s < GOAL_ANALYSIS_S
        and r.visible_via_api == args.trickle
    )


# --- the run ------------------------------------------------------------------------------


def run(args: argparse.Namespace, stack: ExitStack, load: float) -> int:
    """Set everything up (cleaned up by stack), measure the three phases, print the report."""
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="safeloop-jobs-")))
    database_url = stack.enter_context(fresh_database(args.database_url, folder))
    redis_url = stack.enter_context(fresh_redis(args.redis_url, args.redis_db, folder))
    settings = environment(database_url, redis_url, folder)
    app = make_app(settings)
    stack.callback(close_app, app)
    rng = random.Random(SEED)
    seeded = seed(app, args.related, rng)
    engine = stack.enter_context(plain_engine(database_url))
    connection = stack.enter_context(redis.Redis.from_url(redis_url))
    worker = WorkerProcess(settings, folder / "worker.log")
    stack.callback(worker.stop)
    bench = Bench(args, app, engine, connection, worker, seeded, rng)
    results = Results()
    for label, phase in PHASES:
        progress(label)
        phase(bench, results)
    print_report(bench, database_url, redis_url, load, results)
    return 0 if goals_met(args, results) else 1


def main() -> int:
    """Run the bench; whatever happens, stop the worker and Redis and remove what was made."""
    args = parse_args()
    load = os.getloadavg()[0]
    # SIGTERM (and SIGINT, even where a shell ignored it) unwinds like Ctrl-C.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.default_int_handler)
    with ExitStack() as stack:
        return run(args, stack, load)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("Interrupted: worker and Redis stopped, database and temporary files removed.")
