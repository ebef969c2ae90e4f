"""Triage bench: the vocabulary alone against the vocabulary with the meaning model, per report
on one core, and a `flask worker` with the model loaded: start-up, memory and jobs per second.

Makes a fresh database (SQLite in a temporary folder, or a new PostgreSQL database that it drops
at the end) and a Redis (an embedded redis-server in the temporary folder, or one database of a
given server, flushed before and after). The input texts are the 461 field reports in eight
languages of tests/triage/devset. Then, in one run:

1. per report, this process pinned to one CPU (os.sched_setaffinity): the vocabulary alone
   (rules.read_report + rules.classify + rules.reportable) and with the model (the same, plus
   meaning.embed + classifier.classify), alternating passes over every text after an untimed
   warm-up pass; p50/p95 and the ratio. Then the whole job (triage_report: run_triage in the
   database and the commit) once over reports made from the same texts. Goal: with the model
   p95 under 50 ms;
2. worker start-up: from starting `flask worker` to its "Triage ready" log line, and the figure
   the line gives (classifier.warm alone), over 3 starts; goal: median under 3 s;
3. worker memory: VmRSS and VmHWM of the worker process (/proc/<pid>/status), and its Pss,
   once it has started and after it has triaged the reports of 4 (with rq's forked scheduler
   beside it); goal: the worker's peak under 400 MB;
4. jobs per second: N reports synced through POST /api/sync while no worker runs, then one
   worker started and timed, from its registration in Redis, until all are triaged (as
   bench/jobs.py does); goal: at least 20 jobs/s.

The worker is not pinned: it runs as it would in production, on a machine shared with the
database. Everything started is stopped, and everything made is removed, even on errors or Ctrl-C.

    .venv/bin/python -m bench.triage
    .venv/bin/python -m bench.triage --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python -m bench.triage --redis-url redis://127.0.0.1:6379 --redis-db 13
"""

import argparse
import os
import random
import re
import secrets
import signal
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import flask_migrate
import redis
import sqlalchemy as sa
from flask import Flask
from rq import Queue, Worker
from sqlalchemy.engine import make_url

from bench.common import add_database_option, fresh_database, parse_with_database
from bench.jobs import (
    PASSWORD,
    SITES,
    JobTimes,
    WorkerProcess,
    close_app,
    environment,
    fresh_redis,
    job_times,
    make_app,
    percentile,
    plain_engine,
    signed_in,
    sync,
    wait_for,
)
from server.auth.services import create_user
from server.extensions import db
from server.jobs.queue import QUEUE_NAME
from server.language import lexicon, meaning
from server.orgs.models import Organization, Site
from server.reports.models import Report
from server.triage import classifier, rules
from server.triage.duplicates import find_duplicates
from server.triage.examples import shipped
from server.triage.jobs import triage_report
from server.triage.models import Triage
from tests.triage.devset import reports_east, reports_west

GOAL_MS = 50.0
GOAL_START_S = 3.0
GOAL_MB = 400.0
GOAL_JOBS_S = 20.0
SEED = 45013
WORKS, DESK = "Bench Works", "Bench Desk"
REPORTER = "reporter@bench.test"
WARM_UP_REPORTS = 20
READY_LINE = re.compile(r"Triage ready in ([0-9.]+) s")
POLL_S = 0.005
TEXTS = [(report.text, report.kind) for report in reports_west.REPORTS + reports_east.REPORTS]
LANGUAGES = Counter(report.language for report in reports_west.REPORTS + reports_east.REPORTS)


