"""Objective and review input: bodies and queries."""

import marshmallow as ma
from marshmallow import validate

from server.nonconformities.models import ACTION_KINDS, CONTROLS
from server.reviews.models import DIRECTIONS, MEASURES
from server.validation import Day, Id, QueryId, Text

MAX_TITLE = 200
MAX_UNIT = 32
MAX_PEOPLE = 100
MAX_NAME = 200
MAX_DECISIONS = 100
MAX_DECISION = 2000
MAX_NOTES = 20000
MAX_SITES = 500
# Targets and figures people enter: hours worked in a month, a percent, tonnes of waste...
MAX_FIGURE = 1e12
MONTH_PATTERN = r"^(19[0-9]{2}|[2-9][0-9]{3})-(0[1-9]|1[0-2])$"


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ma.ValidationError("Must not be blank.")


def _text(limit: int, **kwargs) -> Text:
    """Free text of at most limit characters, not blank."""
    return Text(validate=[validate.Length(min=1, max=limit), _not_blank], **kwargs)


def _figure(**kwargs) -> ma.fields.Float:
    return ma.fields.Float(
        allow_nan=False,
        validate=validate.Range(min=-MAX_FIGURE, max=MAX_FIGURE),
        **kwargs,
    )


def _distinct(values: list) -> None:
    if len(values) != len(set(values)):
        raise ma.ValidationError("The same site is listed twice.")


class ObjectiveIn(ma.Schema):
    """POST /api/objectives (the id is the client's UUID)."""

    id = ma.fields.UUID(required=True)
    title = _text(MAX_TITLE, required=True, metadata={"description": "e.g. Actions on time"})
    measure = Text(required=True, validate=validate.OneOf(MEASURES))
    target = _figure(required=True)
    direction = Text(
        required=True,
        validate=validate.OneOf(DIRECTIONS),
        metadata={"description": "at_most: met at or below the target; at_least: at or above"},
    )
    unit = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=MAX_UNIT),
        metadata={"description": "Shown beside the value; the measure's own when left out"},
    )
    site_id = Id(
        load_default=None,
        allow_none=True,
        metadata={"description": "The site it is for; null: the whole organization"},
    )


class ObjectivePatchIn(ma.Schema):
    """PATCH /api/objectives/{id}: what may change (a new measure or site is a new objective)."""

    title = _text(MAX_TITLE)
    target = _figure()
    direction = Text(validate=validate.OneOf(DIRECTIONS))
    unit = Text(validate=validate.Length(max=MAX_UNIT))
    active = ma.fields.Boolean(metadata={"description": "false: no longer in reviews"})

    @ma.validates_schema
    def _something_to_change(self, data: dict, **_kwargs) -> None:
        if not data:
            raise ma.ValidationError(
                "Give at least one of title, target, direction, unit, active.",
                field_name="_schema",
            )


class FigureIn(ma.Schema):
    """PUT /api/objectives/{id}/figures/{YYYY-MM}: the month's figure."""

    value = _figure(
        required=True,
        metadata={"description": "Hours worked (injury_rate), or the measured value (manual)"},
    )


class ObjectiveFilterIn(ma.Schema):
    from_ = Day(
        data_key="from",
        metadata={"description": "The period's first day (with to; default: this quarter)"},
    )
    to = Day(metadata={"description": "The period's last day, included"})
    site_id = QueryId(metadata={"description": "Only the objectives of this site"})

    @ma.validates_schema(skip_on_field_errors=True)
    def _both_ends(self, data: dict, **_kwargs) -> None:
        if ("from_" in data) != ("to" in data):
            missing = "to" if "from_" in data else "from"
            raise ma.ValidationError({missing: ["Give from and to together."]})
        if "from_" in data and data["to"] < data["from_"]:
            raise ma.ValidationError({"to": ["Is before from."]})


class ManagementReviewIn(ma.Schema):
    """POST /api/reviews (the id is the client's UUID)."""

    id = ma.fields.UUID(required=True)
    title = Text(
        load_default=None,
        allow_none=True,
        validate=[validate.Length(max=MAX_TITLE)],
        metadata={"description": "Made from the period when left out: Management review 2026 Q3"},
    )
    period_start = Day(required=True)
    period_end = Day(required=True, metadata={"description": "Included"})
    site_ids = ma.fields.List(
        Id(),
        load_default=list,
        validate=[validate.Length(max=MAX_SITES), _distinct],
        metadata={"description": "Empty: every site (an officer of some sites: theirs)"},
    )


class ReviewDecisionIn(ma.Schema):
    text = _text(MAX_DECISION, required=True)


class ManagementReviewPatchIn(ma.Schema):
    """PATCH /api/reviews/{id}: leadership's outputs while the review is a draft."""

    title = _text(MAX_TITLE)
    attendees = ma.fields.List(
        _text(MAX_NAME), validate=validate.Length(max=MAX_PEOPLE), metadata={"description": "Who"}
    )
    decisions = ma.fields.List(
        ma.fields.Nested(ReviewDecisionIn), validate=validate.Length(max=MAX_DECISIONS)
    )
    notes = Text(allow_none=True, validate=validate.Length(max=MAX_NOTES))

    @ma.validates_schema
    def _something_to_change(self, data: dict, **_kwargs) -> None:
        if not data:
            raise ma.ValidationError(
                "Give at least one of title, attendees, decisions, notes.", field_name="_schema"
            )


class ReviewActionIn(ma.Schema):
    """POST /api/reviews/{id}/actions: an action leadership decided (the client's UUID)."""

    id = ma.fields.UUID(required=True)
    title = _text(MAX_TITLE, required=True)
    owner_id = Id(required=True)
    due_on = Day(required=True)
    site_id = Id(required=True, metadata={"description": "One of the review's sites"})
    kind = Text(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(ACTION_KINDS),
        metadata={"description": "preventive when left out"},
    )
    control = Text(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(CONTROLS),
        metadata={"description": "administrative when left out"},
    )


class ReviewHoldIn(ma.Schema):
    """POST /api/reviews/{id}/hold: the day it was held."""

    held_on = Day(required=True)
