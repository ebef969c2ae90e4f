"""Notification output and the inbox's query."""

import marshmallow as ma
from marshmallow import validate

from server.reminders.models import ACTION, COMPETENCE, DOCUMENT, KINDS, NONCONFORMITY, RISK
from server.validation import QueryInteger, Text

# A page cursor is a notification's id, as this API wrote it, within the 32-bit column.
CURSOR_PATTERN = r"^[0-9]{1,9}$"


class NotificationRecordOut(ma.Schema):
    type = ma.fields.String(metadata={"enum": [ACTION, NONCONFORMITY, RISK, COMPETENCE, DOCUMENT]})
    id = ma.fields.UUID(
        metadata={"description": "The action's, NC's, entry's or document's id; a competence's uid"}
    )
    nonconformity_id = ma.fields.UUID(
        allow_none=True,
        metadata={"description": "The NC: the action's own, or the record itself; else null"},
    )


class NotificationOut(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String(metadata={"enum": list(KINDS)})
    title = ma.fields.String()
    body = ma.fields.String()
    record = ma.fields.Nested(NotificationRecordOut, metadata={"description": "What it is about"})
    created_at = ma.fields.AwareDateTime()
    read_at = ma.fields.AwareDateTime(allow_none=True)


class InboxOut(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(NotificationOut))
    unread = ma.fields.Integer(metadata={"description": "How many of mine are unread (the badge)"})
    next_cursor = ma.fields.String(allow_none=True)


class InboxFilterIn(ma.Schema):
    unread = ma.fields.Boolean(load_default=False, metadata={"description": "true: unread only"})
    limit = QueryInteger(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = Text(
        load_default=None,
        validate=validate.Regexp(CURSOR_PATTERN, error="Not a cursor this API gave out."),
        metadata={"description": "next_cursor of the previous page"},
    )


class MarkedOut(ma.Schema):
    marked = ma.fields.Integer(metadata={"description": "How many were marked read"})
    unread = ma.fields.Integer()
