"""Ingest bench: reports per second through POST /api/sync against a bare JSON endpoint.

Starts gunicorn on 127.0.0.1 serving bench.ingest_app (Safeloop plus POST /bench/echo) on a
fresh database it migrates itself, signs in concurrent clients, and runs timed phases
interleaved (bare, sync, bare, sync, ...) after a warm-up, so drift hits both alike. Prints
throughput, the sync/bare ratio and latency percentiles, then checks that the report table holds
exactly one row per report sent. Traffic goes to 127.0.0.1 only; everything stops by itself.

    .venv/bin/python -m bench.ingest
    .venv/bin/python -m bench.ingest --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import flask_migrate
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bench.common import add_database_option, fresh_database, parse_with_database
from server import create_app
from server.auth.services import create_user
from server.extensions import db
from server.orgs.models import Organization, Site

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PASSWORD = "bench password 1"
GOAL_RATIO = 0.50
GOAL_SYNC_P95_MS = 50.0
PHASES = {"bare": "/bench/echo", "sync": "/api/sync"}
MAX_FAILURES_SHOWN = 10


def parse_args() -> argparse.Namespace:
    """The bench's options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (16)")
    parser.add_argument("--batch", type=int, default=10, help="reports per request (10)")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each phase (5)")
    parser.add_argument("--rounds", type=int, default=3, help="bare+sync rounds (3)")
    parser.add_argument("--warmup", type=float, default=1.0, help="warm-up per endpoint (1 s)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class (sync)")
    add_database_option(parser)
    return parse_with_database(parser)


# --- the database -------------------------------------------------------------------------


def server_settings(database_url: str, folder: Path) -> dict[str, str]:
    """The environment variables server/config.py reads, for this run."""
    return {
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "MEDIA_ROOT": str(folder / "media"),
        "RATELIMIT_STORAGE_URI": "memory://",
    }


def prepare_database(settings: dict[str, str], clients: int) -> tuple[int, list[str]]:
    """Migrate the database, add an organization with one site and one worker per client."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": settings["DATABASE_URL"],
            "SECRET_KEY": settings["SECRET_KEY"],
            "MEDIA_ROOT": settings["MEDIA_ROOT"],
            "RATELIMIT_STORAGE_URI": settings["RATELIMIT_STORAGE_URI"],
            "REDIS_URL": None,
        }
    )
    with app.app_context():
        flask_migrate.upgrade()
        organization = Organization(name="Bench Works")
        site = Site(organization=organization, code="B1", name="Bench site")
        db.session.add_all([organization, site])
        db.session.commit()
        emails = [f"worker{n}@bench.test" for n in range(clients)]
        for email in emails:
            create_user(email, "Bench worker", PASSWORD, organization.name, "worker")
        site_id = site.id
        db.session.remove()
        db.engine.dispose()
    return site_id, emails


def count_reports(database_url: str) -> int:
    """Rows in the report table."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text("SELECT count(*) FROM report")).scalar_one()
    finally:
        engine.dispose()


# --- the server ---------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(settings: dict[str, str], folder: Path, args: argparse.Namespace) -> Iterator[int]:
    """Run gunicorn with bench.ingest_app until the block ends; yield its port."""
    port = free_port()
    log_path = folder / "gunicorn.log"
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        *("--workers", str(args.workers), "--worker-class", args.worker_class),
        *("--bind", f"{HOST}:{port}", "--chdir", str(ROOT)),
        *("--error-logfile", str(log_path), "--log-level", "warning"),
        "bench.ingest_app:create()",
    ]
    env = {**os.environ, **settings}
    env.pop("REDIS_URL", None)
    # A session of its own: Ctrl-C reaches the bench, which then stops gunicorn gracefully.
    process = subprocess.Popen(command, env=env, start_new_session=True)
    try:
        wait_until_ready(process, port, log_path)
        yield port
    finally:
        stop(process)


