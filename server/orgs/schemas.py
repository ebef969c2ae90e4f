"""Organization and site input and output."""

import marshmallow as ma
from marshmallow import validate

from server.orgs.zones import MAX_ZONE_NAME, is_known_zone
from server.validation import Integer, Text

ZONE_HELP = "An IANA time zone name, such as Europe/Berlin: the site's days begin at midnight there"


class TimeZone(Text):
    """An IANA time zone name this installation knows, spelled exactly."""

    def __init__(self, **kwargs):
        metadata = {"description": ZONE_HELP}
        super().__init__(
            validate=validate.Length(min=1, max=MAX_ZONE_NAME), metadata=metadata, **kwargs
        )

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        name = super()._deserialize(value, attr, data, **kwargs)
        if len(name) <= MAX_ZONE_NAME and not is_known_zone(name):
            raise ma.ValidationError(
                "Not a known time zone: use an IANA name such as Europe/Berlin."
            )
        return name


class SiteOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    code = ma.fields.String()
    latitude = ma.fields.Float(allow_none=True)
    longitude = ma.fields.Float(allow_none=True)
    time_zone = ma.fields.String(metadata={"description": ZONE_HELP})


def _name(**kwargs) -> Text:
    return Text(validate=validate.Length(min=1, max=200), **kwargs)


def _code(**kwargs) -> Text:
    return Text(
        validate=[
            validate.Length(min=1, max=32),
            validate.Regexp(r"^[A-Za-z0-9_-]+$", error="Use letters, digits, - and _ only."),
        ],
        **kwargs,
    )


def _coordinate(limit: int, **kwargs) -> ma.fields.Float:
    return ma.fields.Float(
        allow_none=True, validate=validate.Range(min=-limit, max=limit), **kwargs
    )


class SiteIn(ma.Schema):
    name = _name(required=True)
    code = _code(required=True)
    latitude = _coordinate(90, load_default=None)
    longitude = _coordinate(180, load_default=None)
    # Without one, the site takes the organization's time zone.
    time_zone = TimeZone()


class SiteChangeIn(ma.Schema):
    name = _name()
    code = _code()
    latitude = _coordinate(90)
    longitude = _coordinate(180)
    time_zone = TimeZone()


class OrganizationOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    time_zone = ma.fields.String(metadata={"description": "A new site's time zone by default"})
    training_due_days = ma.fields.Integer(
        metadata={"description": "Days ahead of its expiry that a competence record is due"}
    )
    document_review_months = ma.fields.Integer(
        metadata={"description": "Months an approved document stays current before its review"}
    )


class OrganizationChangeIn(ma.Schema):
    name = _name()
    time_zone = TimeZone()
    training_due_days = Integer(validate=validate.Range(min=1, max=365))
    document_review_months = Integer(validate=validate.Range(min=1, max=60))
