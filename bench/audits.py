"""Audits bench: the report PDF of a 264-question audit with 60 photos, and the sign-off.

Makes a fresh database (SQLite in a temporary folder, or a new PostgreSQL database that it drops
at the end), one organization with a site and an auditor, a template of 264 questions over
clauses 4 to 10, and 60 photo-like JPEGs uploaded through PUT /api/photos (so their thumbnails
are made as in production). Audits are started and answered through the API as a phone does
(POST /api/audits, POST /api/sync in batches of 100): 20 minor or major NCs and 10 observations
each, two photos on each of those 30 answers.

(a) The report PDF of a signed-off audit (audit_report_pdf, what GET /api/audits/{id}/report.pdf
    runs) with its 60 photos, beside the same audit rendered with its photo lists emptied: median
    seconds of interleaved runs in this process, and peak RSS of one run in a fresh process per
    variant (VmHWM reset just before the run; the figure includes the app, which is loaded
    first). Goals: under 5 s and under 300 MB with the photos.
(b) POST /api/audits/{id}/submit with all 264 answered (score and 20 NCs made), one audit per
    run, beside a bare GET /api/audits/{id} of the same audit just before it, and a second
    submit of it (already signed off): p50 and p95 in ms. Goal: submit p95 under 300 ms.

    .venv/bin/python -m bench.audits
    .venv/bin/python -m bench.audits --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

import argparse
import multiprocessing
import re
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

import flask_migrate
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import make_url

from bench.common import add_database_option, bench_app, fresh_database, parse_with_database
from bench.desk_queue import PASSWORD, percentiles
from server.audits.models import AuditTemplate, AuditTemplateVersion
from server.audits.reading import audit_view
from server.audits.report import audit_report_pdf, render_audit_report, thumbnail_source
from server.auth.access import actor_for
from server.auth.models import Membership, User
from server.extensions import db
from server.orgs.models import Organization, Site
from tests.media.images import jpeg, sha256

PDF_GOAL_S, PDF_GOAL_MB, SUBMIT_GOAL_MS = 5.0, 300.0, 300.0
# Questions per clause: 264 in all.
CLAUSES = {"4": 24, "5": 36, "6": 44, "7": 44, "8": 52, "9": 36, "10": 28}
TITLES = {
    "4": "Context of the organization",
    "5": "Leadership and worker participation",
    "6": "Planning",
    "7": "Support",
    "8": "Operation",
    "9": "Performance evaluation",
    "10": "Improvement",
}
PHOTOS, MINOR, MAJOR, OBSERVATIONS = 60, 12, 8, 10
BATCH = 100
AUDITOR, OFFICER = "auditor@bench.test", "officer@bench.test"


def parse_args() -> argparse.Namespace:
    """The bench's options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed PDF runs per variant (5)")
    parser.add_argument("--submits", type=int, default=15, help="audits signed off, timed (15)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed sign-offs first (2)")
    add_database_option(parser)
    return parse_with_database(parser)


# --- the data -----------------------------------------------------------------------------


def seed_people() -> int:
    """The organization, its site (Berlin time) and its auditor and officer; the org's id."""
    organization = Organization(name="Bench Fabrication Ltd")
    site = Site(organization=organization, code="NORTH", name="North Plant")
    site.time_zone = "Europe/Berlin"
    db.session.add(site)
    for email, role in ((AUDITOR, "auditor"), (OFFICER, "officer")):
        user = User(email=email, name=f"Bench {role.title()}")
        user.set_password(PASSWORD)
        db.session.add(Membership(user=user, organization=organization, role=role))
    db.session.commit()
    return organization.id


