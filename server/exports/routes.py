"""/api/exports: the records as CSV, and the evidence bundle (zip), for officers and admins."""

import contextvars
import uuid
from collections.abc import Iterator
from http import HTTPStatus

from flask import Flask, Response, current_app, send_file
from flask_smorest import Blueprint

from server.auth.access import current_actor, role_required
from server.dbtypes import utcnow
from server.exports import services
from server.exports.bundle import bundle_name, bundle_pieces, period_label
from server.exports.schemas import BundleIn, BundleOut, PeriodIn
from server.exports.scope import EXPORT_ROLES, export_scope
from server.exports.tables import TABLES_BY_NAME

_PERIOD = (
    "The period is from and to, two days (YYYY-MM-DD), both inclusive, each read in the time "
    "zone of the record's site; site_id narrows it to one of your sites (another "
    "organization's site is a 404). "
)
_CSV = (
    "UTF-8 with a byte order mark, CRLF line ends, one header row, one row a record, times "
    "in ISO 8601 UTC (2026-11-20T08:30:00Z), days YYYY-MM-DD, yes/no, photo hashes separated "
    "by spaces; a text cell starting with =, +, -, @, a tab or a carriage return carries a "
    "leading apostrophe so that no spreadsheet runs it as a formula. Streamed as it is read."
)
_404 = HTTPStatus(404).name
_409 = HTTPStatus(409).name
_422 = HTTPStatus(422).name

blp = Blueprint(
    "exports",
    __name__,
    url_prefix="/api/exports",
    description="The records as CSV, and the evidence bundle an external auditor can check "
    "with standard tools (unzip, then sha256sum -c SHA256SUMS). " + _PERIOD,
)


def _with_app(app: Flask, pieces: Iterator[bytes]) -> Iterator[bytes]:
    with app.app_context():
        yield from pieces


def _in_app(app: Flask, pieces: Iterator[bytes]) -> Iterator[bytes]:
    """The pieces read inside an app context of their own: they are read as they are sent,
    after the view has returned, on a database session that lasts as long as the download.

    Each piece is made in one and the same context (a server may read the first piece where
    the view ran and the rest elsewhere), so the app context opens and closes in it."""
    context = contextvars.Context()
    made = _with_app(app, pieces)
    try:
        while True:
            try:
                piece = context.run(next, made)
            except StopIteration:
                return
            yield piece
    finally:
        context.run(made.close)