def wait_until_ready(process: subprocess.Popen, port: int, log_path: Path) -> None:
    """Wait until a worker answers the bare endpoint; fail with gunicorn's log if it dies."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            status, _, _, _ = request(
                http.client.HTTPConnection(HOST, port, timeout=2), "/bench/echo", b'{"reports":[]}'
            )
            if status == 200:
                return
        except OSError:
            time.sleep(0.1)
    log = log_path.read_text() if log_path.exists() else ""
    raise SystemExit(f"gunicorn did not start:\n{log[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    """Stop gunicorn gracefully (SIGTERM lets workers finish their request), then for good."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- the clients --------------------------------------------------------------------------


def report_item(site_id: int) -> dict:
    """A valid /api/sync report item with a new id, as tests/factories.py report_item() makes."""
    observed = datetime.now(UTC) - timedelta(minutes=5)
    return {
        "id": str(uuid.uuid4()),
        "kind": "hazard",
        "site_id": site_id,
        "observed_at": observed.isoformat(timespec="seconds"),
        "description": "Oil leak under press 4, floor slippery",
        "location": {"lat": 53.48, "lon": -2.24, "accuracy_m": 12.5},
        "severity": 3,
        "likelihood": 4,
        "photos": [],
    }


def request(
    connection: http.client.HTTPConnection, path: str, body: bytes, cookie: str | None = None
) -> tuple[int, bytes, float, float | None]:
    """POST a JSON body; return status, answer, latency in ms and the app's own time in ms."""
    headers = {"Content-Type": "application/json"}
    if cookie:
        headers["Cookie"] = cookie
    started = time.perf_counter()
    connection.request("POST", path, body, headers)
    response = connection.getresponse()
    answer = response.read()
    latency_ms = (time.perf_counter() - started) * 1000
    timing = response.getheader("Server-Timing") or ""
    app_ms = float(timing.split("dur=")[1]) if "dur=" in timing else None
    return response.status, answer, latency_ms, app_ms


@dataclass
class PhaseStats:
    """What one phase (or several merged) measured."""

    requests: int = 0
    reports: int = 0
    seconds: float = 0.0
    client_cpu_seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    app_ms: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def merge(self, other: "PhaseStats") -> None:
        """Add another phase's counts and samples to this one."""
        self.requests += other.requests
        self.reports += other.reports
        self.seconds += other.seconds
        self.client_cpu_seconds += other.client_cpu_seconds
        self.latencies_ms += other.latencies_ms
        self.app_ms += other.app_ms
        self.failures += other.failures

    @property
    def reports_per_second(self) -> float:
        return self.reports / self.seconds if self.seconds else 0.0


class Client:
    """One phone: a keep-alive connection and a signed-in session cookie."""

    def __init__(self, port: int, site_id: int, batch: int):
        self.connection = http.client.HTTPConnection(HOST, port, timeout=60)
        self.site_id = site_id
        self.batch = batch
        self.cookie: str | None = None
        self.sync_reports_sent = 0

    def login(self, email: str) -> None:
        """Sign in through the API and keep the session cookie."""
        body = json.dumps({"email": email, "password": PASSWORD}).encode()
        self.connection.request(
            "POST", "/api/auth/login", body, {"Content-Type": "application/json"}
        )
        response = self.connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"Sign-in of {email} failed: HTTP {response.status}")
        self.cookie = response.getheader("Set-Cookie").split(";", 1)[0]

    def post(self, path: str, body: bytes) -> tuple[int, bytes, float, float | None]:
        """request() with the session cookie, sent again once if a kept-alive connection was
        closed by the server meanwhile (a retry is safe: /api/sync answers 'duplicate')."""
        reused = self.connection.sock is not None
        try:
            return request(self.connection, path, body, self.cookie)
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            if not reused:
                raise
            self.connection.close()
            return request(self.connection, path, body, self.cookie)

    def run(self, phase: str, deadline: float, stopping: threading.Event) -> PhaseStats:
        """Send batches to the phase's endpoint until the deadline; check every answer."""
        stats = PhaseStats()
        while time.monotonic() < deadline and not stopping.is_set():
            items = [report_item(self.site_id) for _ in range(self.batch)]
            body = json.dumps({"reports": items}).encode()
            if phase == "sync":
                self.sync_reports_sent += len(items)
            try:
                status, answer, latency_ms, app_ms = self.post(PHASES[phase], body)
            except (OSError, http.client.HTTPException) as error:
                self.connection.close()
                stats.failures.append(f"{phase}: {type(error).__name__}: {error}")
                continue
            stats.requests += 1
            stats.reports += len(items)
            stats.latencies_ms.append(latency_ms)
            if app_ms is not None:
                stats.app_ms.append(app_ms)
            stats.failures += check_answer(phase, status, answer, len(items))
        return stats


