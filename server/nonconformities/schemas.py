"""Nonconformity and action input (bodies, queries, the sync item) and output."""

from datetime import UTC, datetime, timedelta

import marshmallow as ma
from marshmallow import validate

from server.documents.schemas import DocumentRefOut
from server.nonconformities.models import (
    ACTION_KINDS,
    ACTION_STATUS_LABELS,
    CONTROLS,
    NC_STATES,
    SEVERITIES,
    SOURCES,
)
from server.reports.schemas import (
    MAX_PHOTOS,
    PersonOut,
    PhotoRefIn,
    ReportPhotoOut,
    SiteRefOut,
)
from server.triage.rules import CATEGORY_LABELS
from server.validation import ID_MAX, AwareDateTime, Day, Id, QueryId, QueryInteger, Text

MAX_TITLE = 200
MAX_TEXT = 5000
MAX_REASON = 2000
MAX_CLAUSE = 32
MAX_WHYS = 10
MAX_WHY = 1000
# A page cursor is a row's primary key (NCs) or a position (actions), as this API wrote it.
CURSOR_PATTERN = r"^[0-9]{1,9}$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
# Phone clocks drift; a done time more than a day ahead of the server is a broken clock.
MAX_CLOCK_AHEAD = timedelta(days=1)


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ma.ValidationError("Must not be blank.")


def _text(limit: int, **kwargs) -> Text:
    """Free text of at most limit characters, not blank."""
    return Text(validate=[validate.Length(min=1, max=limit), _not_blank], **kwargs)


def _optional_text(limit: int, **kwargs) -> Text:
    """Free text that may be left out or null (then None)."""
    return _nullable_text(limit, load_default=None, **kwargs)


def _nullable_text(limit: int, **kwargs) -> Text:
    """Free text that may be null; left out of the data when not sent."""
    return Text(allow_none=True, validate=validate.Length(max=limit), **kwargs)


class PhotoRef(ma.fields.Field):
    """A photo the server holds, named by its SHA-256 alone or as the report item names one."""

    _schema = PhotoRefIn()

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if isinstance(value, str):
            if not validate.Regexp(SHA256_PATTERN).regex.match(value):
                raise ma.ValidationError("Must be 64 lower-case hex characters.")
            return value
        if isinstance(value, dict):
            return self._schema.load(value)["sha256"]
        raise ma.ValidationError("Give the photo's SHA-256, or {sha256, content_type, ...}.")


_PHOTO_DOC = {
    "oneOf": [
        {"type": "string", "pattern": SHA256_PATTERN},
        {
            "type": "object",
            "required": ["sha256", "content_type"],
            "additionalProperties": False,
            "properties": {
                "sha256": {"type": "string", "pattern": SHA256_PATTERN},
                "content_type": {
                    "type": "string",
                    "enum": ["image/jpeg", "image/png", "image/webp"],
                },
                "width": {"type": "integer", "minimum": 1, "maximum": 100_000, "nullable": True},
                "height": {"type": "integer", "minimum": 1, "maximum": 100_000, "nullable": True},
            },
        },
    ],
    "description": "A photo already uploaded (PUT /api/photos/{sha256}): its SHA-256",
}


def _held_photos(description: str) -> ma.fields.List:
    return ma.fields.List(
        PhotoRef(metadata=_PHOTO_DOC),
        load_default=list,
        validate=[validate.Length(max=MAX_PHOTOS), _distinct],
        metadata={"description": description},
    )


def _distinct(hashes: list) -> None:
    if len(hashes) != len(set(hashes)):
        raise ma.ValidationError("The same photo is listed twice.")


class NonconformityIn(ma.Schema):
    """An NC as POST /api/nonconformities takes it (the id is the client's UUID)."""

    id = ma.fields.UUID(required=True)
    site_id = Id(required=True)
    title = _text(MAX_TITLE, required=True)
    description = _text(MAX_TEXT, required=True)
    severity = Text(required=True, validate=validate.OneOf(SEVERITIES))
    source = Text(required=True, validate=validate.OneOf(SOURCES))
    report_id = ma.fields.UUID(load_default=None, allow_none=True)
    clause = _optional_text(MAX_CLAUSE, metadata={"description": "e.g. 8.1.2"})
    containment = _optional_text(MAX_TEXT, metadata={"description": "What was done at once"})
    category = Text(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(tuple(CATEGORY_LABELS)),
        metadata={"description": "A triage category; from the report's triage when left out"},
    )
    photos = ma.fields.List(
        ma.fields.Nested(PhotoRefIn),
        load_default=list,
        validate=validate.Length(max=MAX_PHOTOS),
        metadata={"description": "Photos the NC shows (a report's photos come with it)"},
    )
    document_id = ma.fields.UUID(
        allow_none=True, metadata={"description": "The controlled document it concerns"}
    )

    @ma.validates("photos")
    def _distinct_photos(self, value: list, **_kwargs) -> None:
        _distinct([photo["sha256"] for photo in value if "sha256" in photo])