def seed_template(organization_id: int) -> uuid.UUID:
    """A 264-question template over clauses 4 to 10, weights 1 to 3; its id."""
    sections = [
        {
            "ref": clause,
            "title": TITLES[clause],
            "questions": [
                {
                    "id": str(uuid.uuid4()),
                    "ref": f"{clause}.{n // 4 + 1}.{n % 4 + 1}",
                    "text": f"Is requirement {clause}.{n // 4 + 1}.{n % 4 + 1} met, with records "
                    "kept and the people who do the work consulted?",
                    "guidance": "Ask for the record; see it on the floor.",
                    "weight": 1 + n % 3,
                    "evidence_on_nc": n % 5 == 0,
                }
                for n in range(count)
            ],
        }
        for clause, count in CLAUSES.items()
    ]
    template = AuditTemplate(
        id=uuid.uuid4(),
        organization_id=organization_id,
        name="Plant audit (264 questions)",
        standard="ISO 45001:2018",
    )
    db.session.add(template)
    db.session.flush()
    db.session.add(
        AuditTemplateVersion(
            template_pk=template.pk,
            version=1,
            name=template.name,
            standard=template.standard,
            sections=sections,
            question_count=sum(CLAUSES.values()),
        )
    )
    db.session.commit()
    return template.id


def upload_photos(client, count: int) -> list[str]:
    """count photo-like 1600x1200 JPEGs through PUT /api/photos; their SHA-256."""
    hashes = []
    for _ in range(count):
        data = jpeg((1600, 1200), quality=85)
        response = client.put(f"/api/photos/{sha256(data)}", data=data, content_type="image/jpeg")
        assert response.status_code == 201, response.get_json()
        hashes.append(sha256(data))
    return hashes


def answers(audit: dict, photos: list[str]) -> list[dict]:
    """Every question answered: MINOR + MAJOR NCs and OBSERVATIONS spread over the clauses, two
    photos on each of them, the rest conforming or (one in twenty) not applicable."""
    questions = [q for section in audit["template"]["sections"] for q in section["questions"]]
    step = len(questions) // (MINOR + MAJOR + OBSERVATIONS)
    special = ["minor_nc"] * MINOR + ["major_nc"] * MAJOR + ["observation"] * OBSERVATIONS
    items, answered_at = [], datetime.now(UTC).isoformat()
    for number, question in enumerate(questions):
        result = "not_applicable" if number % 20 == 7 else "conforming"
        notes, shown = None, []
        if number % step == 0 and number // step < len(special):
            index = number // step
            result, shown = special[index], photos[2 * index : 2 * index + 2]
            notes = f"Seen on the floor at {question['ref']}: " + "the guard was off. " * 6
        items.append(
            {
                "id": str(uuid.uuid4()),
                "audit_id": audit["id"],
                "question_id": question["id"],
                "result": result,
                "notes": notes,
                "photos": shown,
                "answered_at": answered_at,
            }
        )
    return items


def answered_audit(client, template_id: uuid.UUID, site_id: int, photos: list[str]) -> str:
    """An audit started and fully answered through the API; its id."""
    body = {"id": str(uuid.uuid4()), "template_id": str(template_id), "site_id": site_id}
    response = client.post("/api/audits", json=body)
    assert response.status_code == 201, response.get_json()
    items = answers(response.get_json(), photos)
    for first in range(0, len(items), BATCH):
        sent = client.post("/api/sync", json={"responses": items[first : first + BATCH]})
        statuses = {entry["status"] for entry in sent.get_json()["responses"]}
        assert sent.status_code == 200 and statuses == {"created"}, sent.get_json()
    return body["id"]