def check_answer(phase: str, status: int, answer: bytes, sent: int) -> list[str]:
    """What is wrong with an answer: not 200, or (sync) an item not 'created'."""
    if status != 200:
        return [f"{phase}: HTTP {status}: {answer[:300].decode(errors='replace')}"]
    data = json.loads(answer)
    if phase == "bare":
        return [] if data.get("received") == sent else [f"bare: unexpected answer {data}"]
    results = data.get("results", [])
    problems = [
        f"sync: item is {r.get('status')}: {r}" for r in results if r.get("status") != "created"
    ]
    if len(results) != sent:
        problems.append(f"sync: {len(results)} results for {sent} reports")
    return problems


def run_phase(
    pool: ThreadPoolExecutor, clients: list[Client], phase: str, seconds: float
) -> PhaseStats:
    """Let every client hit one endpoint for the given seconds; merge what they measured."""
    stopping = threading.Event()
    started, cpu_started = time.perf_counter(), time.process_time()
    deadline = time.monotonic() + seconds
    futures = [pool.submit(client.run, phase, deadline, stopping) for client in clients]
    total = PhaseStats()
    try:
        for future in futures:
            total.merge(future.result())
    finally:
        stopping.set()
    total.seconds = time.perf_counter() - started
    total.client_cpu_seconds = time.process_time() - cpu_started
    return total


# --- the report ---------------------------------------------------------------------------


def percentile(samples: list[float], p: int) -> float:
    """The p-th percentile of samples (0 when there are fewer than two)."""
    if len(samples) < 2:
        return samples[0] if samples else 0.0
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


def print_header(args: argparse.Namespace, database_url: str, port: int) -> None:
    """Say what is measured, against what."""
    backend = make_url(database_url).get_backend_name()
    print(
        f"Safeloop ingest bench: gunicorn --workers {args.workers} --worker-class "
        f"{args.worker_class} on {HOST}:{port}, database {backend}"
    )
    print(
        f"{args.clients} clients, batch {args.batch} reports per request, {args.rounds} rounds "
        f"of {args.seconds:g} s per phase after {args.warmup:g} s warm-up per endpoint, "
        f"{os.cpu_count()} CPUs shared by server and clients"
    )


def print_round(number: int, bare: PhaseStats, sync: PhaseStats) -> None:
    """One line per round, to show the drift."""
    ratio = sync.reports_per_second / bare.reports_per_second if bare.reports else 0.0
    print(
        f"round {number}: bare {bare.reports_per_second:8.0f} reports/s, "
        f"sync {sync.reports_per_second:8.0f} reports/s ({ratio:.0%})",
        flush=True,
    )