class RaiseIn(ma.Schema):
    """POST /api/reports/{id}/nonconformity: raise an NC from a report."""

    severity = Text(required=True, validate=validate.OneOf(SEVERITIES))
    title = _optional_text(MAX_TITLE, metadata={"description": "Made from the report if left out"})
    clause = _optional_text(MAX_CLAUSE)


class RootCauseIn(ma.Schema):
    method = Text(required=True, validate=validate.OneOf(("5whys", "ishikawa")))
    whys = ma.fields.List(_text(MAX_WHY), load_default=list, validate=validate.Length(max=MAX_WHYS))
    statement = _text(MAX_REASON, required=True)
    analysis_report_id = ma.fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "ishikawa: the report whose analysis it is (default: the NC's)"},
    )

    @ma.validates_schema(skip_on_field_errors=True)
    def _whys_for_five_whys(self, data: dict, **_kwargs) -> None:
        if data["method"] == "5whys" and not data["whys"]:
            raise ma.ValidationError({"whys": ["Give the answers to the whys."]})


PATCHABLE = ("containment", "root_cause", "weak_controls_reason", "status", "document_id")


class NonconformityPatchIn(ma.Schema):
    """PATCH /api/nonconformities/{id}: containment, root cause, why weak controls, cancel."""

    containment = _nullable_text(MAX_TEXT)
    root_cause = ma.fields.Nested(RootCauseIn)
    weak_controls_reason = _nullable_text(
        MAX_REASON,
        metadata={"description": "Why a major NC keeps only administrative or PPE controls"},
    )
    status = Text(
        validate=validate.OneOf(("cancelled",)),
        metadata={"description": "Only cancelled: every other status follows from the work"},
    )
    cancel_reason = _nullable_text(MAX_REASON)
    document_id = ma.fields.UUID(
        allow_none=True, metadata={"description": "The controlled document it concerns; null: none"}
    )

    @ma.validates_schema(skip_on_field_errors=True)
    def _something_to_change(self, data: dict, **_kwargs) -> None:
        if not any(name in data for name in PATCHABLE):
            raise ma.ValidationError(
                f"Give at least one of {', '.join(PATCHABLE)}.", field_name="_schema"
            )
        if data.get("status") == "cancelled" and not (data.get("cancel_reason") or "").strip():
            raise ma.ValidationError({"cancel_reason": ["Say why the NC is cancelled."]})


class ActionIn(ma.Schema):
    """POST /api/nonconformities/{id}/actions: plan an action (the id is the client's UUID)."""

    id = ma.fields.UUID(required=True)
    title = _text(MAX_TITLE, required=True)
    kind = Text(required=True, validate=validate.OneOf(ACTION_KINDS))
    control = Text(
        required=True,
        validate=validate.OneOf(CONTROLS),
        metadata={"description": "Hierarchy-of-controls level, most effective first"},
    )
    owner_id = Id(required=True)
    due_on = Day(required=True)


class ActionDoneIn(ma.Schema):
    """PATCH /api/actions/{id}: the owner (or an officer) reports the action done."""

    status = Text(required=True, validate=validate.OneOf(("done",)))
    notes = _text(MAX_TEXT, required=True, metadata={"description": "What was done"})
    photos = _held_photos("Photo evidence, each uploaded first")
    done_at = AwareDateTime(
        load_default=None,
        allow_none=True,
        metadata={"description": "When it was done (the phone's clock); now when left out"},
    )

    @ma.validates("done_at")
    def _not_in_the_future(self, value: datetime | None, **_kwargs) -> None:
        if value is not None and value > datetime.now(UTC) + MAX_CLOCK_AHEAD:
            raise ma.ValidationError("Is in the future: check the phone's clock.")


class ActionUpdateIn(ActionDoneIn):
    """One item of POST /api/sync's "actions" list: a done update made offline."""

    id = ma.fields.UUID(required=True)


