"""Document input (bodies and the list's query) and output."""

from datetime import UTC, datetime, timedelta

import marshmallow as ma
from marshmallow import validate

from server.auth.models import ROLES
from server.documents.models import KINDS, REVISION_STATUSES
from server.validation import AwareDateTime, Day, Id, Text

MAX_CODE, MAX_TITLE, MAX_FILENAME, MAX_TEXT, MAX_REASON = 32, 200, 200, 5000, 2000
MAX_AUDIENCE_SITES = 500
# Phone clocks drift; a time more than a day ahead of the server is a broken clock.
MAX_CLOCK_AHEAD = timedelta(days=1)


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ma.ValidationError("Must not be blank.")


def _text(limit: int, **kwargs) -> Text:
    """Text of at most limit characters, not blank."""
    return Text(validate=[validate.Length(min=1, max=limit), _not_blank], **kwargs)


def _distinct(values: list) -> None:
    if len(values) != len(set(values)):
        raise ma.ValidationError("A value is listed twice.")


def _plain_filename(value: str) -> None:
    if "/" in value or "\\" in value:
        raise ma.ValidationError("A file name, without folders.")


def _not_in_the_future(value: datetime) -> None:
    if value > datetime.now(UTC) + MAX_CLOCK_AHEAD:
        raise ma.ValidationError("Is in the future: check the phone's clock.")


class DocumentAudienceIn(ma.Schema):
    """Who must read and acknowledge a document: empty lists mean every role, every site."""

    roles = ma.fields.List(
        Text(validate=validate.OneOf(ROLES)),
        load_default=list,
        validate=[validate.Length(max=len(ROLES)), _distinct],
    )
    site_ids = ma.fields.List(
        Id(), load_default=list, validate=[validate.Length(max=MAX_AUDIENCE_SITES), _distinct]
    )


class DocumentIn(ma.Schema):
    """POST /api/documents: a new controlled document (the id is the client's UUID)."""

    id = ma.fields.UUID(required=True)
    code = _text(MAX_CODE, required=True, metadata={"description": "e.g. SOP-014, unique"})
    title = _text(MAX_TITLE, required=True)
    kind = Text(required=True, validate=validate.OneOf(KINDS))
    owner_id = Id(allow_none=True, metadata={"description": "A member; the creator if left out"})
    review_on = Day(allow_none=True, metadata={"description": "Set by approval when left out"})
    audience = ma.fields.Nested(
        DocumentAudienceIn, load_default=lambda: {"roles": [], "site_ids": []}
    )


class DocumentPatchIn(ma.Schema):
    """PATCH /api/documents/{id}: what the desk may change of a document."""

    title = _text(MAX_TITLE)
    kind = Text(validate=validate.OneOf(KINDS))
    owner_id = Id(allow_none=True)
    review_on = Day(allow_none=True)
    audience = ma.fields.Nested(DocumentAudienceIn)

    @ma.validates_schema
    def _something(self, data: dict, **_kwargs) -> None:
        if not data:
            raise ma.ValidationError(
                "Give at least one of title, kind, owner_id, review_on, audience.",
                field_name="_schema",
            )


class RevisionIn(ma.Schema):
    """POST /api/documents/{id}/revisions: a new draft revision of an uploaded file."""

    id = ma.fields.UUID(required=True)
    file_sha256 = Text(
        required=True,
        validate=validate.Regexp(r"^[0-9a-f]{64}$", error="Expected 64 lower-case hex digits."),
        metadata={"description": "Uploaded first with PUT /api/documents/files/{sha256}"},
    )
    filename = Text(
        required=True,
        validate=[validate.Length(min=1, max=MAX_FILENAME), _not_blank, _plain_filename],
        metadata={"description": "The name it downloads as"},
    )
    summary = Text(load_default="", validate=validate.Length(max=MAX_TEXT))


class ApproveIn(ma.Schema):
    """POST /api/documents/{id}/revisions/{revision_id}/approve."""

    review_on = Day(
        allow_none=True,
        metadata={"description": "Next review; today + the organization's months if left out"},
    )


class ObsoleteIn(ma.Schema):
    """POST /api/documents/{id}/obsolete: withdraw the document."""

    reason = _text(MAX_REASON, required=True)


class AcknowledgementIn(ma.Schema):
    """POST /api/documents/{id}/acknowledgements: "read and understood", made on the phone."""

    id = ma.fields.UUID(required=True)
    revision_id = ma.fields.UUID(required=True)
    acknowledged_at = AwareDateTime(required=True, validate=_not_in_the_future)


class DocumentFilterIn(ma.Schema):
    """GET /api/documents' query."""

    status = Text(validate=validate.OneOf(REVISION_STATUSES))
    kind = Text(validate=validate.OneOf(KINDS))
    q = Text(validate=validate.Length(max=200), metadata={"description": "Words of code, title"})
    review_due = ma.fields.Boolean()
    to_acknowledge = Text(
        validate=validate.OneOf(("me",)),
        metadata={"description": "me: what concerns me and I have not acknowledged yet"},
    )


class DocumentPersonOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()


class DocumentRefOut(ma.Schema):
    """A document as another record names it."""

    id = ma.fields.UUID()
    code = ma.fields.String()
    title = ma.fields.String()


class DocumentFileOut(ma.Schema):
    sha256 = ma.fields.String()
    content_type = ma.fields.String()
    size_bytes = ma.fields.Integer()
    pages = ma.fields.Integer(allow_none=True, metadata={"description": "A PDF's; null: image"})


class CurrentRevisionOut(ma.Schema):
    id = ma.fields.UUID()
    number = ma.fields.Integer()
    approved_at = ma.fields.AwareDateTime()
    approved_by = ma.fields.Nested(DocumentPersonOut, allow_none=True)
    file_url = ma.fields.String(metadata={"description": "/api/documents/{id}/file"})
    filename = ma.fields.String()
    content_type = ma.fields.String()
    size_bytes = ma.fields.Integer()
    file_sha256 = ma.fields.String()


class RevisionOut(ma.Schema):
    id = ma.fields.UUID()
    number = ma.fields.Integer()
    status = ma.fields.String(metadata={"description": "draft, approved or obsolete"})
    summary = ma.fields.String()
    filename = ma.fields.String()
    content_type = ma.fields.String()
    size_bytes = ma.fields.Integer()
    file_sha256 = ma.fields.String()
    author = ma.fields.Nested(DocumentPersonOut, allow_none=True)
    approved_by = ma.fields.Nested(DocumentPersonOut, allow_none=True)
    approved_at = ma.fields.AwareDateTime(allow_none=True)
    obsoleted_at = ma.fields.AwareDateTime(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    file_url = ma.fields.String()


class DocumentAudienceOut(ma.Schema):
    roles = ma.fields.List(ma.fields.String())
    site_ids = ma.fields.List(ma.fields.Integer())


class AcknowledgementCountsOut(ma.Schema):
    done = ma.fields.Integer(metadata={"description": "People concerned who acknowledged"})
    expected = ma.fields.Integer(metadata={"description": "Active members it concerns"})


class MyAcknowledgementOut(ma.Schema):
    id = ma.fields.UUID()
    acknowledged_at = ma.fields.AwareDateTime()


class DocumentSummaryOut(ma.Schema):
    """A document as the list shows it."""

    id = ma.fields.UUID()
    code = ma.fields.String()
    title = ma.fields.String()
    kind = ma.fields.String()
    status = ma.fields.String(metadata={"description": "draft, approved or obsolete"})
    current_revision = ma.fields.Nested(CurrentRevisionOut, allow_none=True)
    review_on = ma.fields.Date(allow_none=True)
    review_due = ma.fields.Boolean()
    owner = ma.fields.Nested(DocumentPersonOut, allow_none=True)
    audience = ma.fields.Nested(DocumentAudienceOut)
    acknowledged_by_me = ma.fields.Boolean(
        allow_none=True, metadata={"description": "null: no approved revision"}
    )
    my_acknowledgement = ma.fields.Nested(MyAcknowledgementOut, allow_none=True)
    concerns_me = ma.fields.Boolean()
    acknowledgement_counts = ma.fields.Nested(
        AcknowledgementCountsOut,
        allow_none=True,
        metadata={"description": "Officers and admins; else null"},
    )
    created_at = ma.fields.AwareDateTime()
    changed_at = ma.fields.AwareDateTime()


class DocumentListItemOut(DocumentSummaryOut):
    acknowledgements = ma.fields.Nested(
        AcknowledgementCountsOut,
        allow_none=True,
        metadata={"description": "Officers and admins; else null"},
    )


class AcknowledgementOut(ma.Schema):
    id = ma.fields.UUID()
    document_id = ma.fields.UUID()
    revision_id = ma.fields.UUID()
    revision_number = ma.fields.Integer()
    user = ma.fields.Nested(DocumentPersonOut)
    acknowledged_at = ma.fields.AwareDateTime()
    created_at = ma.fields.AwareDateTime()


class AcknowledgedOut(ma.Schema):
    user = ma.fields.Nested(DocumentPersonOut)
    acknowledged_at = ma.fields.AwareDateTime()


class DocumentOut(DocumentSummaryOut):
    """One document in full."""

    revisions = ma.fields.List(ma.fields.Nested(RevisionOut))
    acknowledgements = ma.fields.List(
        ma.fields.Nested(AcknowledgedOut),
        allow_none=True,
        metadata={"description": "Of the current revision (officers, admins; else null)"},
    )
    pending = ma.fields.List(
        ma.fields.Nested(DocumentPersonOut),
        allow_none=True,
        metadata={"description": "People it concerns who have not acknowledged (officers)"},
    )
