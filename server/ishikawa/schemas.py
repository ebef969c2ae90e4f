"""Analysis output, and the officer's edit operations as input."""

import marshmallow as ma
from marshmallow import validate

from server.ishikawa.cues import CATEGORIES
from server.ishikawa.models import SOURCES, STATUSES
from server.reports.schemas import PersonOut
from server.validation import Integer, Text

MAX_TEXT = 300
MAX_OPERATIONS = 50
# The fields each operation needs; others sent along are ignored.
NEEDS = {
    "add_cause": ("category", "text"),
    "move_cause": ("id", "category"),
    "edit_cause": ("id", "text"),
    "remove_cause": ("id",),
    "set_root_cause": ("id",),
    "add_why": ("text",),
    "edit_why": ("index", "text"),
    "set_effect": ("text",),
}


class OperationIn(ma.Schema):
    """One edit: op names it, and it carries the fields it needs (see NEEDS)."""

    op = Text(required=True, validate=validate.OneOf(sorted(NEEDS)))
    id = Text(
        allow_none=True,
        validate=validate.Length(min=1, max=64),
        metadata={"description": "A cause's id; null in set_root_cause clears the root cause"},
    )
    category = Text(validate=validate.OneOf(CATEGORIES))
    text = Text(validate=validate.Length(min=1, max=MAX_TEXT))
    index = Integer(
        validate=validate.Range(min=0),
        metadata={"description": "Position of a why in whys, from 0"},
    )

    @ma.validates("text")
    def _not_blank(self, value: str, **_kwargs) -> None:
        if not value.strip():
            raise ma.ValidationError("Must not be blank.")

    @ma.validates_schema(skip_on_field_errors=True)
    def _has_what_op_needs(self, data: dict, **_kwargs) -> None:
        missing = [name for name in NEEDS[data["op"]] if name not in data]
        if missing:
            raise ma.ValidationError({name: [f"Required by {data['op']}."] for name in missing})
        if data["op"] != "set_root_cause" and "id" in NEEDS[data["op"]] and data["id"] is None:
            raise ma.ValidationError({"id": ["Field may not be null."]})

    @ma.post_load
    def _tidy(self, data: dict, **_kwargs) -> dict:
        if "text" in data:
            data["text"] = " ".join(data["text"].split())
        return data


class AnalysisEditIn(ma.Schema):
    """PATCH body: the version the officer edited and the operations, applied in order."""

    version = Integer(required=True, validate=validate.Range(min=1))
    operations = ma.fields.List(
        ma.fields.Nested(OperationIn),
        required=True,
        validate=validate.Length(min=1, max=MAX_OPERATIONS),
    )


class CauseOut(ma.Schema):
    id = ma.fields.String()
    category = ma.fields.String(metadata={"enum": list(CATEGORIES)})
    text = ma.fields.String()
    count = ma.fields.Integer(
        metadata={"description": "Reports naming this cause, of those you may open"}
    )
    report_ids = ma.fields.List(
        ma.fields.String(),
        metadata={"description": "The reports counted (the first 20): all of them you may open"},
    )
    source = ma.fields.String(metadata={"enum": list(SOURCES)})
    edited = ma.fields.Boolean(metadata={"description": "An officer changed its text or category"})


class CategoryOut(ma.Schema):
    name = ma.fields.String()
    causes = ma.fields.List(ma.fields.Nested(CauseOut))


class AnalysisOut(ma.Schema):
    report_id = ma.fields.UUID()
    version = ma.fields.Integer(metadata={"description": "Send it back with PATCH"})
    status = ma.fields.String(metadata={"enum": list(STATUSES)})
    effect = ma.fields.String()
    categories = ma.fields.List(
        ma.fields.Nested(CategoryOut), metadata={"description": "The six categories, in order"}
    )
    whys = ma.fields.List(ma.fields.String())
    root_cause_id = ma.fields.String(allow_none=True)
    root_cause = ma.fields.Nested(CauseOut, allow_none=True)
    requested_at = ma.fields.AwareDateTime(allow_none=True)
    built_at = ma.fields.AwareDateTime(allow_none=True)
    updated_at = ma.fields.AwareDateTime()
    updated_by = ma.fields.Nested(PersonOut, allow_none=True)