def parse_args() -> argparse.Namespace:
    """The bench's options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passes", type=int, default=5, help="timed passes over the texts (5)")
    parser.add_argument("--reports", type=int, default=400, help="reports for the worker (400)")
    parser.add_argument("--starts", type=int, default=3, help="worker starts timed (3)")
    parser.add_argument("--cpu", type=int, help="the CPU to pin to (default: the last allowed)")
    parser.add_argument("--timeout", type=float, default=600.0, help="per wait, in s (600)")
    add_database_option(parser)
    parser.add_argument(
        "--redis-url",
        help="a Redis server to use, database --redis-db of it, flushed before and after "
        "(default: an embedded redis-server in a temporary folder)",
    )
    parser.add_argument(
        "--redis-db", type=int, default=13, help="database used with --redis-url (13)"
    )
    return parse_with_database(parser)


def progress(line: str) -> None:
    """Say what the bench is doing, on stderr (stdout keeps only the report)."""
    print(f"... {line}", file=sys.stderr, flush=True)


# --- figures ------------------------------------------------------------------------------


@dataclass
class Timings:
    """Seconds per report of each configuration, and of the parts of the one with the model."""

    vocabulary: list[float] = field(default_factory=list)
    model: list[float] = field(default_factory=list)
    vocabulary_cpu: list[float] = field(default_factory=list)
    model_cpu: list[float] = field(default_factory=list)
    embed: list[float] = field(default_factory=list)
    vote: list[float] = field(default_factory=list)
    # The warm-up pass: the vocabulary's word caches start cold in a new process.
    cold_vocabulary: list[float] = field(default_factory=list)
    warm_s: float = 0.0
    job: list[float] = field(default_factory=list)
    duplicates: list[float] = field(default_factory=list)


@dataclass
class Memory:
    """A process's resident set now and at its peak, in MB."""

    rss_mb: float
    peak_mb: float
    # Proportional: pages shared with another process (a fork) count half to each.
    pss_mb: float


@dataclass
class Start:
    """One worker start: until the ready line, what it logged, until registered, its memory."""

    ready_s: float
    logged_s: float
    ready_cpu_s: float
    registered_s: float
    memory: Memory


@dataclass
class Drain:
    """One worker draining the queue of synced reports."""

    load_s: float = 0.0
    startup_s: float = 0.0
    drain_s: float = 0.0
    steady_rate: float = 0.0
    jobs: JobTimes = field(default_factory=JobTimes)
    # The worker process's CPU seconds while draining (its scheduler process not counted).
    cpu_s: float = 0.0
    memory: Memory | None = None
    others: list[tuple[int, Memory]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def ms(samples: list[float], p: int) -> float:
    """A percentile of seconds, in ms."""
    return percentile(samples, p) * 1000


def memory_of(pid: int) -> Memory:
    """VmRSS and VmHWM of a process, from /proc/<pid>/status, and its Pss from smaps_rollup."""
    fields = {}
    for path in (f"/proc/{pid}/status", f"/proc/{pid}/smaps_rollup"):
        for line in Path(path).read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM", "Pss"):
                fields[name] = int(value.split()[0]) / 1024
    return Memory(fields["VmRSS"], fields["VmHWM"], fields["Pss"])


def session_memory(worker: WorkerProcess) -> tuple[Memory, list[tuple[int, Memory]]]:
    """The worker's memory, and that of the other processes of its session (rq's scheduler)."""
    pid, others = worker.process.pid, []
    for other in set(worker.session_members()) - {pid}:
        with suppress(OSError):  # gone meanwhile
            others.append((other, memory_of(other)))
    return memory_of(pid), others


def cpu_seconds(pid: int) -> float:
    """The user and system CPU time of a process so far, from /proc/<pid>/stat."""
    # After the command name in parentheses: state is field 3, utime 14 and stime 15.
    values = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(values[11]) + int(values[12])) / os.sysconf("SC_CLK_TCK")


# --- 1: per report, in this process on one core -------------------------------------------


@contextmanager
def pinned(cpu: int | None) -> Iterator[int]:
    """This process on one CPU for the duration (then back, so the workers are not pinned)."""
    allowed = os.sched_getaffinity(0)
    chosen = max(allowed) if cpu is None else cpu
    if chosen not in allowed:
        raise SystemExit(f"CPU {chosen} is not one this process may use: {sorted(allowed)}")
    os.sched_setaffinity(0, {chosen})
    try:
        yield chosen
    finally:
        os.sched_setaffinity(0, allowed)