def submit(client, audit_id: str) -> dict:
    response = client.post(
        f"/api/audits/{audit_id}/submit", json={"signed_at": datetime.now(UTC).isoformat()}
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


# --- (a) the report -----------------------------------------------------------------------


def with_photos(audit_id: uuid.UUID) -> bytes:
    """What the report endpoint runs."""
    return audit_report_pdf(_auditor(), audit_id)


def without_photos(audit_id: uuid.UUID) -> bytes:
    """The same, the photo lists of the findings and observations emptied."""
    actor = _auditor()
    view = audit_view(actor, audit_id)
    for entry in view["findings"] + view["observations"]:
        entry["photos"] = []
    organization = db.session.get(Organization, actor.organization_id)
    return render_audit_report(view, thumbnail_source(actor.organization_id), organization.name)


VARIANTS = {"with 60 photos": with_photos, "without photos": without_photos}


def _auditor():
    membership = db.session.scalar(sa.select(Membership).join(User).where(User.email == AUDITOR))
    return actor_for(membership)


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def time_reports(app: Flask, audit_id: uuid.UUID, runs: int) -> dict[str, tuple[float, bytes]]:
    """Median seconds of each variant, runs interleaved after one warm-up each; its PDF."""
    samples: dict[str, list[float]] = {name: [] for name in VARIANTS}
    made = {}
    with app.app_context():
        for name, run in VARIANTS.items():
            made[name] = run(audit_id)
        for _ in range(runs):
            for name, run in VARIANTS.items():
                started = time.perf_counter()
                run(audit_id)
                samples[name].append(time.perf_counter() - started)
                db.session.remove()
    return {name: (statistics.median(samples[name]), made[name]) for name in VARIANTS}


def _status_kib(field: str) -> int:
    """A memory figure of this process from /proc (Linux), in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)


def _peak_in_child(name: str, database_url: str, folder: str, audit_id: str, answer) -> None:
    """In a fresh process, the app loaded: RSS before and peak RSS during one run (KiB)."""
    app = bench_app(database_url, Path(folder))
    with app.app_context():
        _auditor()  # the database connected and the models loaded before measuring
        # ru_maxrss would include the parent's peak across fork and exec: reset VmHWM instead.
        Path("/proc/self/clear_refs").write_text("5")
        before = _status_kib("VmRSS")
        VARIANTS[name](uuid.UUID(audit_id))
        answer.send((before, _status_kib("VmHWM")))
        db.session.remove()
        db.engine.dispose()


def peak_memory(database_url: str, folder: Path, audit_id: uuid.UUID) -> dict[str, tuple]:
    """(RSS at start, peak RSS) in KiB of each variant, each in its own process."""
    context = multiprocessing.get_context("spawn")
    peaks = {}
    for name in VARIANTS:
        receive, send = context.Pipe(duplex=False)
        child = context.Process(
            target=_peak_in_child, args=(name, database_url, str(folder), str(audit_id), send)
        )
        child.start()
        peaks[name] = receive.recv()
        child.join()
    return peaks


def print_reports(timed: dict, peaks: dict) -> bool:
    """The side-by-side table of (a); True when the goals are met with the photos."""
    print(f"\n{'(a) report PDF':<18}{'median s':>9}{'pages':>7}{'PDF KB':>9}", end="")
    print(f"{'peak RSS MB':>13}{'over start':>12}")
    for name, (seconds, pdf) in timed.items():
        start, peak = peaks[name]
        print(f"{name:<18}{seconds:>9.2f}{pages(pdf):>7}{len(pdf) / 1000:>9,.0f}", end="")
        print(f"{peak * 1024 / 1e6:>13.0f}{(peak - start) * 1024 / 1e6:>12.0f}")
    (photo_s, _), (plain_s, _) = timed.values()
    (photo_start, photo_peak), (plain_start, plain_peak) = peaks.values()
    grown = max(photo_peak - photo_start, 1024) / max(plain_peak - plain_start, 1024)
    print(f"with/without photos: time {photo_s / plain_s:.1f}x, memory over start {grown:.1f}x")
    return photo_s < PDF_GOAL_S and photo_peak * 1024 / 1e6 < PDF_GOAL_MB


# --- (b) the sign-off ---------------------------------------------------------------------


def time_submits(client, audit_ids: list[str], warmup: int) -> dict[str, list[float]]:
    """Per audit: a bare GET, the sign-off, and the sign-off again; ms, warm-ups left out."""
    samples: dict[str, list[float]] = {"GET the audit (baseline)": [], "submit": [], "again": []}
    for number, audit_id in enumerate(audit_ids):
        times = []
        started = time.perf_counter()
        response = client.get(f"/api/audits/{audit_id}")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.get_json()
        for _ in range(2):
            started = time.perf_counter()
            view = submit(client, audit_id)
            times.append((time.perf_counter() - started) * 1000)
        assert view["status"] == "submitted" and len(view["findings"]) == MINOR + MAJOR
        assert all(finding["nonconformity_id"] for finding in view["findings"])
        if number >= warmup:
            for samples_of, elapsed in zip(samples.values(), times, strict=True):
                samples_of.append(elapsed)
    return samples


def print_submits(samples: dict[str, list[float]]) -> bool:
    """The side-by-side table of (b); True when the sign-off's p95 meets the goal."""
    names = {
        "GET the audit (baseline)": "GET /api/audits/{id} (baseline)",
        "submit": f"submit: score + {MINOR + MAJOR} NCs",
        "again": "submit again (signed off)",
    }
    runs = len(samples["submit"])
    print(f"\n{'(b) sign-off, ' + str(runs) + ' audits':<36}{'p50 ms':>8}{'p95 ms':>8}{'x GET':>7}")
    base = percentiles(samples["GET the audit (baseline)"])[0]
    figures = {name: percentiles(values) for name, values in samples.items()}
    for name, (p50, p95) in figures.items():
        print(f"{names[name]:<36}{p50:>8.1f}{p95:>8.1f}{p50 / base:>7.1f}")
    return figures["submit"][1] < SUBMIT_GOAL_MS


# --- the run ------------------------------------------------------------------------------


def seed(app: Flask, submits: int) -> tuple[list[str], list[str]]:
    """People, template, photos and `submits` answered audits; their ids and the photos'."""
    with app.app_context():
        organization_id = seed_people()
        template_id = seed_template(organization_id)
        site_id = db.session.scalar(sa.select(Site.id))
    client = app.test_client()
    response = client.post("/api/auth/login", json={"email": AUDITOR, "password": PASSWORD})
    assert response.status_code == 200
    photos = upload_photos(client, PHOTOS)
    audits = [answered_audit(client, template_id, site_id, photos) for _ in range(submits)]
    return audits, photos


def main() -> int:
    """Seed, time the sign-offs (b), then the report of the first one signed off (a)."""
    args = parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="safeloop-audits-")))
        database_url = stack.enter_context(fresh_database(args.database_url, folder))
        app = bench_app(database_url, folder, SYNC_MAX_BATCH=BATCH)
        with app.app_context():
            flask_migrate.upgrade()
        seeding = time.perf_counter()
        audits, _ = seed(app, args.submits + args.warmup)
        print(
            f"Safeloop audits bench: {len(audits)} audits of {sum(CLAUSES.values())} questions "
            f"({MINOR} minor NC, {MAJOR} major NC, {OBSERVATIONS} observations, {PHOTOS} photos "
            f"each), database {make_url(database_url).get_backend_name()}, seeded in "
            f"{time.perf_counter() - seeding:.0f} s"
        )
        client = app.test_client()
        client.post("/api/auth/login", json={"email": AUDITOR, "password": PASSWORD})
        submits_met = print_submits(time_submits(client, audits, args.warmup))
        report_id = uuid.UUID(audits[0])
        reports_met = print_reports(
            time_reports(app, report_id, args.runs), peak_memory(database_url, folder, report_id)
        )
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    met = submits_met and reports_met
    print(
        f"\ngoals (report with {PHOTOS} photos < {PDF_GOAL_S:g} s and < {PDF_GOAL_MB:g} MB peak "
        f"RSS; submit p95 < {SUBMIT_GOAL_MS:g} ms): {'met' if met else 'MISSED'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
