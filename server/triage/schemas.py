"""Triage input (an officer's override, a duplicate decision) and output."""

import marshmallow as ma
from marshmallow import validate

from server.triage.models import OVERRIDABLE, PRIORITIES
from server.triage.rules import CATEGORY_LABELS
from server.validation import AwareDateTime, Id, Integer, Text

REASONS = ma.fields.Dict(
    keys=ma.fields.String(),
    values=ma.fields.List(ma.fields.String()),
    metadata={"description": "Conclusion name to the short sentences behind it"},
)


def _rating() -> Integer:
    return Integer(validate=validate.Range(min=1, max=5))


_REASON_LENGTH = validate.Length(min=3, max=500)
_REASON_DOC = {"description": "Why: kept with the change and in the event log"}


class TriageOverrideIn(ma.Schema):
    """An officer's values for any triage fields, and the reason (required)."""

    priority = Text(validate=validate.OneOf(PRIORITIES))
    category = Text(validate=validate.OneOf(tuple(CATEGORY_LABELS)))
    severity = _rating()
    likelihood = _rating()
    assignee_id = Id(allow_none=True, metadata={"description": "A user id; null unassigns"})
    due_at = AwareDateTime()
    reportable = ma.fields.Boolean()
    reason = Text(required=True, validate=_REASON_LENGTH, metadata=_REASON_DOC)

    @ma.validates("reason")
    def _not_blank(self, value: str, **_kwargs) -> None:
        if not value.strip():
            raise ma.ValidationError("Say why.")

    @ma.validates_schema
    def _something_to_change(self, data: dict, **_kwargs) -> None:
        if not any(name in data for name in OVERRIDABLE):
            raise ma.ValidationError(
                f"Give at least one of {', '.join(OVERRIDABLE)}.", field_name="_schema"
            )


class DuplicateDecisionIn(ma.Schema):
    status = Text(required=True, validate=validate.OneOf(("confirmed", "dismissed")))
    reason = Text(load_default=None, allow_none=True, validate=_REASON_LENGTH, metadata=_REASON_DOC)


class AssigneeOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()


class TriageCompactOut(ma.Schema):
    """What the change feed carries of a triage."""

    priority = ma.fields.String(allow_none=True)
    category = ma.fields.String(allow_none=True)
    risk_band = ma.fields.String(allow_none=True)
    due_at = ma.fields.AwareDateTime(allow_none=True)


class TriageSummaryOut(TriageCompactOut):
    """A report's triage: effective values, the reasons, and which fields an officer set."""

    category_label = ma.fields.String(allow_none=True)
    severity = ma.fields.Integer(allow_none=True)
    likelihood = ma.fields.Integer(allow_none=True)
    risk_score = ma.fields.Integer(allow_none=True)
    reportable = ma.fields.Boolean(
        allow_none=True, metadata={"description": "Potentially reportable to the regulator"}
    )
    assignee = ma.fields.Nested(AssigneeOut, allow_none=True)
    reasons = REASONS
    overridden = ma.fields.List(ma.fields.String())
    triaged_at = ma.fields.AwareDateTime(allow_none=True)
    category_confidence = ma.fields.Float(
        allow_none=True, metadata={"description": "0-1: how sure the classifier is"}
    )
    check_category = ma.fields.Boolean(
        metadata={"description": "Low confidence: an officer should check the category"}
    )
    language = ma.fields.String(
        allow_none=True, metadata={"description": "The language the report is written in"}
    )
    language_label = ma.fields.String(allow_none=True)
    classifier_version = ma.fields.String(
        allow_none=True, metadata={"description": "Vocabularies, examples and model that read it"}
    )


class OverrideOut(ma.Schema):
    field = ma.fields.String()
    value = ma.fields.Raw(allow_none=True, metadata={"description": "The officer's value"})
    computed = ma.fields.Raw(allow_none=True, metadata={"description": "What triage concluded"})
    reason = ma.fields.String()
    by = ma.fields.Nested(AssigneeOut, allow_none=True)
    at = ma.fields.AwareDateTime()


class DuplicateOut(ma.Schema):
    report_id = ma.fields.UUID(metadata={"description": "The other report"})
    score = ma.fields.Float(metadata={"description": "0-1: how alike the two reports are"})
    verdict = ma.fields.String(
        allow_none=True,
        metadata={"description": "likely_duplicate, possible_duplicate or same_place_check"},
    )
    verdict_label = ma.fields.String(
        allow_none=True, metadata={"description": "The verdict as an officer reads it"}
    )
    reasons = ma.fields.List(ma.fields.String())
    status = ma.fields.String(metadata={"description": "suggested, confirmed or dismissed"})
    merged = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "Once confirmed, the earlier report stands for both: into_other when "
            "this report was merged into the other one, into_this when the other was merged "
            "into this one; null while not confirmed"
        },
    )
    decided_by = ma.fields.Nested(AssigneeOut, allow_none=True)
    decided_at = ma.fields.AwareDateTime(allow_none=True)


class TriageOut(TriageSummaryOut):
    """A report's triage in full: also the computed values, overrides and duplicates."""

    report_id = ma.fields.UUID()
    runs = ma.fields.Integer(metadata={"description": "How many times the job ran"})
    computed = ma.fields.Dict(
        metadata={"description": "The job's own conclusions, whatever was overridden"}
    )
    overrides = ma.fields.List(ma.fields.Nested(OverrideOut))
    duplicates = ma.fields.List(ma.fields.Nested(DuplicateOut))


class TriageCategoryOut(ma.Schema):
    id = ma.fields.String()
    label = ma.fields.String()