def vocabulary_alone(text: str, kind: str) -> tuple[float, float]:
    """Seconds (wall, CPU) to read a text and conclude its category and reportability."""
    started, cpu = time.perf_counter(), time.process_time()
    reading = rules.read_report(text)
    rules.classify(reading)
    rules.reportable(kind, reading)
    return time.perf_counter() - started, time.process_time() - cpu


def with_model(text: str, kind: str) -> tuple[float, float, float, float]:
    """Seconds of the same plus the meaning vector and the vote: (wall, CPU, embed, vote)."""
    started, cpu = time.perf_counter(), time.process_time()
    reading = rules.read_report(text)
    rules.classify(reading)
    rules.reportable(kind, reading)
    read = time.perf_counter()
    vector = meaning.embed([text])[0]
    embedded = time.perf_counter()
    classifier.classify(reading, vector, None)
    done = time.perf_counter()
    return done - started, time.process_time() - cpu, embedded - read, done - embedded


def time_in_process(passes: int, timings: Timings) -> None:
    """Warm up (timed apart: the word caches start cold), then alternate timed passes."""
    started = time.perf_counter()
    classifier.warm()
    timings.warm_s = time.perf_counter() - started
    timings.cold_vocabulary = [vocabulary_alone(text, kind)[0] for text, kind in TEXTS]
    for text, kind in TEXTS:
        with_model(text, kind)
    for number in range(passes):
        progress(f"pass {number + 1} of {passes}")
        for text, kind in TEXTS:
            wall, cpu = vocabulary_alone(text, kind)
            timings.vocabulary.append(wall)
            timings.vocabulary_cpu.append(cpu)
        for text, kind in TEXTS:
            wall, cpu, embed, vote = with_model(text, kind)
            timings.model.append(wall)
            timings.model_cpu.append(cpu)
            timings.embed.append(embed)
            timings.vote.append(vote)


def stored_report(site: Site, text: str, kind: str, rng: random.Random) -> Report:
    """A report as sync stores it (received, not triaged), seen in the last 14 days."""
    now = datetime.now(UTC)
    near = site.latitude is not None
    return Report(
        id=uuid.uuid4(),
        organization_id=site.organization_id,
        site_id=site.id,
        kind=kind,
        description=text,
        observed_at=now - timedelta(seconds=rng.uniform(60, 14 * 24 * 3600)),
        received_at=now,
        changed_at=now,
        latitude=site.latitude + rng.uniform(-0.002, 0.002) if near else None,
        longitude=site.longitude + rng.uniform(-0.002, 0.002) if near else None,
        accuracy_m=rng.uniform(4, 30) if near else None,
        status="received",
        content_hash=secrets.token_hex(32),
    )


def sites_of(name: str) -> list[Site]:
    """The organization's sites in the order of SITES."""
    organization = sa.select(Organization.id).where(Organization.name == name).scalar_subquery()
    return list(
        db.session.scalars(
            sa.select(Site).where(Site.organization_id == organization).order_by(Site.id)
        )
    )


def time_jobs(app: Flask, rng: random.Random, timings: Timings) -> None:
    """The triage job over a report per text, after a few untimed on a site of their own."""
    with app.app_context():
        sites = sites_of(DESK)
        # Its own site: the warm-up reports are no one's possible duplicates.
        spare = Site(organization_id=sites[0].organization_id, code="WU", name="Warm-up yard")
        db.session.add(spare)
        db.session.flush()
        warm_up = [stored_report(spare, *rng.choice(TEXTS), rng) for _ in range(WARM_UP_REPORTS)]
        timed = [stored_report(sites[i % len(sites)], *text, rng) for i, text in enumerate(TEXTS)]
        db.session.add_all(warm_up + timed)
        db.session.commit()
        warm_pks, timed_pks = [r.pk for r in warm_up], [r.pk for r in timed]
        db.session.remove()
        for pk in warm_pks:
            triage_report(pk)
        for pk in timed_pks:
            started = time.perf_counter()
            triage_report(pk)
            timings.job.append(time.perf_counter() - started)
        db.session.remove()
        time_duplicates(timed_pks, timings)


