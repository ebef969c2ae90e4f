"""Exports bench: the CSV of every report beside a bare COPY of the same rows, the evidence
bundle beside `zip -0` of the same files with its peak memory growth, the review's inputs and
`flask events verify` over 1,000,000 events, in one run.

Makes a fresh database (SQLite in a temporary folder, or a new PostgreSQL database that it drops
at the end), migrates it, and bulk-inserts one organization with 4 sites, an officer and 50
people: 100,000 reports, 20,000 NCs with an action each (half of them done), 1,000 signed-off
audits of a 40-question template with their answers, and 10,000 small real JPEGs made with
Pillow, stored in the media storage and shown by reports, actions and audit answers. Each
audit's report is drawn and kept as the job after its sign-off does (timed on its own: the
worker's work, before any export). Then:

- GET /api/exports/reports.csv for the whole period through the Flask test client, read to the
  end (rows per second), beside `COPY (SELECT the same columns, joins and order) TO STDOUT` on
  PostgreSQL (on SQLite: the same SELECT read bare); goal at least 30% of its rate;
- GET /api/exports/evidence.zip the same way, written to a file, beside `zip -0 -r` of the
  bundle's own files unzipped (bytes of content per second; goal at least 50%), and the growth
  of this process's resident memory while it is made (sampled; goal under 100 MB); then the
  bundle made again without HTTP, timed by part (README and records, photos, audit reports,
  review packs and the event log), beside a bare COPY of the records' lines (PostgreSQL): where
  its time goes;
- bench.review_inputs.measure(...) and bench.events_verify over 1,000,000 events of another
  organization, when those benches are there ("not available" otherwise).

    .venv/bin/python -m bench.exports --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

import argparse
import hashlib
import importlib
import io
import random
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import flask_migrate
import sqlalchemy as sa
from PIL import Image
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import make_url

from bench.common import add_database_option, bench_app, fresh_database, parse_with_database
from bench.desk_queue import PASSWORD, sign_in
from server.audits.models import Audit, AuditResponse, AuditTemplate, AuditTemplateVersion
from server.audits.report_files import draw_audit_report
from server.auth.access import Actor
from server.auth.models import Membership, User
from server.exports.bundle import bundle_pieces
from server.exports.scope import export_scope
from server.exports.tables import TABLES, report_query
from server.extensions import db
from server.media.models import Attachment, Photo
from server.media.services import variant_key
from server.media.storage import media_storage, staging_dir
from server.nonconformities.models import Action, Nonconformity
from server.orgs.models import Organization, Site
from server.reports.models import Report

SEED = 7013
CHUNK = 5000
OFFICER = "officer@exports.bench"
START = datetime(2026, 1, 5, 7, 0, tzinfo=UTC)
FROM, TO = date(2026, 1, 1), date(2026, 12, 31)
CSV_GOAL, ZIP_GOAL, MEMORY_GOAL_MB = 0.30, 0.50, 100
REVIEW_GOAL_S, VERIFY_GOAL_S = 2.0, 20.0
QUESTIONS = 40
WORDS = [
    "oil",
    "leak",
    "press",
    "floor",
    "slippery",
    "guard",
    "missing",
    "forklift",
    "aisle",
    "blocked",
    "spill",
    "drum",
    "ladder",
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--ncs", type=int, default=20_000)
    parser.add_argument("--audits", type=int, default=1_000)
    parser.add_argument("--photos", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    add_database_option(parser)
    return parse_with_database(parser)


# --- seeding ------------------------------------------------------------------------------


def _insert(model, rows: list[dict]) -> list[int]:
    """Rows in statements of CHUNK; their primary keys in order."""
    pks = []
    key = model.__mapper__.primary_key[0]
    for first in range(0, len(rows), CHUNK):
        pks += db.session.scalars(
            sa.insert(model).returning(key, sort_by_parameter_order=True),
            rows[first : first + CHUNK],
        ).all()
    db.session.commit()
    return pks


def seed_people() -> tuple[int, list[int], list[int]]:
    """The organization, its sites, the officer and 50 people: (organization, sites, people)."""
    organization = Organization(name="Bench Exports Works")
    sites = [Site(organization=organization, code=f"S{n}", name=f"Site {n}") for n in range(4)]
    officer = User(email=OFFICER, name="Officer")
    officer.set_password(PASSWORD)
    people = [User(email=f"p{n}@exports.bench", name=f"Person {n}") for n in range(50)]
    for user in people:
        user.password_hash = officer.password_hash
        db.session.add(Membership(user=user, organization=organization, role="worker"))
    db.session.add(Membership(user=officer, organization=organization, role="officer"))
    db.session.add_all(sites)
    db.session.commit()
    return organization.id, [s.id for s in sites], [officer.id] + [u.id for u in people]


def seed_photos(organization_id: int, count: int) -> list[dict]:
    """count small real JPEGs, each different, stored as uploads are and recorded."""
    storage, staging, rng, rows = media_storage(), staging_dir(), random.Random(SEED), []
    base = Image.effect_noise((96, 72), 40).convert("RGB")
    for n in range(count):
        image = base.copy()
        image.paste(
            (rng.randrange(256), n % 256, 7),
            (8 * (n % 12), 8 * (n // 12 % 9), 8 * (n % 12) + 8, 8 * (n // 12 % 9) + 8),
        )
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=80, comment=f"bench photo {n}".encode())
        data = buffer.getvalue()
        sha256 = hashlib.sha256(data).hexdigest()
        path = staging / f"bench-{n}"
        path.write_bytes(data)
        storage.put_file(variant_key(sha256, "original"), path)
        rows.append(
            {
                "organization_id": organization_id,
                "sha256": sha256,
                "content_type": "image/jpeg",
                "size_bytes": len(data),
                "width": 96,
                "height": 72,
            }
        )
    _insert(Photo, rows)
    return rows


def _moment(rng: random.Random) -> datetime:
    return START + timedelta(seconds=rng.randrange(int(timedelta(days=300).total_seconds())))


def seed_reports(organization_id, sites, people, count) -> list[int]:
    rng, rows = random.Random(SEED + 1), []
    for _ in range(count):
        observed = _moment(rng)
        rows.append(
            {
                "id": uuid.uuid4(),
                "organization_id": organization_id,
                "site_id": rng.choice(sites),
                "reporter_id": rng.choice(people),
                "kind": rng.choice(("hazard", "near_miss", "injury", "good_practice")),
                "description": " ".join(rng.choices(WORDS, k=rng.randint(5, 20))).capitalize(),
                "observed_at": observed,
                "received_at": observed + timedelta(minutes=5),
                "changed_at": observed + timedelta(minutes=5),
                "severity": rng.randint(1, 5),
                "likelihood": rng.randint(1, 5),
                "status": "triaged",
                "queue_category": rng.choice(("slips_trips_falls", "machinery", "electrical")),
                "queue_priority": rng.randint(1, 4),
                "queue_risk": -rng.randint(1, 25),
                "content_hash": secrets.token_hex(32),
            }
        )
    return _insert(Report, rows)


def seed_ncs(organization_id, sites, people, count) -> list[int]:
    """count NCs with a root cause, and one action each (half of them done): the actions' pks."""
    rng, ncs, actions = random.Random(SEED + 2), [], []
    for _ in range(count):
        raised = _moment(rng)
        ncs.append(
            {
                "id": uuid.uuid4(),
                "organization_id": organization_id,
                "site_id": rng.choice(sites),
                "title": " ".join(rng.choices(WORDS, k=5)).capitalize(),
                "description": " ".join(rng.choices(WORDS, k=25)),
                "severity": rng.choice(("minor", "major")),
                "source": rng.choice(("report", "audit", "incident")),
                "root_cause": {"method": "5whys", "whys": ["a", "b"], "statement": "No plan"},
                "status": "actions",
                "checks": 0,
                "created_at": raised,
                "changed_at": raised,
                "content_hash": secrets.token_hex(32),
            }
        )
    nc_pks = _insert(Nonconformity, ncs)
    for nc_pk, nc in zip(nc_pks, ncs, strict=True):
        done = rng.random() < 0.5
        actions.append(
            {
                "id": uuid.uuid4(),
                "organization_id": organization_id,
                "site_id": nc["site_id"],
                "nonconformity_pk": nc_pk,
                "title": "Fit a guard",
                "kind": "corrective",
                "control": "engineering",
                "owner_id": rng.choice(people),
                "due_on": (nc["created_at"] + timedelta(days=14)).date(),
                "status": "done" if done else "open",
                "done_at": nc["created_at"] + timedelta(days=rng.randint(1, 20)) if done else None,
                "notes": "Done" if done else None,
                "created_at": nc["created_at"],
                "changed_at": nc["created_at"],
                "content_hash": secrets.token_hex(32),
            }
        )
    actions.sort(key=lambda row: row["done_at"] is None)  # one statement per run of NULLs
    return _insert(Action, actions)


