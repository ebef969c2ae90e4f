"""Audit schedule input (the body, the patch, the list's query) and output."""

import marshmallow as ma
from marshmallow import validate

from server.reports.schemas import PersonOut
from server.validation import Day, Id, QueryId, Text

MAX_RULE = 500
RULE_HELP = (
    "An RFC 5545 recurrence without DTSTART (starts_on gives it), at most daily, "
    "e.g. FREQ=MONTHLY;INTERVAL=3 or FREQ=WEEKLY;BYDAY=MO;COUNT=6"
)


class ScheduleIn(ma.Schema):
    """A line of the audit programme, as POST /api/audit-schedules takes it."""

    id = ma.fields.UUID(required=True, metadata={"description": "The client's UUID"})
    template_id = ma.fields.UUID(required=True)
    site_id = Id(required=True)
    auditor_id = Id(
        required=True,
        metadata={"description": "An auditor, officer or admin holding internal_audit"},
    )
    auditee_id = Id(
        load_default=None,
        allow_none=True,
        metadata={"description": "Whose work is audited; never the auditor"},
    )
    rrule = Text(
        required=True,
        validate=validate.Length(min=1, max=MAX_RULE),
        metadata={"description": RULE_HELP},
    )
    starts_on = Day(required=True, metadata={"description": "The first day of the recurrence"})


class SchedulePatchIn(ma.Schema):
    """PATCH /api/audit-schedules/{id}: deactivate it, or hand it to another auditor."""

    active = ma.fields.Boolean(
        metadata={"description": "false stops it for good: its audits not started are cancelled"}
    )
    auditor_id = Id(metadata={"description": "Its audits not started go to this auditor"})

    @ma.validates_schema
    def _something(self, data: dict, **_kwargs) -> None:
        if not data:
            raise ma.ValidationError("Give active: false or an auditor_id.", "_schema")


class ScheduleFilterIn(ma.Schema):
    site_id = QueryId()


class ScheduleTemplateOut(ma.Schema):
    """The template a schedule audits with."""

    id = ma.fields.UUID()
    name = ma.fields.String()
    standard = ma.fields.String()


class ScheduleOut(ma.Schema):
    id = ma.fields.UUID()
    site_id = ma.fields.Integer()
    site_name = ma.fields.String()
    template = ma.fields.Nested(ScheduleTemplateOut)
    auditor = ma.fields.Nested(PersonOut)
    auditee = ma.fields.Nested(PersonOut, allow_none=True)
    rrule = ma.fields.String()
    starts_on = ma.fields.Date()
    active = ma.fields.Boolean()
    next_due_on = ma.fields.Date(
        allow_none=True, metadata={"description": "Its next day from today on; null once ended"}
    )
    planned_through = ma.fields.Date(
        allow_none=True, metadata={"description": "Audits are made up to this day"}
    )
    ended = ma.fields.Boolean(metadata={"description": "Its recurrence has no more days"})
    created_at = ma.fields.AwareDateTime()
    change_id = ma.fields.Integer()
