"""Competence input (the body, the list's query) and output."""

import marshmallow as ma
from marshmallow import validate

from server.people.models import MODULES
from server.validation import Day, QueryId, QueryInteger, Text

MAX_TITLE = 200
MODULE_PATTERN = r"^[a-z0-9_]{2,64}$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
# How far ahead GET /api/competences?due_within looks at most: ten years.
MAX_DUE_WITHIN = 3660
MODULE_HELP = f"One of {', '.join(MODULES)}, or the organization's own: 2 to 64 of a-z, 0-9 and _"


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ma.ValidationError("Must not be blank.")


def _module(**kwargs) -> Text:
    return Text(
        validate=validate.Regexp(
            MODULE_PATTERN,
            error=f"Not a module: {MODULE_HELP}.",
        ),
        metadata={"description": MODULE_HELP},
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