def seed_audits(organization_id, sites, people, count) -> list[int]:
    """count signed-off audits of one 40-question template, every question answered."""
    rng = random.Random(SEED + 3)
    questions = [
        {
            "id": str(uuid.uuid4()),
            "ref": f"{4 + n // 8}.{n % 8 + 1}",
            "text": f"Question {n}?",
            "guidance": "",
            "weight": 1,
            "evidence_on_nc": False,
        }
        for n in range(QUESTIONS)
    ]
    sections = [
        {"ref": str(4 + s), "title": f"Clause {4 + s}", "questions": questions[s * 8 : s * 8 + 8]}
        for s in range(QUESTIONS // 8)
    ]
    template = AuditTemplate(
        id=uuid.uuid4(), organization_id=organization_id, name="Plant audit", standard="other"
    )
    db.session.add(template)
    db.session.flush()
    version = AuditTemplateVersion(
        template_pk=template.pk,
        version=1,
        name="Plant audit",
        standard="other",
        sections=sections,
        question_count=QUESTIONS,
    )
    db.session.add(version)
    db.session.commit()
    audits = []
    for _ in range(count):
        signed = _moment(rng)
        audits.append(
            {
                "id": uuid.uuid4(),
                "organization_id": organization_id,
                "site_id": rng.choice(sites),
                "template_version_pk": version.pk,
                "auditor_id": people[0],
                "status": "submitted",
                "started_at": signed,
                "signed_at": signed,
                "submitted_at": signed,
                "score": 90.0,
                "created_at": signed,
                "changed_at": signed,
            }
        )
    audit_pks = _insert(Audit, audits)
    answers = []
    for audit_pk, audit in zip(audit_pks, audits, strict=True):
        for section in sections:
            for question in section["questions"]:
                result = rng.choices(("conforming", "observation", "minor_nc"), (90, 7, 3))[0]
                answers.append(
                    {
                        "id": uuid.uuid4(),
                        "organization_id": organization_id,
                        "audit_pk": audit_pk,
                        "question_id": uuid.UUID(question["id"]),
                        "clause": section["ref"],
                        "result": result,
                        "notes": "Seen on the floor" if result != "conforming" else None,
                        "answered_at": audit["signed_at"],
                        "answered_by_id": people[0],
                        "created_at": audit["signed_at"],
                        "content_hash": secrets.token_hex(32),
                    }
                )
    answers.sort(key=lambda row: row["notes"] is None)
    return audit_pks, _insert(AuditResponse, answers)


def draw_reports(audit_pks: list[int]) -> float:
    """Each audit's report drawn and kept, as the job after its sign-off does: seconds."""
    started = time.perf_counter()
    for audit_pk in audit_pks:
        draw_audit_report(audit_pk)
    db.session.remove()
    return time.perf_counter() - started


def attach_photos(organization_id, photos, reports, actions, answers) -> None:
    """Three in five photos on reports, one in five on actions, one in five on answers."""
    rows, shown = [], [("report", reports), ("action", actions), ("audit_response", answers)]
    for n, photo in enumerate(photos):
        kind, pks = shown[0] if n % 5 < 3 else shown[1] if n % 5 == 3 else shown[2]
        rows.append(
            {
                "organization_id": organization_id,
                "record_type": kind,
                "record_pk": pks[n % len(pks)],
                "sha256": photo["sha256"],
                "position": 0,
                "content_type": "image/jpeg",
                "width": 96,
                "height": 72,
            }
        )
    _insert(Attachment, rows)


# --- measuring ----------------------------------------------------------------------------


class MemoryPeak:
    """The growth of this process's resident memory over a block, sampled every 10 ms."""

    def __init__(self):
        self.start = self.peak = self._rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    @staticmethod
    def _rss() -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * 4096

    def _sample(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, self._rss())

    def __enter__(self) -> "MemoryPeak":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.start) / 2**20


