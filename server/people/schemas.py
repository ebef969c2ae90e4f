"""Competence input (the body, the list's query) and output."""

import marshmallow as ma
from marshmallow import validate

from server.auth.models import ROLES
from server.people.models import MODULES
from server.validation import Day, QueryId, QueryInteger, Text

MAX_TITLE = 200
MAX_LABEL = 200
MAX_QUERY = 200
# A matrix page holds this many people at most; pages are numbered from 1.
MAX_PER_PAGE = 200
MAX_PAGE = 100_000
MODULE_PATTERN = r"^[a-z0-9_]{2,64}$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
# How far ahead GET /api/competences?due_within looks at most: ten years.
MAX_DUE_WITHIN = 3660
MODULE_HELP = f"One of {', '.join(MODULES)}, or the organization's own: 2 to 64 of a-z, 0-9 and _"


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ma.ValidationError("Must not be blank.")


def _module(description: str = MODULE_HELP, **kwargs) -> Text:
    return Text(
        validate=validate.Regexp(
            MODULE_PATTERN,
            error=f"Not a module: {MODULE_HELP}.",
        ),
        metadata={"description": description},
        **kwargs,
    )


class CompetenceIn(ma.Schema):
    """A training or qualification record, as POST /api/users/{id}/competences takes it."""

    module = _module(required=True)
    title = Text(
        required=True,
        validate=[validate.Length(min=1, max=MAX_TITLE), _not_blank],
        metadata={"description": "The course or qualification, e.g. ISO 45001 internal auditor"},
    )
    completed_on = Day(required=True)
    expires_on = Day(
        load_default=None,
        allow_none=True,
        metadata={"description": "On or after completed_on; null: it does not expire"},
    )
    certificate_photo = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(SHA256_PATTERN, error="Must be 64 lower-case hex characters."),
        metadata={"description": "SHA-256 of an uploaded photo of the certificate"},
    )


class CompetenceFilterIn(ma.Schema):
    """GET /api/competences: the organization's records, or those to renew soon."""

    due_within = QueryInteger(
        validate=validate.Range(min=0, max=MAX_DUE_WITHIN),
        metadata={"description": "Only records expiring from today to today + this many days"},
    )
    module = _module()
    user_id = QueryId()


class CompetencePersonOut(ma.Schema):
    """Who holds or recorded a record."""

    id = ma.fields.Integer()
    name = ma.fields.String()


class CompetenceOut(ma.Schema):
    id = ma.fields.Integer()
    user = ma.fields.Nested(CompetencePersonOut)
    module = ma.fields.String()
    module_label = ma.fields.String()
    title = ma.fields.String()
    completed_on = ma.fields.Date()
    expires_on = ma.fields.Date(allow_none=True)
    certificate_photo = ma.fields.String(allow_none=True)
    valid = ma.fields.Boolean(metadata={"description": "Completed and not expired today"})
    expired = ma.fields.Boolean()
    recorded_by = ma.fields.Nested(CompetencePersonOut, allow_none=True)
    created_at = ma.fields.AwareDateTime()


class ModuleIn(ma.Schema):
    """POST /api/competences/modules: a module of the organization's own."""

    slug = _module(
        "2 to 64 of a-z, 0-9 and _; made from the label when left out", load_default=None
    )
    label = Text(
        required=True,
        validate=[validate.Length(min=1, max=MAX_LABEL), _not_blank],
        metadata={"description": "Its name for people, e.g. Forklift licence B2"},
    )


class ModuleOut(ma.Schema):
    slug = ma.fields.String()
    label = ma.fields.String()
    own = ma.fields.Boolean(metadata={"description": "The organization's own, not one of the four"})


class MatrixFilterIn(ma.Schema):
    """GET /api/competences/matrix: which people, which modules, which page."""

    site_id = QueryId(metadata={"description": "Only people who may work at this site"})
    role = Text(validate=validate.OneOf(ROLES))
    module = _module("Only this module's column")
    q = Text(
        validate=validate.Length(max=MAX_QUERY),
        metadata={"description": "Part of a name or email"},
    )
    page = QueryInteger(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = QueryInteger(load_default=50, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class MatrixModuleOut(ma.Schema):
    slug = ma.fields.String()
    label = ma.fields.String()


CELL_HELP = (
    "By module slug: {state: valid | due (expires within due_days) | expired | missing, "
    "expires_on, completed_on (YYYY-MM-DD or null), record_id (or null)}"
)


class MatrixPersonOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    role = ma.fields.String()
    # Made ready by the service: a page holds up to 200 x modules cells, and a nested schema
    # per cell would be most of the answer's time.
    cells = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.Raw(), metadata={"description": CELL_HELP}
    )


class MatrixOut(ma.Schema):
    modules = ma.fields.List(ma.fields.Nested(MatrixModuleOut))
    people = ma.fields.List(ma.fields.Nested(MatrixPersonOut))
    total = ma.fields.Integer(metadata={"description": "People the filters keep, on all pages"})
    due_days = ma.fields.Integer(metadata={"description": "The organization's training_due_days"})
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()


class QualifiedFilterIn(ma.Schema):
    """GET /api/competences/qualified: who holds a valid record of a module on a day."""

    module = _module(required=True)
    on = Day(metadata={"description": "The day (default: today)"})
    site_id = QueryId(metadata={"description": "Only people who may work at this site"})


class QualifiedOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    role = ma.fields.String()