def time_duplicates(report_pks: list[int], timings: Timings) -> None:
    """find_duplicates alone for each report, once every report is triaged (read only)."""
    embeddings = dict(
        db.session.execute(
            sa.select(Triage.report_pk, Triage.embedding).where(Triage.report_pk.in_(report_pks))
        ).all()
    )
    for pk in report_pks:
        report, vector = db.session.get(Report, pk), meaning.from_bytes(embeddings[pk])
        started = time.perf_counter()
        find_duplicates(report, vector)
        timings.duplicates.append(time.perf_counter() - started)
    db.session.remove()


# --- 2 and 3: the worker's start-up and memory --------------------------------------------


def wait_for_line(worker: WorkerProcess, timeout: float) -> float:
    """The figure of the worker's "Triage ready" line, once it is in the log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = READY_LINE.search(worker.log_path.read_text(errors="replace"))
        if found:
            return float(found.group(1))
        worker.check()
        time.sleep(POLL_S)
    raise SystemExit(f"No 'Triage ready' line from the worker after {timeout:g} s")


def start_once(
    settings: dict, log_path: Path, connection: redis.Redis, args: argparse.Namespace
) -> Start:
    """Start a worker on an empty queue; time it; read its memory once settled; stop it."""
    worker = WorkerProcess(settings, log_path)
    try:
        started = time.perf_counter()
        worker.start()
        logged = wait_for_line(worker, args.timeout)
        ready = time.perf_counter() - started
        ready_cpu = cpu_seconds(worker.process.pid)
        wait_for(lambda: Worker.count(connection=connection), 60, worker, "the worker")
        registered = time.perf_counter() - started
        time.sleep(1.0)  # its first sweep and rq's start-up work done
        return Start(ready, logged, ready_cpu, registered, memory_of(worker.process.pid))
    finally:
        worker.stop()


def time_starts(
    settings: dict, folder: Path, connection: redis.Redis, args: argparse.Namespace
) -> list[Start]:
    """args.starts starts, one after the other."""
    starts = []
    for number in range(args.starts):
        progress(f"worker start {number + 1} of {args.starts}")
        starts.append(start_once(settings, folder / f"start-{number}.log", connection, args))
        wait_for_workers_gone(connection)
    return starts


def wait_for_workers_gone(connection: redis.Redis) -> None:
    """Until no worker is registered (a stopped one signs off as it exits)."""
    deadline = time.monotonic() + 30
    while Worker.count(connection=connection) and time.monotonic() < deadline:
        time.sleep(0.05)


# --- 4: jobs per second -------------------------------------------------------------------


def sync_item(rng: random.Random, site_ids: list[int], text: str, kind: str) -> dict:
    """A /api/sync item with a dev-set text, on one of the sites, seen in the last 14 days."""
    index = rng.randrange(len(site_ids))
    _, _, latitude, longitude = SITES[index]
    observed = datetime.now(UTC) - timedelta(seconds=rng.uniform(60, 14 * 24 * 3600))
    return {
        "id": str(uuid.uuid4()),
        "kind": kind,
        "site_id": site_ids[index],
        "observed_at": observed.isoformat(timespec="seconds"),
        "description": text,
        "location": {
            "lat": latitude + rng.uniform(-0.002, 0.002),
            "lon": longitude + rng.uniform(-0.002, 0.002),
            "accuracy_m": rng.uniform(4, 30),
        },
        "photos": [],
    }


def load_reports(app: Flask, connection: redis.Redis, n: int, rng: random.Random) -> float:
    """Sync n reports in batches of 50 while no worker runs; seconds taken."""
    with app.app_context():
        site_ids = [site.id for site in sites_of(WORKS)]
        db.session.remove()
    texts = [TEXTS[i % len(TEXTS)] for i in range(n)]
    rng.shuffle(texts)
    client = signed_in(app, REPORTER)
    started = time.perf_counter()
    for offset in range(0, n, 50):
        sync(client, [sync_item(rng, site_ids, *text) for text in texts[offset : offset + 50]])
    took = time.perf_counter() - started
    queued = Queue(QUEUE_NAME, connection=connection).count
    if queued != n:
        raise SystemExit(f"{queued} jobs queued for {n} reports: the relay missed some")
    return took


def works_triage() -> sa.Select:
    """The triages of the synced reports' organization (the desk's were made in process)."""
    works = sa.select(Organization.id).where(Organization.name == WORKS).scalar_subquery()
    return (
        sa.select(sa.func.count(), sa.func.min(Triage.triaged_at), sa.func.max(Triage.triaged_at))
        .join(Report, Report.pk == Triage.report_pk)
        .where(Report.organization_id == works, Report.status == "triaged")
    )


def triaged(engine: sa.Engine) -> tuple[int, datetime | None, datetime | None]:
    """How many synced reports are triaged, and the first and last triaged_at."""
    with engine.connect() as conn:
        return tuple(conn.execute(works_triage()).one())


def drain(
    app: Flask,
    settings: dict,
    folder: Path,
    engine: sa.Engine,
    connection: redis.Redis,
    args: argparse.Namespace,
    rng: random.Random,
) -> Drain:
    """Sync the reports, then start one worker and time it until all are triaged."""
    result = Drain(load_s=load_reports(app, connection, args.reports, rng))
    progress(f"one worker triaging {args.reports} queued reports")
    worker = WorkerProcess(settings, folder / "drain.log")
    try:
        started = time.perf_counter()
        worker.start()
        wait_for(lambda: Worker.count(connection=connection), 60, worker, "the worker")
        ready, cpu = time.perf_counter(), cpu_seconds(worker.process.pid)
        wait_for(lambda: triaged(engine)[0] >= args.reports, args.timeout, worker, "triage")
        result.startup_s, result.drain_s = ready - started, time.perf_counter() - ready
        result.cpu_s = cpu_seconds(worker.process.pid) - cpu
        result.memory, result.others = session_memory(worker)
    finally:
        worker.stop()
    count, first, last = triaged(engine)
    seconds = (last - first).total_seconds() if count > 1 else 0.0
    result.steady_rate = (count - 1) / seconds if seconds else 0.0
    result.jobs = job_times(connection, engine, 0)
    result.problems = worker.problems()
    return result


# --- the setup ----------------------------------------------------------------------------


def seed(app: Flask) -> None:
    """Migrate; the reporters' organization and the desk's, each with the five sites."""
    with app.app_context():
        flask_migrate.upgrade()
        for name in (WORKS, DESK):
            organization = Organization(name=name)
            db.session.add(organization)
            db.session.add_all(
                Site(organization=organization, code=c, name=n, latitude=la, longitude=lo)
                for c, n, la, lo in SITES
            )
        db.session.commit()
        create_user(REPORTER, "Bench reporter", PASSWORD, WORKS, "worker")
        db.session.remove()


def describe_setup(
    args: argparse.Namespace, database_url: str, redis_url: str, cpu: int, load: float
) -> list[str]:
    """What was measured against: database, Redis, model, texts, machine."""
    url = make_url(database_url)
    if args.database_url:
        database = f"postgresql, fresh database {url.database} on {url.host}:{url.port or 5432}"
    else:
        database = "sqlite, a fresh file in a temporary folder"
    with redis.Redis.from_url(redis_url) as client:
        version = client.info("server")["redis_version"]
    where = f"{redis_url} (flushed before and after)" if args.redis_url else "embedded, unix socket"
    languages = ", ".join(f"{code} {n}" for code, n in LANGUAGES.items())
    return [
        f"database  {database}",
        f"redis     {version}, {where}",
        f"model     {meaning.MODEL}, {meaning.THREADS} thread",
        f"          {lexicon.version()}; {len(shipped().texts)} labelled examples",
        f"texts     {len(TEXTS)} dev-set reports: {languages}",
        f"machine   {os.cpu_count()} CPUs; section 1 pinned to CPU {cpu}, the workers not pinned",
        f"          load average {load:.2f} before the run (other work on the machine skews all)",
    ]


# --- the report ---------------------------------------------------------------------------


def verdict(met: bool) -> str:
    """How a goal came out."""
    return "met" if met else "MISSED"


def print_in_process(args: argparse.Namespace, t: Timings, cpu: int) -> bool:
    """Section 1; True when the goal is met."""
    n = len(TEXTS)
    print(f"\n1 per report on one core (CPU {cpu}): {n} texts x {args.passes} passes, after a")
    print("  warm-up pass; the two configurations alternate pass by pass")
    print(f"  {'':34}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    rows = [
        ("vocabulary alone", t.vocabulary),
        ("with the model", t.model),
        ("  of which meaning.embed", t.embed),
        ("  of which classifier.classify", t.vote),
        ("vocabulary alone, CPU time", t.vocabulary_cpu),
        ("with the model, CPU time", t.model_cpu),
        (f"whole job in the database ({n})", t.job),
        ("  duplicates search, apart", t.duplicates),
        ("warm-up pass, vocabulary alone", t.cold_vocabulary),
    ]
    for label, samples in rows:
        print(f"  {label:<34}" + "".join(f"{ms(samples, p):>9.2f}" for p in (50, 95, 100)))
    for p in (50, 95):
        ratio = percentile(t.model, p) / percentile(t.vocabulary, p)
        job = percentile(t.job, p) / percentile(t.model, p)
        print(
            f"  p{p}: with the model / vocabulary alone {ratio:.0f}x; whole job / with the "
            f"model {job:.2f}x"
        )
    print("  whole job = triage_report: run_triage (reading, vector, classification, duplicates,")
    print(f"  routing) and the commit, once per report, after {WARM_UP_REPORTS} untimed; the")
    print("  duplicates search timed apart afterwards, with every report triaged (the most")
    print("  candidates each meets)")
    print(f"  model, vocabularies and examples loaded in this process in {t.warm_s:.2f} s")
    met = ms(t.model, 95) < GOAL_MS
    print(f"  goal: with the model p95 < {GOAL_MS:g} ms: {ms(t.model, 95):.1f} ms, {verdict(met)}")
    return met


def series(label: str, values: list[float], note: str = "") -> None:
    """One line of seconds, one per start, and their median."""
    listed = ", ".join(f"{value:.2f} s" for value in values)
    print(f"  {label:<17}{listed}  median {statistics.median(values):.2f} s{note}")


def print_starts(starts: list[Start]) -> tuple[bool, Memory]:
    """Section 2 and the start of 3; True when the start-up goal is met."""
    ready = statistics.median(s.ready_s for s in starts)
    print(
        f"\n2 worker start-up: `flask worker` started until its 'Triage ready' line, "
        f"{len(starts)} starts"
    )
    series("until the line", [s.ready_s for s in starts])
    series("the line says", [s.logged_s for s in starts], " (classifier.warm)")
    series(
        "before the warm",
        [s.ready_s - s.logged_s for s in starts],
        " (interpreter, imports, create_app)",
    )
    series("CPU until line", [s.ready_cpu_s for s in starts], " (worker's user + system)")
    series("until registered", [s.registered_s for s in starts], " (in Redis, taking jobs)")
    met = ready < GOAL_START_S
    print(f"  goal: median < {GOAL_START_S:g} s: {ready:.2f} s, {verdict(met)}")
    memory = Memory(
        statistics.median(s.memory.rss_mb for s in starts),
        statistics.median(s.memory.peak_mb for s in starts),
        statistics.median(s.memory.pss_mb for s in starts),
    )
    return met, memory


def memory_line(label: str, memory: Memory) -> None:
    """One process's memory figures."""
    print(
        f"  {label:<38}VmRSS {memory.rss_mb:4.0f} MB  VmHWM {memory.peak_mb:4.0f} MB  "
        f"Pss {memory.pss_mb:4.0f} MB"
    )