def timed_download(client, url: str, out_path: Path | None = None) -> tuple[float, int]:
    """Seconds and bytes of a streamed GET read to its end (written to out_path if given)."""
    started = time.perf_counter()
    response = client.get(url, buffered=False)
    assert response.status_code == 200, response.get_data()[:500]
    size = 0
    with open(out_path or "/dev/null", "wb") as out:
        for piece in response.response:
            out.write(piece)
            size += len(piece)
    response.close()
    return time.perf_counter() - started, size


def bare_copy(app, organization_id: int) -> tuple[str, float, int]:
    """The CSV's own query (columns, joins, order), read bare: COPY TO STDOUT on PostgreSQL."""
    with app.app_context():
        actor = Actor(0, 0, organization_id, "officer", None)
        stmt = report_query(export_scope(actor, FROM, TO))
        connection = db.engine.raw_connection()
        try:
            cursor = connection.cursor()
            started = time.perf_counter()
            if db.engine.dialect.name == "postgresql":
                sql = str(
                    stmt.compile(
                        dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
                    )
                )
                rows = 0
                with cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy:
                    for block in copy:  # CSV text, a line a row (no newline in the texts)
                        rows += bytes(block).count(b"\n")
                how = "COPY (SELECT ...) TO STDOUT"
            else:
                with db.engine.connect() as bare:
                    rows = sum(
                        len(p)
                        for p in bare.execute(stmt.execution_options(yield_per=5000)).partitions()
                    )
                how = "the same SELECT read bare"
            return how, time.perf_counter() - started, rows
        finally:
            connection.close()