class VerificationIn(ma.Schema):
    """POST /api/nonconformities/{id}/verification: the effectiveness check."""

    effective = ma.fields.Boolean(required=True)
    notes = _text(MAX_TEXT, required=True, metadata={"description": "What was checked, found"})
    photos = _held_photos("Photo evidence of the check, each uploaded first")


class NonconformityFilterIn(ma.Schema):
    status = Text(validate=validate.OneOf(NC_STATES.states))
    site_id = QueryId()
    severity = Text(validate=validate.OneOf(SEVERITIES))
    overdue = ma.fields.Boolean(
        metadata={"description": "true: only NCs with an open action past its due day"}
    )
    limit = QueryInteger(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = Text(
        load_default=None,
        validate=validate.Regexp(CURSOR_PATTERN, error="Not a cursor this API gave out."),
        metadata={"description": "next_cursor of the previous page"},
    )


def _an_id_or_me(value: str) -> None:
    if value.isascii() and value.isdigit() and int(value) > ID_MAX:
        raise ma.ValidationError("Is out of range.")


class ActionFilterIn(ma.Schema):
    owner = Text(
        validate=[
            validate.Regexp(r"^(me|[0-9]{1,10})$", error="Give me or a user id."),
            _an_id_or_me,
        ],
        metadata={"description": "me, or a user id"},
    )
    status = Text(validate=validate.OneOf(tuple(ACTION_STATUS_LABELS)))
    site_id = QueryId()
    nonconformity_id = ma.fields.UUID()
    overdue = ma.fields.Boolean()
    limit = QueryInteger(load_default=100, validate=validate.Range(min=1, max=500))
    cursor = Text(
        load_default=None,
        validate=validate.Regexp(CURSOR_PATTERN, error="Not a cursor this API gave out."),
        metadata={"description": "next_cursor of the previous page"},
    )


class NonconformityRefOut(ma.Schema):
    id = ma.fields.UUID()
    title = ma.fields.String()


class ReviewRefOut(ma.Schema):
    """The management review an action comes from."""

    id = ma.fields.UUID()
    title = ma.fields.String()


class ActionOut(ma.Schema):
    id = ma.fields.UUID()
    nonconformity = ma.fields.Nested(
        NonconformityRefOut, allow_none=True, metadata={"description": "null: from a review"}
    )
    review = ma.fields.Nested(
        ReviewRefOut, allow_none=True, metadata={"description": "null: from an NC"}
    )
    site = ma.fields.Nested(SiteRefOut)
    title = ma.fields.String()
    kind = ma.fields.String(metadata={"description": "correction, corrective or preventive"})
    control = ma.fields.String(metadata={"description": "Hierarchy-of-controls level"})
    owner = ma.fields.Nested(PersonOut, allow_none=True)
    due_on = ma.fields.Date()
    status = ma.fields.String(metadata={"description": "open, done or cancelled"})
    overdue = ma.fields.Boolean(metadata={"description": "Open past its due day at its site"})
    notes = ma.fields.String(allow_none=True)
    done_at = ma.fields.AwareDateTime(allow_none=True)
    done_by = ma.fields.Nested(PersonOut, allow_none=True)
    photos = ma.fields.List(ma.fields.Nested(ReportPhotoOut))
    created_at = ma.fields.AwareDateTime()
    changed_at = ma.fields.AwareDateTime()


class ActionPageOut(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ActionOut))
    next_cursor = ma.fields.String(allow_none=True)


class AnalysisLinkOut(ma.Schema):
    report_id = ma.fields.UUID()
    status = ma.fields.String()
    version = ma.fields.Integer()
    effect = ma.fields.String()
    root_cause = ma.fields.String(allow_none=True, metadata={"description": "The chosen cause"})
    url = ma.fields.String()
    diagram_url = ma.fields.String()


class RootCauseOut(ma.Schema):
    method = ma.fields.String()
    whys = ma.fields.List(ma.fields.String())
    statement = ma.fields.String()
    analysis_report_id = ma.fields.UUID(allow_none=True)
    analysis = ma.fields.Nested(AnalysisLinkOut, allow_none=True)
    recorded_at = ma.fields.AwareDateTime(allow_none=True)
    recorded_by = ma.fields.Nested(PersonOut, allow_none=True)