def print_memory(started: Memory, starts: list[Start], d: Drain, n: int) -> bool:
    """Section 3; True when the peak stays under the goal."""
    print("\n3 worker memory: the worker process (jobs run in it, no fork)")
    memory_line(f"after start, idle (median of {len(starts)})", started)
    memory_line(f"after triaging {n} reports", d.memory)
    for pid, memory in d.others:
        memory_line(f"  + forked pid {pid} (rq's scheduler)", memory)
    if d.others:
        total = d.memory.pss_mb + sum(memory.pss_mb for _, memory in d.others)
        print(f"  the worker's session in all: Pss {total:.0f} MB (shared pages counted once)")
    met = d.memory.peak_mb < GOAL_MB
    print(f"  goal: worker peak < {GOAL_MB:g} MB: {d.memory.peak_mb:.0f} MB, {verdict(met)}")
    return met


def print_drain(d: Drain, n: int, t: Timings) -> bool:
    """Section 4; True when the rate meets the goal."""
    rate, runs = n / d.drain_s, d.jobs.runs
    print(
        f"\n4 jobs per second, one worker: {n} reports synced in {d.load_s:.2f} s while no "
        "worker ran"
    )
    print(
        f"  all triaged {d.drain_s:.2f} s after the worker registered ({d.startup_s:.2f} s "
        "after its start, not counted)"
    )
    print(f"  {rate:.1f} jobs/s; first to last triaged_at {d.steady_rate:.1f} jobs/s")
    print(
        f"  job run (rq's started->ended) p50 {ms(runs, 50):.1f} ms, p95 {ms(runs, 95):.1f} ms;"
        f" in process p50 {ms(t.job, 50):.1f} ms"
    )
    print(
        f"  per job {d.drain_s / n * 1000:.1f} ms, of which rq's loop around the run "
        f"{(d.drain_s / n - statistics.fmean(runs or [0.0])) * 1000:.1f} ms"
    )
    print(
        f"  the worker's CPU time {d.cpu_s / n * 1000:.1f} ms a job: {n / d.cpu_s:.1f} jobs "
        "per CPU second"
    )
    print(f"  worker log: {len(d.problems)} line(s) of errors, timeouts or retries")
    for line in d.problems[:5]:
        print(f"    {line[:200]}")
    met = rate >= GOAL_JOBS_S
    print(f"  goal: >= {GOAL_JOBS_S:g} jobs/s: {verdict(met)}")
    return met