def zip_store(bundle: Path, folder: Path) -> tuple[float, int]:
    """The bundle's files unzipped, then zipped again with `zip -0 -r`: seconds and bytes."""
    files = folder / "files"
    subprocess.run(["unzip", "-q", str(bundle), "-d", str(files)], check=True)
    content = sum(path.stat().st_size for path in files.rglob("*") if path.is_file())
    started = time.perf_counter()
    subprocess.run(["zip", "-0", "-r", "-q", str(folder / "again.zip"), "."], cwd=files, check=True)
    return time.perf_counter() - started, content


def bundle_parts(app, organization_id: int) -> dict:
    """The bundle made again without HTTP, seconds by part: the files are written in the order
    README, records, photos, audit reports, review packs, event log (and SHA256SUMS)."""
    with app.app_context():
        actor = Actor(0, 0, organization_id, "officer", None)
        scope = export_scope(actor, FROM, TO)
        records = 1 + 2 * len(TABLES)
        photos = db.session.scalar(sa.select(sa.func.count()).select_from(Photo))
        audits = db.session.scalar(sa.select(sa.func.count()).select_from(Audit))
        bounds = [("records (README, CSV and JSON lines)", records), ("photos", photos)]
        bounds.append(("audit reports (kept)", audits))
        parts, marks = {}, {"start": time.perf_counter()}

        def on_file(done: int) -> None:
            marks[done] = time.perf_counter()

        for _ in bundle_pieces(scope, datetime.now(UTC), on_file):
            pass
        ends = sorted(marks.items(), key=lambda item: item[1])
        last, total = marks["start"], 0
        for name, count in bounds:
            total += count
            end = marks.get(total, last)
            parts[name] = end - last
            last = end
        parts["the rest (packs, event log, SHA256SUMS)"] = ends[-1][1] - last
        parts["bare COPY of the records' lines"] = bare_records(scope)
        db.session.remove()
    return parts


DIALECT = postgresql.dialect()


def bare_records(scope) -> float | None:
    """Seconds PostgreSQL alone takes to write the lines of the tables it writes (reports and
    NCs, CSV and JSON), read bare with COPY; None on SQLite."""
    if db.engine.dialect.name != "postgresql":
        return None
    connection = db.engine.raw_connection()
    try:
        cursor, started = connection.cursor(), time.perf_counter()
        for table in TABLES:
            for form in ("csv", "json") if table.lines is not None else ():
                stmt = table.lines(scope, form)
                sql = stmt.compile(
                    dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
                )
                with cursor.copy(f"COPY ({sql}) TO STDOUT") as copy:
                    for _block in copy:
                        pass
        return time.perf_counter() - started
    finally:
        connection.close()


def print_parts(parts: dict, bundle_s: float, store_s: float) -> None:
    """Where the bundle's time goes, beside what zip -0 took for all of it."""
    print(f"  made again without HTTP, by part (zip -0 took {store_s:.2f} s for every file):")
    for name, seconds in parts.items():
        if seconds is not None:
            print(f"    {name:40} {seconds:6.2f} s")


