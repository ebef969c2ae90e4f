"""The evidence bundle: a zip an external auditor checks with standard tools, made as it is sent.

    README.txt                       what is inside and how to check it
    records/<table>.csv, .jsonl      reports, nonconformities, actions, audit answers,
                                     competence records, the document register and
                                     acknowledgements
    photos/<sha256>.<ext>            every photo of those records, as uploaded, named by hash
    documents/<sha256>.<ext>         the current approved revision's file of every document
                                     in the register, as uploaded, named by hash
    audits/audit-<id>.pdf            the report of each audit signed off in the period
    reviews/review-<id>.pdf          the pack of each management review held in the period
    events/events.jsonl              the event log of the period, with its hash chain
    MISSING.txt                      only when a photo's bytes could not be read
    SHA256SUMS                       every file above; `sha256sum -c SHA256SUMS` checks them

Photos and PDFs are stored as they are (they are compressed already), the rest deflated. Every
file is read in pieces and handed on as it is written (server.exports.zipstream): memory stays
flat however many photos a period holds.
"""

from collections.abc import Callable, Iterator
from datetime import datetime

from sqlalchemy import func, select, union

from server.audits.models import Audit
from server.audits.report_files import stored_reports
from server.documents.files import file_key
from server.exports import cells, events_log, reviews_packs
from server.exports.registers import document_files
from server.exports.scope import ExportScope
from server.exports.tables import TABLES, batches, period_records, signed_off
from server.exports.zipstream import ZipStream, sha256sums
from server.extensions import db
from server.media.models import Attachment, Photo
from server.media.services import variant_key
from server.media.storage import media_storage
from server.orgs.models import Organization, Site

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
DOCUMENT_EXTENSIONS = {**EXTENSIONS, "application/pdf": "pdf"}
# Photo bytes are read this much at a time.
CHUNK = 1024 * 1024
# README, the records (CSV and JSON of each table), the event log and SHA256SUMS.
FIXED_FILES = 1 + 2 * len(TABLES) + 1 + 1

OnFile = Callable[[int], None]


def photo_name(sha256: str, content_type: str) -> str:
    """A photo's name in the bundle: photos/<sha256>.<ext>."""
    return f"photos/{sha256}.{EXTENSIONS.get(content_type, 'bin')}"


def period_photos(scope: ExportScope):
    """The photos the period's records show (and the organization holds), by hash."""
    shown = union(
        *(
            select(Attachment.sha256).where(
                Attachment.organization_id == scope.organization_id,
                Attachment.record_type == kind,
                Attachment.record_pk.in_(pks),
            )
            for kind, pks in period_records(scope).items()
        )
    ).subquery()
    return select(Photo.sha256, Photo.content_type, Photo.size_bytes).where(
        Photo.organization_id == scope.organization_id, Photo.sha256.in_(select(shown.c.sha256))
    )


def document_name(sha256: str, content_type: str) -> str:
    """A document file's name in the bundle: documents/<sha256>.<ext>."""
    return f"documents/{sha256}.{DOCUMENT_EXTENSIONS.get(content_type, 'bin')}"


def document_bytes(scope: ExportScope) -> int:
    """The bytes of the documents' files the bundle will hold."""
    return sum(size for _sha256, _type, size in document_files(scope))


def photo_totals(scope: ExportScope) -> tuple[int, int]:
    """How many photos the bundle will hold, and their bytes."""
    found = period_photos(scope).subquery()
    count, size = db.session.execute(
        select(func.count(), func.coalesce(func.sum(found.c.size_bytes), 0)).select_from(found)
    ).one()
    return count, int(size)


def period_audits(scope: ExportScope) -> list[int]:
    """The audits signed off in the period (their pks), in the order signed off."""
    stmt = signed_off(scope, select(Audit.pk)).order_by(Audit.submitted_at, Audit.pk)
    return list(db.session.scalars(stmt))


def file_count(scope: ExportScope) -> int:
    """How many files the bundle will hold (MISSING.txt aside)."""
    photos, _ = photo_totals(scope)
    audits = len(period_audits(scope))
    documents = len(document_files(scope))
    return FIXED_FILES + photos + documents + audits + len(reviews_packs.held_reviews(scope))


def _file_pieces(path) -> Iterator[bytes]:
    """A stored file's bytes, CHUNK at a time."""
    with open(path, "rb") as file:
        while piece := file.read(CHUNK):
            yield piece


def _opened_pieces(file) -> Iterator[bytes]:
    """An opened file's bytes, CHUNK at a time; closed at the end."""
    with file:
        while piece := file.read(CHUNK):
            yield piece


def readme(scope: ExportScope, now: datetime, counts: dict) -> bytes:
    """README.txt: what the bundle is, what it holds, how to check it."""
    organization = db.session.get(Organization, scope.organization_id)
    sites = db.session.scalars(
        select(Site.name).where(Site.id.in_(scope.site_ids)).order_by(Site.name)
    ).all()
    return README.format(
        organization=organization.name,
        start=scope.start.isoformat(),
        end=scope.end.isoformat(),
        sites=", ".join(sites) or "(none)",
        made=cells.moment(now),
        photos=counts["photos"],
        audits=counts["audits"],
        reviews=counts["reviews"],
        documents=counts["documents"],
        events=events_log.CHAIN_NOTE,
    ).encode("utf-8")