class VerificationOut(ma.Schema):
    effective = ma.fields.Boolean()
    notes = ma.fields.String()
    checked_at = ma.fields.AwareDateTime()
    checked_by = ma.fields.Nested(PersonOut, allow_none=True)
    checks = ma.fields.Integer(metadata={"description": "How many checks were made"})
    photos = ma.fields.List(ma.fields.Nested(ReportPhotoOut))


class RepeatOut(ma.Schema):
    id = ma.fields.UUID(allow_none=True, metadata={"description": "null: at a site not yours"})
    title = ma.fields.String(allow_none=True)
    status = ma.fields.String(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    reason = ma.fields.String()


class WarningOut(ma.Schema):
    code = ma.fields.String(metadata={"description": "weak_controls"})
    message = ma.fields.String()


class ReportLinkOut(ma.Schema):
    id = ma.fields.UUID()
    kind = ma.fields.String()
    status = ma.fields.String()
    description = ma.fields.String()
    observed_at = ma.fields.AwareDateTime()


class NonconformitySummaryOut(ma.Schema):
    """An NC as the list shows it."""

    id = ma.fields.UUID()
    title = ma.fields.String()
    site = ma.fields.Nested(SiteRefOut)
    severity = ma.fields.String()
    source = ma.fields.String()
    clause = ma.fields.String(allow_none=True)
    category = ma.fields.String(allow_none=True)
    status = ma.fields.String()
    report_id = ma.fields.UUID(allow_none=True)
    raised_by = ma.fields.Nested(PersonOut, allow_none=True)
    created_at = ma.fields.AwareDateTime()
    changed_at = ma.fields.AwareDateTime()
    verify_after = ma.fields.AwareDateTime(allow_none=True)
    closed_at = ma.fields.AwareDateTime(allow_none=True)
    open_actions = ma.fields.Integer()
    overdue_actions = ma.fields.Integer()
    overdue = ma.fields.Boolean()
    next_due_on = ma.fields.Date(allow_none=True, metadata={"description": "Of its open actions"})
    owners = ma.fields.List(ma.fields.Nested(PersonOut), metadata={"description": "Of open ones"})
    repeat = ma.fields.Boolean()


class NonconformityOut(NonconformitySummaryOut):
    """One NC in full."""

    description = ma.fields.String()
    containment = ma.fields.String(allow_none=True)
    root_cause = ma.fields.Nested(RootCauseOut, allow_none=True)
    weak_controls_reason = ma.fields.String(allow_none=True)
    cancel_reason = ma.fields.String(allow_none=True)
    report = ma.fields.Nested(ReportLinkOut, allow_none=True)
    actions = ma.fields.List(ma.fields.Nested(ActionOut))
    verification = ma.fields.Nested(VerificationOut, allow_none=True)
    checks = ma.fields.Integer()
    repeat_of = ma.fields.Nested(RepeatOut, allow_none=True)
    document = ma.fields.Nested(DocumentRefOut, allow_none=True)
    warnings = ma.fields.List(ma.fields.Nested(WarningOut))
    photos = ma.fields.List(ma.fields.Nested(ReportPhotoOut))


class NonconformityPageOut(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(NonconformitySummaryOut))
    next_cursor = ma.fields.String(allow_none=True)


class ReportNonconformityOut(ma.Schema):
    """The NC raised from a report, as anyone who may see the report sees it."""

    id = ma.fields.UUID()
    status = ma.fields.String()
    severity = ma.fields.String()


class ActionChangeOut(ma.Schema):
    """An action in the change feed of GET /api/sync (the owner's own actions)."""

    id = ma.fields.UUID()
    status = ma.fields.String()
    title = ma.fields.String()
    kind = ma.fields.String()
    control = ma.fields.String()
    due_on = ma.fields.Date()
    site_id = ma.fields.Integer()
    nonconformity = ma.fields.Nested(NonconformityRefOut, allow_none=True)
    review = ma.fields.Nested(ReviewRefOut, allow_none=True)
    notes = ma.fields.String(allow_none=True)
    done_at = ma.fields.AwareDateTime(allow_none=True)
    changed_at = ma.fields.AwareDateTime()


class NcEventOut(ma.Schema):
    """One change of an NC or of one of its actions."""

    id = ma.fields.Integer()
    action = ma.fields.String()
    actor = ma.fields.Nested(PersonOut, allow_none=True)
    data = ma.fields.Dict()
    created_at = ma.fields.AwareDateTime()
    record_type = ma.fields.String(metadata={"description": "nonconformity or action"})
    record_id = ma.fields.UUID()
