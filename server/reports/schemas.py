"""Report input (one sync item) and output."""

from datetime import UTC, datetime, timedelta

import marshmallow as ma
from marshmallow import validate

from server.reports.models import KINDS, STATUSES
from server.validation import AwareDateTime, Id, Integer, QueryId, QueryInteger, Text

IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
MAX_DESCRIPTION = 5000
MAX_PHOTOS = 12
# A page cursor is a report's primary key, as this API wrote it: ASCII digits, within the
# 32-bit column (a longer one would reach the database only to be refused there).
CURSOR_PATTERN = r"^[0-9]{1,9}$"
# Phone clocks drift; an observation more than a day ahead of the server is a broken clock.
MAX_CLOCK_AHEAD = timedelta(days=1)


class LocationIn(ma.Schema):
    lat = ma.fields.Float(required=True, validate=validate.Range(min=-90, max=90))
    lon = ma.fields.Float(required=True, validate=validate.Range(min=-180, max=180))
    accuracy_m = ma.fields.Float(
        load_default=None, allow_none=True, validate=validate.Range(min=0, max=100_000)
    )


class PhotoRefIn(ma.Schema):
    sha256 = Text(
        required=True,
        validate=validate.Regexp(r"^[0-9a-f]{64}$", error="Must be 64 lower-case hex characters."),
    )
    content_type = Text(required=True, validate=validate.OneOf(IMAGE_TYPES))
    width = Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=100_000))
    height = Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=100_000)
    )


def _rating() -> Integer:
    return Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=5))


class ReportIn(ma.Schema):
    """One report as the phone sends it in POST /api/sync."""

    id = ma.fields.UUID(required=True)
    kind = Text(required=True, validate=validate.OneOf(KINDS))
    site_id = Id(required=True)
    observed_at = AwareDateTime(required=True)
    description = Text(required=True, validate=validate.Length(min=1, max=MAX_DESCRIPTION))
    location = ma.fields.Nested(LocationIn, load_default=None, allow_none=True)
    severity = _rating()
    likelihood = _rating()
    photos = ma.fields.List(
        ma.fields.Nested(PhotoRefIn), load_default=list, validate=validate.Length(max=MAX_PHOTOS)
    )

    @ma.validates("observed_at")
    def _not_in_the_future(self, value: datetime, **_kwargs) -> None:
        if value > datetime.now(UTC) + MAX_CLOCK_AHEAD:
            raise ma.ValidationError("Is in the future: check the phone's clock.")

    @ma.validates("description")
    def _not_blank(self, value: str, **_kwargs) -> None:
        if not value.strip():
            raise ma.ValidationError("Say in a few words what you saw.")

    @ma.validates("photos")
    def _distinct_photos(self, value: list, **_kwargs) -> None:
        hashes = [photo["sha256"] for photo in value if "sha256" in photo]
        if len(hashes) != len(set(hashes)):
            raise ma.ValidationError("The same photo is listed twice.")


class SiteRefOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    code = ma.fields.String()


class PersonOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()


class ReportPhotoOut(ma.Schema):
    sha256 = ma.fields.String()
    content_type = ma.fields.String()
    width = ma.fields.Integer(allow_none=True)
    height = ma.fields.Integer(allow_none=True)
    received = ma.fields.Boolean()
    urls = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), allow_none=True)


class LocationOut(ma.Schema):
    lat = ma.fields.Float()
    lon = ma.fields.Float()
    accuracy_m = ma.fields.Float(allow_none=True)


class ReportOut(ma.Schema):
    id = ma.fields.UUID()
    kind = ma.fields.String()
    site = ma.fields.Nested(SiteRefOut)
    reporter = ma.fields.Nested(PersonOut, allow_none=True)
    description = ma.fields.String()
    observed_at = ma.fields.AwareDateTime()
    received_at = ma.fields.AwareDateTime()
    location = ma.fields.Nested(LocationOut, allow_none=True)
    severity = ma.fields.Integer(allow_none=True)
    likelihood = ma.fields.Integer(allow_none=True)
    risk_score = ma.fields.Integer(allow_none=True)
    risk_band = ma.fields.String(allow_none=True)
    status = ma.fields.String()
    status_note = ma.fields.String(
        allow_none=True, metadata={"description": "The note of the latest status change"}
    )
    closed_at = ma.fields.AwareDateTime(allow_none=True, metadata={"description": "null if open"})
    photos = ma.fields.List(ma.fields.Nested(ReportPhotoOut))
    changed_at = ma.fields.AwareDateTime()
    triage = ma.fields.Raw(
        allow_none=True,
        metadata={
            "description": "The triage as GET /api/reports/{id}/triage has it; null until made"
        },
    )
    nonconformity = ma.fields.Raw(
        allow_none=True,
        metadata={"description": "The NC raised from it: id, status, severity; null if none"},
    )


class ReportPageOut(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ReportOut))
    next_cursor = ma.fields.String(allow_none=True)


class ReportFilterIn(ma.Schema):
    kind = Text(validate=validate.OneOf(KINDS))
    site_id = QueryId()
    status = Text(validate=validate.OneOf(STATUSES))
    observed_from = AwareDateTime()
    observed_to = AwareDateTime()
    limit = QueryInteger(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = Text(
        load_default=None,
        validate=validate.Regexp(CURSOR_PATTERN, error="Not a cursor this API gave out."),
        metadata={"description": "next_cursor of the previous page"},
    )


class ReportChangeOut(ma.Schema):
    """A report in the change feed of GET /api/sync."""

    id = ma.fields.UUID()
    status = ma.fields.String()
    status_note = ma.fields.String(
        allow_none=True, metadata={"description": "The note of the latest status change"}
    )
    changed_at = ma.fields.AwareDateTime()
    triage = ma.fields.Raw(
        allow_none=True,
        metadata={"description": "priority, category, risk_band, due_at; null until triaged"},
    )
    nonconformity = ma.fields.Raw(
        allow_none=True,
        metadata={"description": "The NC raised from it: id, status, severity; null if none"},
    )


# Statuses an officer may ask for; server.reports.status says from which status each is allowed.
SETTABLE_STATUSES = ("received", "triaged", "in_progress", "closed")
MAX_STATUS_NOTE = 2000


class ReportStatusIn(ma.Schema):
    """An officer's change of a report's status, with a note (required to close it)."""

    status = Text(
        required=True,
        validate=validate.OneOf(SETTABLE_STATUSES),
        metadata={"description": "in_progress or closed; received or triaged reopens"},
    )
    note = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=MAX_STATUS_NOTE),
        metadata={"description": "Why, or what was done: required to close"},
    )