def bundle_pieces(scope: ExportScope, now: datetime, on_file: OnFile | None = None):
    """The bundle's bytes, piece by piece; on_file(n) is told after each file written."""
    stream, written = ZipStream(now), 0

    def add(name: str, pieces, **options) -> Iterator[bytes]:
        nonlocal written
        yield from stream.add(name, pieces, **options)
        written += 1
        if on_file is not None:
            on_file(written)

    audits, reviews = period_audits(scope), reviews_packs.held_reviews(scope)
    photos_count, _ = photo_totals(scope)
    counts = {
        "photos": photos_count,
        "audits": len(audits),
        "reviews": len(reviews),
        "documents": len(document_files(scope)),
    }
    yield from add("README.txt", [readme(scope, now, counts)])
    for table in TABLES:
        yield from add(f"records/{table.name}.csv", table.csv(scope))
        yield from add(f"records/{table.name}.jsonl", table.json_lines(scope))
    missing, storage = [], media_storage()
    for batch in batches(period_photos(scope).order_by(Photo.sha256)):
        for sha256, content_type, size in batch:
            try:
                file = storage.open(variant_key(sha256, "original"))
            except FileNotFoundError:
                missing.append(sha256)
                continue
            name = photo_name(sha256, content_type)
            yield from add(name, _opened_pieces(file), store=True, size=size)
    for sha256, content_type, size in document_files(scope):
        try:
            file = storage.open(file_key(sha256))
        except FileNotFoundError:
            missing.append(document_name(sha256, content_type))
            continue
        name = document_name(sha256, content_type)
        yield from add(name, _opened_pieces(file), store=True, size=size)
    # Each signed-off audit's report as it was drawn and kept (drawn now where it was not).
    for report in stored_reports(audits):
        name, size = f"audits/audit-{report.audit_id}.pdf", report.size_bytes
        yield from add(name, _file_pieces(report.path), store=True, size=size)
    for review_id, pdf in reviews_packs.packs(scope, reviews):
        yield from add(f"reviews/review-{review_id}.pdf", [pdf], store=True, size=len(pdf))
    yield from add("events/events.jsonl", events_log.event_pieces(scope))
    if missing:
        yield from add("MISSING.txt", [_missing_note(missing)])
    yield from stream.add("SHA256SUMS", [sha256sums(stream.sums)])
    if on_file is not None:
        on_file(written + 1)
    yield from stream.close()


def _missing_note(missing: list[str]) -> bytes:
    lines = [
        "These photos (by hash) and document files are shown by records of the period, but "
        "their bytes could not be read from storage when the bundle was made:",
        "",
        *missing,
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def bundle_name(scope: ExportScope) -> str:
    """evidence-2026-01-01-to-2026-03-31.zip (with the site's code when one is asked for)."""
    return f"evidence-{period_label(scope)}.zip"


def period_label(scope: ExportScope) -> str:
    """2026-01-01-to-2026-03-31, or NORTH-2026-01-01-to-2026-03-31 for one site."""
    label = f"{scope.start.isoformat()}-to-{scope.end.isoformat()}"
    if scope.site_id is None:
        return label
    code = db.session.scalar(select(Site.code).where(Site.id == scope.site_id)) or ""
    safe = "".join(c if c.isalnum() or c == "_" else "-" for c in code).strip("-")
    return f"{safe}-{label}" if safe else label


README = """Evidence bundle: {organization}
Period: {start} to {end} (both days inclusive, each in its site's time zone)
Sites: {sites}
Made: {made} by Safeloop

WHAT IS INSIDE

records/reports.csv          the field reports observed in the period
records/nonconformities.csv  the nonconformities raised in the period
records/actions.csv          the actions (corrections, corrective and preventive actions, and
                             actions from management reviews) due in the period or done in it
records/audits.csv           every answer of the internal audits signed off in the period; the
                             answer that counts for its question says current = yes
records/competences.csv      the competence records (training, qualifications) in force on
                             some day of the period; state is valid or expired on the day made
records/documents.csv        the register of controlled documents as it stands on the day made
records/acknowledgements.csv the documents' acknowledgements (read and understood) of the period
records/*.jsonl              the same records as JSON, one object a line, with typed values
photos/                      {photos} photo(s) shown by those records (certificates too), the
                             bytes as uploaded, each named by its SHA-256
documents/                   {documents} document file(s): the current approved revision of
                             each document in the register, named by its SHA-256 (column
                             file_sha256 of records/documents.csv)
audits/                      {audits} audit report(s) as PDF
reviews/                     {reviews} management review pack(s) as PDF
events/events.jsonl          the event log of the period: every change, who made it and when
MISSING.txt                  only present when a photo's or document's bytes could not be read
SHA256SUMS                   the SHA-256 of every file above

The CSV files are UTF-8 with a byte order mark, one header row, times in ISO 8601 UTC
(2026-11-20T08:30:00Z) and days as YYYY-MM-DD. A text cell that a spreadsheet could take for a
formula (starting with =, +, -, @, a tab or a carriage return) starts with an apostrophe, which
is not part of the value.

HOW TO CHECK IT

1. Unzip the bundle into an empty folder and check every file against SHA256SUMS:
       unzip evidence.zip -d evidence && cd evidence && sha256sum -c SHA256SUMS
   (macOS: shasum -a 256 -c SHA256SUMS; Windows PowerShell: Get-FileHash -Algorithm SHA256
   for each file, compared with the line of SHA256SUMS that names it). Every line says OK.
2. Each photo's and document file's name is its own SHA-256: `sha256sum photos/* documents/*`
   prints each name's hash again. The records name their photos by the same hash (column
   photos; certificate_sha256 of competences), the register its files (file_sha256).
3. {events}
"""
