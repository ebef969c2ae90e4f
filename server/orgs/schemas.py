"""Site input and output."""

import marshmallow as ma
from marshmallow import validate

from server.validation import Text


class SiteOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    code = ma.fields.String()
    latitude = ma.fields.Float(allow_none=True)
    longitude = ma.fields.Float(allow_none=True)


class SiteIn(ma.Schema):
    name = Text(required=True, validate=validate.Length(min=1, max=200))
    code = Text(
        required=True,
        validate=[
            validate.Length(min=1, max=32),
            validate.Regexp(r"^[A-Za-z0-9_-]+$", error="Use letters, digits, - and _ only."),
        ],
    )
    latitude = ma.fields.Float(
        load_default=None, allow_none=True, validate=validate.Range(min=-90, max=90)
    )
    longitude = ma.fields.Float(
        load_default=None, allow_none=True, validate=validate.Range(min=-180, max=180)
    )