def print_summary(totals: dict[str, PhaseStats]) -> None:
    """The table of both endpoints and the goals."""
    print()
    print(
        f"{'phase':<6}{'requests':>9}{'reports':>9}{'reports/s':>11}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'app p50':>9}{'app p95':>9}{'client CPU':>12}"
    )
    for phase, stats in totals.items():
        lat, app = stats.latencies_ms, stats.app_ms
        print(
            f"{phase:<6}{stats.requests:>9}{stats.reports:>9}{stats.reports_per_second:>11.0f}"
            f"{percentile(lat, 50):>9.1f}{percentile(lat, 95):>9.1f}{percentile(lat, 99):>9.1f}"
            f"{percentile(app, 50):>9.1f}{percentile(app, 95):>9.1f}"
            f"{stats.client_cpu_seconds / stats.seconds:>11.0%}"
        )
    bare, sync = totals["bare"], totals["sync"]
    ratio = sync.reports_per_second / bare.reports_per_second if bare.reports else 0.0
    p95 = percentile(sync.latencies_ms, 95)
    print_goal("sync/bare throughput", f"{ratio:.1%}", f">= {GOAL_RATIO:.0%}", ratio >= GOAL_RATIO)
    print_goal(
        "sync p95 latency", f"{p95:.1f} ms", f"< {GOAL_SYNC_P95_MS:g} ms", p95 < GOAL_SYNC_P95_MS
    )
    print("latency: as the client sees it, waiting in gunicorn's queue included;")
    print("app: time inside the Flask app; client CPU: the load generator's own, 100% = one core")


def print_goal(label: str, value: str, goal: str, met: bool) -> None:
    """One measured value against its goal."""
    print(f"{label}: {value} (goal {goal}: {'met' if met else 'MISSED'})")


def print_failures(failures: list[str]) -> None:
    """How many answers were wrong, and the first few."""
    print(f"failures: {len(failures)}")
    for failure in failures[:MAX_FAILURES_SHOWN]:
        print(f"  {failure}")
    if len(failures) > MAX_FAILURES_SHOWN:
        print(f"  ... and {len(failures) - MAX_FAILURES_SHOWN} more")


# --- the run ------------------------------------------------------------------------------


def run_bench(
    args: argparse.Namespace, port: int, site_id: int, emails: list[str]
) -> tuple[dict[str, PhaseStats], list[str], int]:
    """Sign in, warm up, run the interleaved rounds; return the totals and reports sent."""
    clients = [Client(port, site_id, args.batch) for _ in emails]
    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        list(pool.map(Client.login, clients, emails))
        failures = []
        for phase in PHASES:
            failures += run_phase(pool, clients, phase, args.warmup).failures
        totals = {phase: PhaseStats() for phase in PHASES}
        for number in range(1, args.rounds + 1):
            rounds = {phase: run_phase(pool, clients, phase, args.seconds) for phase in PHASES}
            print_round(number, rounds["bare"], rounds["sync"])
            for phase, stats in rounds.items():
                totals[phase].merge(stats)
    sent = sum(client.sync_reports_sent for client in clients)
    return totals, failures + totals["bare"].failures + totals["sync"].failures, sent


def main() -> int:
    """Set up, measure, verify, tear down; 1 when any answer or the row count was wrong."""
    args = parse_args()
    # SIGTERM (and SIGINT, even where a shell ignored it) unwinds like Ctrl-C: gunicorn is
    # stopped, the database dropped and temporary files removed.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.default_int_handler)
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="safeloop-bench-")))
        database_url = stack.enter_context(fresh_database(args.database_url, folder))
        settings = server_settings(database_url, folder)
        site_id, emails = prepare_database(settings, args.clients)
        with gunicorn(settings, folder, args) as port:
            print_header(args, database_url, port)
            totals, failures, sent = run_bench(args, port, site_id, emails)
        print_summary(totals)
        print_failures(failures)
        rows = count_reports(database_url)
        exact = rows == sent
        print(
            f"report rows: {rows}, reports sent to /api/sync: {sent} (warm-up included): "
            f"{'exactly once' if exact else 'MISMATCH'}"
        )
    return 0 if exact and not failures else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("Interrupted: gunicorn stopped, database and temporary files removed.")