# --- the run ------------------------------------------------------------------------------


def run(args: argparse.Namespace, stack: ExitStack, load: float) -> int:
    """Set everything up (cleaned up by stack), measure, print the report."""
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="safeloop-triage-")))
    database_url = stack.enter_context(fresh_database(args.database_url, folder))
    redis_url = stack.enter_context(fresh_redis(args.redis_url, args.redis_db, folder))
    settings = environment(database_url, redis_url, folder)
    app = make_app(settings)
    stack.callback(close_app, app)
    seed(app)
    engine = stack.enter_context(plain_engine(database_url))
    connection = stack.enter_context(redis.Redis.from_url(redis_url))
    rng, timings = random.Random(SEED), Timings()
    with pinned(args.cpu) as cpu:
        progress(f"per report, pinned to CPU {cpu}")
        time_in_process(args.passes, timings)
        progress(f"the whole job over {len(TEXTS)} reports in the database")
        time_jobs(app, rng, timings)
    starts = time_starts(settings, folder, connection, args)
    drained = drain(app, settings, folder, engine, connection, args, rng)
    print("Safeloop triage bench")
    for line in describe_setup(args, database_url, redis_url, cpu, load):
        print(f"  {line}")
    met = {f"with the model p95 < {GOAL_MS:g} ms": print_in_process(args, timings, cpu)}
    met[f"start-up < {GOAL_START_S:g} s"], started = print_starts(starts)
    met[f"memory < {GOAL_MB:g} MB"] = print_memory(started, starts, drained, args.reports)
    met[f"jobs/s >= {GOAL_JOBS_S:g}"] = print_drain(drained, args.reports, timings)
    print(
        f"\nload average {os.getloadavg()[0]:.2f} at the end (other work on the machine skews all)"
    )
    print("\ngoals: " + "; ".join(f"{name} {verdict(ok)}" for name, ok in met.items()))
    return 0 if all(met.values()) else 1


def main() -> int:
    """Run the bench; whatever happens, stop the workers and Redis and remove what was made."""
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
        sys.exit("Interrupted: workers and Redis stopped, database and temporary files removed.")
