"""Queue filters and page; the overview."""

import re
from datetime import date

import marshmallow as ma
from marshmallow import validate

from server.desk.overview import BANDS
from server.desk.services import ALL, OPEN_STATUSES
from server.reports.models import KINDS, RISK_BANDS, STATUSES
from server.reports.schemas import ReportOut
from server.triage.models import PRIORITIES
from server.triage.rules import CATEGORY_LABELS
from server.validation import EARLIEST, LATEST, AwareDateTime, QueryId, QueryInteger, Text

MAX_QUERY = 200
PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DAYS_HELP = (
    "A plain date is a day at each report's own site: it begins at midnight in the site's "
    "time zone (with site_id, that site's)"
)


class DayOrTime(ma.fields.Field):
    """A time with its offset, or a plain date (YYYY-MM-DD) that each site's zone places."""

    def __init__(self, description: str, **kwargs):
        formats = [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]
        metadata = {"description": f"{description}. {DAYS_HELP}", "anyOf": formats}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> date:
        if not (isinstance(value, str) and PLAIN_DATE.fullmatch(value)):
            return AwareDateTime().deserialize(value, attr, data)
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise ma.ValidationError("Not a valid date.") from None
        if not EARLIEST.year <= day.year < LATEST.year:
            raise ma.ValidationError("Is outside the dates this system keeps (1900 to 9998).")
        return day


class QueueFilterIn(ma.Schema):
    site_id = QueryId()
    kind = Text(validate=validate.OneOf(KINDS))
    category = Text(
        validate=validate.OneOf(tuple(CATEGORY_LABELS)), metadata={"description": "Triage's"}
    )
    risk_band = Text(
        validate=validate.OneOf([band for _ceiling, band in RISK_BANDS]),
        metadata={"description": "Triage's effective risk band"},
    )
    status = ma.fields.List(
        Text(validate=validate.OneOf((*STATUSES, ALL))),
        metadata={
            "description": f"Repeat for several; '{ALL}' for every status. "
            f"Default: {', '.join(OPEN_STATUSES)} (all but closed)"
        },
    )
    check_category = ma.fields.Boolean(
        metadata={"description": "true: only reports whose triage asks to check the category"}
    )
    observed_from = DayOrTime("Observed at or after this time, or from the start of this date")
    observed_to = DayOrTime("Observed before this time, or up to the end of this date")
    q = Text(
        validate=validate.Length(min=1, max=MAX_QUERY),
        metadata={"description": "Text the description contains, in any case"},
    )
    limit = QueryInteger(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = Text(load_default=None, metadata={"description": "next_cursor of the previous page"})


class QueueItemOut(ReportOut):
    queue_priority = ma.fields.String(
        metadata={"description": f"{', '.join(PRIORITIES)}, or awaiting_triage (shown first)"}
    )
    merged_reports = ma.fields.Integer(
        metadata={
            "description": "How many reports this item stands for: itself and the reports "
            "confirmed as its duplicates (merged into it); 1 when none"
        }
    )
    check_category = ma.fields.Boolean(
        metadata={"description": "Triage is unsure of the category: an officer should check it"}
    )


class QueuePageOut(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(QueueItemOut))
    next_cursor = ma.fields.String(allow_none=True, metadata={"description": "null at the end"})


class BandCountOut(ma.Schema):
    risk_band = ma.fields.String(allow_none=True, metadata={"description": "null: not triaged"})
    count = ma.fields.Integer()


class StatusCountOut(ma.Schema):
    status = ma.fields.String()
    count = ma.fields.Integer()


class CategorySeriesOut(ma.Schema):
    category = ma.fields.String(metadata={"description": "Triage's; uncategorised if none"})
    label = ma.fields.String()
    counts = ma.fields.List(ma.fields.Integer(), metadata={"description": "One per week"})


class WeeklyOut(ma.Schema):
    weeks = ma.fields.List(
        ma.fields.Date(),
        metadata={
            "description": "The Mondays of the 12 ISO weeks, oldest first. Each report counts in "
            "the week of its own site's time zone (a week begins Monday 00:00 there); the last "
            "is this week where it began first"
        },
    )
    categories = ma.fields.List(
        ma.fields.Nested(CategorySeriesOut),
        metadata={"description": "Each category seen in those weeks"},
    )


class OverdueItemOut(ma.Schema):
    id = ma.fields.UUID()
    description = ma.fields.String()
    site_name = ma.fields.String()
    site_time_zone = ma.fields.String(metadata={"description": "Show the due time in this zone"})
    priority = ma.fields.String()
    due_at = ma.fields.AwareDateTime()
    assignee_name = ma.fields.String(allow_none=True)


class OverdueOut(ma.Schema):
    total = ma.fields.Integer()
    items = ma.fields.List(
        ma.fields.Nested(OverdueItemOut), metadata={"description": "The 50 oldest due first"}
    )


class ActionCountsOut(ma.Schema):
    open = ma.fields.Integer(metadata={"description": "Actions not done yet"})
    overdue = ma.fields.Integer(metadata={"description": "Open actions past their due day"})


class NonconformityCountsOut(ma.Schema):
    open = ma.fields.Integer(metadata={"description": "NCs neither closed nor cancelled"})
    closed = ma.fields.Integer()
    closed_effective_first_check = ma.fields.Integer(
        metadata={"description": "Closed NCs found effective on their first check"}
    )
    effective_first_check_share = ma.fields.Float(
        allow_none=True, metadata={"description": "That share of the closed NCs, 0 to 1"}
    )


class OverviewOut(ma.Schema):
    open_total = ma.fields.Integer(metadata={"description": "Reports not closed"})
    open_by_risk_band = ma.fields.List(
        ma.fields.Nested(BandCountOut),
        metadata={"description": f"Open reports: {', '.join(map(str, BANDS))}, zeros included"},
    )
    open_by_status = ma.fields.List(
        ma.fields.Nested(StatusCountOut),
        metadata={"description": f"Open reports: {', '.join(OPEN_STATUSES)}, zeros included"},
    )
    weekly = ma.fields.Nested(WeeklyOut, metadata={"description": "Reports observed per week"})
    overdue = ma.fields.Nested(
        OverdueOut, metadata={"description": "Open P1/P2 reports past due, oldest due first"}
    )
    actions = ma.fields.Nested(ActionCountsOut)
    nonconformities = ma.fields.Nested(NonconformityCountsOut)
