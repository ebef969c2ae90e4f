"""Register input (an entry, a review, a link, filters) shared by the API and the CSV import."""

import marshmallow as ma
from marshmallow import validate

from server.nonconformities.models import CONTROLS
from server.reports.models import RISK_BAND_LABELS
from server.risks.models import KINDS, STATUSES
from server.validation import Day, Id, Integer, QueryId, QueryInteger, Text

MAX_SHORT, MAX_TEXT, MAX_CONTROLS = 200, 5000, 30


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ma.ValidationError("Must not be blank.")


def _text(limit: int, **kwargs) -> Text:
    return Text(validate=[validate.Length(min=1, max=limit), _not_blank], **kwargs)


def _rating(**kwargs) -> Integer:
    return Integer(validate=validate.Range(min=1, max=5), **kwargs)


class ControlIn(ma.Schema):
    """A control in place, with its level in the hierarchy of controls (ISO 45001 8.1.2)."""

    text = _text(MAX_SHORT, required=True)
    control = Text(required=True, validate=validate.OneOf(CONTROLS))


def _controls(**kwargs) -> ma.fields.List:
    return ma.fields.List(
        ma.fields.Nested(ControlIn), validate=validate.Length(max=MAX_CONTROLS), **kwargs
    )


class RatingsIn(ma.Schema):
    """What a review sets: both ratings, the controls and the next review day."""

    severity = _rating(required=True, metadata={"description": "1 (negligible) to 5"})
    likelihood = _rating(required=True, metadata={"description": "1 (rare) to 5"})
    controls = _controls(load_default=list)
    residual_severity = _rating(required=True)
    residual_likelihood = _rating(required=True)
    review_on = Day(required=True, metadata={"description": "When it is next reviewed"})


class RiskIn(RatingsIn):
    """POST /api/risks: a new entry of a site's register."""

    id = ma.fields.UUID(required=True)
    site_id = Id(required=True)
    kind = Text(load_default="risk", validate=validate.OneOf(KINDS))
    activity = _text(MAX_SHORT, required=True)
    hazard = _text(MAX_TEXT, required=True, metadata={"description": "Or the benefit"})
    who = _text(MAX_SHORT, required=True, metadata={"description": "Who is at risk"})
    category = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=64),
        metadata={"description": "The triage category of the reports it concerns"},
    )
    owner_id = Id(required=True)


class ReviewIn(RatingsIn):
    """PATCH /api/risks/{id}: a review (new ratings, controls, next review day)."""

    notes = Text(load_default=None, allow_none=True, validate=validate.Length(max=MAX_TEXT))
    owner_id = Id()
    status = Text(validate=validate.OneOf(STATUSES))


class LinkIn(ma.Schema):
    """PUT /api/reports/{id}/risk (and for NCs and audit findings); null unlinks."""

    risk_id = ma.fields.UUID(required=True, allow_none=True)


class RiskFilterIn(ma.Schema):
    site_id = QueryId()
    kind = Text(validate=validate.OneOf(KINDS))
    band = Text(validate=validate.OneOf(tuple(RISK_BAND_LABELS)))
    review_due = ma.fields.Boolean()
    status = Text(load_default="active", validate=validate.OneOf(STATUSES))
    q = Text(validate=validate.Length(max=200), metadata={"description": "Words in the entry"})
    limit = QueryInteger(load_default=100, validate=validate.Range(min=1, max=500))
    cursor = Text(validate=validate.Regexp(r"^[0-9]{1,9}$"))
