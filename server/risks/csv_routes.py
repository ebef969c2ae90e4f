"""/api/risks/export.csv and /api/risks/import: the register as a spreadsheet (CSV)."""

from http import HTTPStatus

import marshmallow as ma
from flask import Response, request
from flask_smorest import Blueprint
from marshmallow import validate

from server.auth.access import current_actor, role_required
from server.csrf import accepts_csv
from server.exceptions import TooLarge
from server.risks import spreadsheet
from server.risks.models import ACTIVE, KINDS, STATUSES
from server.risks.records import DESK_ROLES
from server.validation import QueryId, Text

_COLUMNS = ", ".join(spreadsheet.COLUMNS)
_READ_ONLY = ", ".join(spreadsheet.READ_ONLY)
_FORMAT = (
    f"Columns, named in a header row: {_COLUMNS}. ref is R-14 (O-14 for an opportunity), "
    "empty for a new entry; site is the site's code; kind is risk or opportunity; hazard is "
    "the benefit of an opportunity; severity, likelihood and the residual ones are 1 to 5; "
    'controls is one cell, "text [level]; text [level]", each level one of elimination, '
    "substitution, engineering, administrative, ppe; owner is an email; review_on is "
    f"YYYY-MM-DD. The export adds read-only columns, which an import ignores: {_READ_ONLY}. "
    "UTF-8 (the export with a byte order mark, for Excel); a cell starting with =, +, -, @, "
    "a tab or a carriage return carries a leading apostrophe so that no spreadsheet runs it "
    "as a formula, and the import takes it off."
)

csv_blp = Blueprint(
    "risks_csv",
    __name__,
    url_prefix="/api/risks",
    description="The risk and opportunity register as a spreadsheet (CSV). " + _FORMAT,
)

_CSV_BODY = {
    "required": True,
    "description": "The register as CSV. " + _FORMAT,
    "content": {"text/csv": {"schema": {"type": "string", "maxLength": spreadsheet.MAX_BYTES}}},
}


class ExportIn(ma.Schema):
    site_id = QueryId(metadata={"description": "One site's register (default: all of yours)"})
    kind = Text(validate=validate.OneOf(KINDS))
    status = Text(load_default=ACTIVE, validate=validate.OneOf(STATUSES))


class ImportOut(ma.Schema):
    created = ma.fields.Integer(metadata={"description": "New entries (rows with no ref)"})
    reviewed = ma.fields.Integer(metadata={"description": "Entries reviewed (a ref, changed)"})
    unchanged = ma.fields.Integer(
        metadata={"description": "Rows as the register holds them already"}
    )


@csv_blp.get("/export.csv")
@role_required(*DESK_ROLES)
@csv_blp.arguments(ExportIn, location="query", as_kwargs=True)
@csv_blp.response(
    200, {"type": "string"}, content_type="text/csv", description="The register, streamed"
)
def export_register(site_id: int | None = None, kind: str | None = None, status: str = ACTIVE):
    """The register as CSV, in register order (officers and admins)."""
    actor = current_actor()
    return Response(
        spreadsheet.export_lines(actor, site_id, kind, status),
        mimetype="text/csv",
        headers={
            "Content-Disposition": (
                f'attachment; filename="{spreadsheet.export_name(actor, site_id)}"'
            )
        },
    )


def _body() -> bytes:
    """The request body, refused with 413 past the import's limit (before it is read whole)."""
    limit = spreadsheet.MAX_BYTES
    if request.content_length is not None and request.content_length > limit:
        raise TooLarge(f"A file of at most {limit // 2**20} MB can be imported; split it.")
    return request.stream.read(limit + 1)


@csv_blp.post("/import")
@accepts_csv
@role_required(*DESK_ROLES)
@csv_blp.doc(requestBody=_CSV_BODY)
@csv_blp.response(200, ImportOut, description="Imported, every row")
@csv_blp.alt_response(413, response=HTTPStatus(413).name)
@csv_blp.alt_response(415, response=HTTPStatus(415).name)
@csv_blp.alt_response(422, response=HTTPStatus(422).name)
def import_register():
    """Import a CSV file of the register, all or nothing (officers and admins).

    A row with an empty ref is a new entry; a row with an entry's ref reviews it when its
    ratings, controls, owner or review day differ, and is unchanged otherwise. 422 lists the
    errors by row and column ({"row 3": {"severity": [...]}}) and nothing is written; at most
    10,000 rows and 5 MB.
    """
    return spreadsheet.import_register(current_actor(), _body())