def optional(module: str):
    """A bench module written by others, or None while there is none."""
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def main() -> int:
    args = parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="safeloop-exports-")))
        database_url = stack.enter_context(fresh_database(args.database_url, folder))
        app = bench_app(
            database_url, folder, EXPORT_BUNDLE_MAX_PHOTOS=10**9, EXPORT_BUNDLE_MAX_MB=10**9
        )
        seeding = time.perf_counter()
        with app.app_context():
            flask_migrate.upgrade()
            organization_id, sites, people = seed_people()
            photos = seed_photos(organization_id, args.photos)
            reports = seed_reports(organization_id, sites, people, args.reports)
            actions = seed_ncs(organization_id, sites, people, args.ncs)
            audit_pks, answers = seed_audits(organization_id, sites, people, args.audits)
            attach_photos(organization_id, photos, reports, actions, answers)
            drawn_s = draw_reports(audit_pks)
            if db.engine.dialect.name == "postgresql":
                db.session.execute(sa.text("ANALYZE"))
                db.session.commit()
            db.session.remove()
        backend = make_url(database_url).get_backend_name()
        print(
            f"Safeloop exports bench: {args.reports:,} reports, {args.ncs:,} NCs with an action "
            f"each, {args.audits:,} audits x {QUESTIONS} answers, {args.photos:,} photos; "
            f"database {backend}, seeded in {time.perf_counter() - seeding:.0f} s"
        )
        print(
            f"  audit reports drawn and kept as the job after each sign-off does: "
            f"{args.audits:,} in {drawn_s:.1f} s ({drawn_s / max(args.audits, 1):.3f} s each)"
        )
        query = f"from={FROM.isoformat()}&to={TO.isoformat()}"
        client = sign_in(app, OFFICER)
        met = []

        csv_s, csv_bytes = timed_download(client, f"/api/exports/reports.csv?{query}")
        how, bare_s, bare_rows = bare_copy(app, organization_id)
        csv_rate, bare_rate = args.reports / csv_s, bare_rows / bare_s
        met.append(csv_rate >= CSV_GOAL * bare_rate)
        print(f"\nCSV of every report ({args.reports:,} rows, {csv_bytes / 2**20:.1f} MB)")
        print(f"  GET /api/exports/reports.csv   {csv_s:7.2f} s  {csv_rate:>10,.0f} rows/s")
        print(f"  bare {how:26}{bare_s:7.2f} s  {bare_rate:>10,.0f} rows/s")
        print(
            f"  export / bare: {csv_rate / bare_rate:.0%} of the rate; goal >= {CSV_GOAL:.0%}: "
            f"{'met' if met[-1] else 'MISSED'}"
        )

        bundle = folder / "evidence.zip"
        with MemoryPeak() as memory:
            zip_s, zip_bytes = timed_download(client, f"/api/exports/evidence.zip?{query}", bundle)
        store_s, content = zip_store(bundle, folder)
        ours, theirs = content / zip_s, content / store_s
        rate_met, memory_met = ours >= ZIP_GOAL * theirs, memory.growth_mb < MEMORY_GOAL_MB
        met.append(rate_met and memory_met)
        print(
            f"\nEvidence bundle ({content / 2**20:.0f} MB of files, zip {zip_bytes / 2**20:.0f} MB)"
        )
        print(f"  GET /api/exports/evidence.zip  {zip_s:7.2f} s  {ours / 2**20:8.1f} MB/s of files")
        print(f"  zip -0 -r of the same files    {store_s:7.2f} s  {theirs / 2**20:8.1f} MB/s")
        print(
            f"  bundle / zip -0: {ours / theirs:.0%}; goal >= {ZIP_GOAL:.0%}: "
            f"{'met' if rate_met else 'MISSED'}. Peak memory growth while making it: "
            f"{memory.growth_mb:.0f} MB; goal < {MEMORY_GOAL_MB} MB: "
            f"{'met' if memory_met else 'MISSED'}"
        )
        print_parts(bundle_parts(app, organization_id), zip_s, store_s)

        print("\nReview inputs (bench.review_inputs.measure)")
        review_bench = optional("bench.review_inputs")
        if review_bench is None or not hasattr(review_bench, "measure"):
            print("  not available")
        else:
            result = review_bench.measure(app, organization_id, [], FROM, TO)
            review_bench.print_measure("every site, the whole year", result)
            met.append(result["met"])

        print(f"\nflask events verify over {args.events:,} events (bench.events_verify)")
        verify_bench = optional("bench.events_verify")
        if verify_bench is None:
            print("  not available")
        else:
            with app.app_context():
                other = Organization(name="Bench Chain Works")
                db.session.add(other)
                db.session.commit()
                started = time.perf_counter()
                verify_bench.seed_events(db.session, other.id, args.events)
                print(f"  seeded in {time.perf_counter() - started:.0f} s")
                result = verify_bench.measure(other.id, runs=1)
                verify_bench.print_result(result)
                met.append(result["broken"] is None and result["verify_s"] < VERIFY_GOAL_S)
                print(f"  goal < {VERIFY_GOAL_S:g} s: {'met' if met[-1] else 'MISSED'}")
                db.session.remove()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    print(f"\ngoals: {'met' if all(met) else 'MISSED'}")
    return 0 if all(met) else 1


if __name__ == "__main__":
    sys.exit(main())