def _download(pieces: Iterator[bytes], mimetype: str, name: str) -> Response:
    """A streamed download: no length known ahead, sent as it is made."""
    app = current_app._get_current_object()
    response = Response(_in_app(app, pieces), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _csv(table_name: str, args: dict) -> Response:
    scope = export_scope(current_actor(), args["start"], args["end"], args.get("site_id"))
    table = TABLES_BY_NAME[table_name]
    pieces = table.csv(scope)
    return _download(pieces, "text/csv", f"{table.name}-{period_label(scope)}.csv")


def _csv_route(table_name: str, summary: str, description: str):
    """Register GET /api/exports/<table>.csv."""

    def view(args: dict):
        return _csv(table_name, args)

    view.__name__ = f"export_{table_name}"
    view.__doc__ = f"{summary}\n\n{description} {_CSV}"
    columns = ", ".join(TABLES_BY_NAME[table_name].columns)
    view = blp.alt_response(422, response=_422)(view)
    view = blp.alt_response(404, response=_404)(view)
    view = blp.response(
        200,
        {"type": "string"},
        content_type="text/csv",
        description=f"The CSV file; columns: {columns}",
    )(view)
    view = blp.arguments(PeriodIn, location="query")(view)
    view = role_required(*EXPORT_ROLES)(view)
    blp.get(f"/{table_name}.csv")(view)


_csv_route("reports", "Reports as CSV", "The reports observed in the period.")
_csv_route("nonconformities", "Nonconformities as CSV", "The NCs raised in the period.")
_csv_route(
    "actions",
    "Actions as CSV",
    "The actions due in the period or done in it: an NC's (nonconformity_id) or a management "
    "review's (review_id); on_time is yes when done by the due day, no when done late or open "
    "past it.",
)
_csv_route(
    "audits",
    "Audit answers as CSV",
    "One row per answer of the audits signed off in the period, every answer given; current "
    "is yes for the answer that counts for its question.",
)
_csv_route(
    "competences",
    "Competence records as CSV",
    "The training and qualification records (ISO 45001 7.2) in force on some day of the "
    "period (completed by its last day, not expired before its first), of the people of the "
    "sites asked for (their sites include one, or they work at every site); state is valid or "
    "expired today, in the organization's time zone; certificate_sha256 names the "
    "certificate's photo.",
)
_csv_route(
    "documents",
    "The document register as CSV",
    "Every controlled document (ISO 45001 7.5) as it stands now, of the sites asked for (its "
    "audience at one of them or at every site): the period does not narrow the register. "
    "revision, file_sha256, filename, approved_by and approved_at are the current approved "
    "revision's; review_due is yes when its review day has come; acknowledgements_done of "
    "acknowledgements_expected people it concerns have acknowledged it.",
)
_csv_route(
    "acknowledgements",
    "Document acknowledgements as CSV",
    "The acknowledgements (read and understood) made in the period, in the organization's time "
    "zone, of the documents of the sites asked for by the people of those sites.",
)


@blp.get("/evidence.zip")
@role_required(*EXPORT_ROLES)
@blp.arguments(PeriodIn, location="query")
@blp.response(
    200,
    {"type": "string", "format": "binary"},
    content_type="application/zip",
    description="The bundle, streamed as it is made",
)
@blp.alt_response(404, response=_404)
@blp.alt_response(409, response=_409)
@blp.alt_response(422, response=_422)
def evidence_zip(args: dict):
    """The evidence bundle of a period, made while it downloads.

    Holds README.txt, the records as CSV and JSON lines (competence records, the document
    register and acknowledgements among them), the photos and each document's current approved
    file named by their SHA-256, the audit reports and review packs as PDF, the event log with
    its hash chain, and SHA256SUMS. 409 when it holds more photos or bytes than a download
    made on the spot may (EXPORT_BUNDLE_MAX_PHOTOS, EXPORT_BUNDLE_MAX_MB): build it with POST
    /api/exports/evidence instead.
    """
    scope = export_scope(current_actor(), args["start"], args["end"], args.get("site_id"))
    services.check_streamable(scope)
    return _download(bundle_pieces(scope, utcnow()), "application/zip", bundle_name(scope))


@blp.post("/evidence")
@role_required(*EXPORT_ROLES)
@blp.arguments(BundleIn)
@blp.response(202, BundleOut, description="Asked for: a job builds it")
@blp.alt_response(404, response=_404)
@blp.alt_response(422, response=_422)
def request_evidence(body: dict):
    """Have the evidence bundle of a period built by a job, for any size; poll GET
    /api/exports/evidence/{id} for its progress and download it from download_url."""
    actor = current_actor()
    bundle = services.request_bundle(actor, body["start"], body["end"], body.get("site_id"))
    return services.bundle_view(bundle)


@blp.get("/evidence/<uuid:bundle_id>")
@role_required(*EXPORT_ROLES)
@blp.response(200, BundleOut)
@blp.alt_response(404, response=_404)
def evidence_status(bundle_id: uuid.UUID):
    """A bundle's status and progress (files written of the files it will hold); only the
    person who asked for it, or an admin of the organization, sees it."""
    return services.bundle_view(services.visible_bundle(current_actor(), bundle_id))


@blp.get("/evidence/<uuid:bundle_id>/download")
@role_required(*EXPORT_ROLES)
@blp.response(
    200,
    {"type": "string", "format": "binary"},
    content_type="application/zip",
    description="The bundle",
)
@blp.alt_response(404, response=_404)
@blp.alt_response(409, response=_409)
def evidence_download(bundle_id: uuid.UUID):
    """Download a ready bundle (the person who asked, or an admin); kept for a day."""
    path, name = services.bundle_file(current_actor(), bundle_id)
    response = send_file(path, mimetype="application/zip", as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "private, no-store"
    return response
