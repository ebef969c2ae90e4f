"""Objective and review output: GET /api/reviews/{id} is the whole shape of reviews.md.

A review's view is plain JSON values (days, times and ids as strings: a held review's inputs
are stored so), so its dates are strings here too, documented with their format.
"""

import marshmallow as ma

from server.nonconformities.models import SOURCES
from server.reports.models import KINDS, RISK_BANDS


def _day(**kwargs) -> ma.fields.String:
    return ma.fields.String(metadata={"format": "date"}, **kwargs)


def _moment(**kwargs) -> ma.fields.String:
    return ma.fields.String(metadata={"format": "date-time"}, **kwargs)


def _uuid(**kwargs) -> ma.fields.String:
    return ma.fields.String(metadata={"format": "uuid"}, **kwargs)


def _rate(description: str) -> ma.fields.Float:
    return ma.fields.Float(allow_none=True, metadata={"description": description})


def _counts(name: str, keys, description: str) -> type[ma.Schema]:
    fields = {key: ma.fields.Integer() for key in keys}
    schema = ma.Schema.from_dict(fields, name=name)
    schema.__doc__ = description
    return schema


class NamedRefOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String(allow_none=True)


class ReviewPeriodOut(ma.Schema):
    period_start = _day()
    period_end = _day()


class ObjectiveValueOut(ma.Schema):
    """An objective with its value for a period, the period before's, and whether it is met."""

    id = _uuid()
    title = ma.fields.String()
    measure = ma.fields.String()
    target = ma.fields.Float()
    direction = ma.fields.String(metadata={"description": "at_most or at_least"})
    unit = ma.fields.String()
    value = _rate("null: nothing to count, or no figures entered")
    previous_value = _rate("The comparison period's")
    met = ma.fields.Boolean(allow_none=True, metadata={"description": "null: no value"})
    site = ma.fields.Nested(NamedRefOut, allow_none=True, metadata={"description": "null: all"})


class ObjectiveFigureOut(ma.Schema):
    month = ma.fields.String(metadata={"description": "YYYY-MM"})
    value = ma.fields.Float()


class ObjectiveOut(ObjectiveValueOut):
    """An objective as GET /api/objectives lists it."""

    active = ma.fields.Boolean()
    hand_entered = ma.fields.Boolean(metadata={"description": "Takes a figure each month"})
    period = ma.fields.Nested(ReviewPeriodOut)
    comparison = ma.fields.Nested(ReviewPeriodOut)
    figures = ma.fields.List(
        ma.fields.Nested(ObjectiveFigureOut), metadata={"description": "Entered, in both periods"}
    )
    created_at = ma.fields.AwareDateTime()
    changed_at = ma.fields.AwareDateTime()


class ReviewActionOut(ma.Schema):
    """An action of a review (its own, or the previous review's) as it stands now."""

    id = _uuid()
    title = ma.fields.String()
    owner = ma.fields.Nested(NamedRefOut, allow_none=True)
    due_on = _day()
    status = ma.fields.String(metadata={"description": "open, done or cancelled"})
    done_at = _moment(allow_none=True)
    on_time = ma.fields.Boolean(
        allow_none=True, metadata={"description": "Done by its due day; null: open, not late"}
    )
    site_id = ma.fields.Integer()
    kind = ma.fields.String()
    control = ma.fields.String()


class EntryChangeOut(ma.Schema):
    risk_id = _uuid()
    number = ma.fields.String(metadata={"description": "R-12"})
    hazard = ma.fields.String()
    change = ma.fields.String(metadata={"enum": ["added", "band_up"]})


class ReviewTemplateVersionOut(ma.Schema):
    name = ma.fields.String()
    version = ma.fields.Integer()


class ReviewChangesOut(ma.Schema):
    risks_added = ma.fields.Integer()
    risks_raised = ma.fields.Integer(metadata={"description": "Moved to a higher residual band"})
    template_versions = ma.fields.List(ma.fields.Nested(ReviewTemplateVersionOut))
    entries = ma.fields.List(ma.fields.Nested(EntryChangeOut))
    documents_approved = ma.fields.Integer(
        metadata={"description": "Document revisions approved (issued) in the period"}
    )
    acknowledgements = ma.fields.Integer(
        metadata={"description": "Acknowledgements of documents made in the period"}
    )


IncidentCountsOut = _counts("IncidentCountsOut", (*KINDS, "total"), "Reports by kind")


class IncidentMonthOut(IncidentCountsOut):
    month = ma.fields.String(metadata={"description": "YYYY-MM"})


class IncidentsOut(ma.Schema):
    current = ma.fields.Nested(IncidentCountsOut)
    previous = ma.fields.Nested(IncidentCountsOut)
    by_month = ma.fields.List(ma.fields.Nested(IncidentMonthOut))
    serious = ma.fields.Integer(
        metadata={"description": "Injuries, near misses, environmental incidents of severity 4-5"}
    )


class NcCountsOut(ma.Schema):
    raised = ma.fields.Integer()
    major = ma.fields.Integer()
    minor = ma.fields.Integer()
    closed = ma.fields.Integer()
    open_at_end = ma.fields.Integer()
    by_source = ma.fields.Dict(
        keys=ma.fields.String(metadata={"enum": list(SOURCES)}),
        values=ma.fields.Integer(),
        metadata={"description": "Of those raised, the sources with any"},
    )


class NonconformitiesOut(ma.Schema):
    current = ma.fields.Nested(NcCountsOut)
    previous = ma.fields.Nested(NcCountsOut)


class ReviewActionCountsOut(ma.Schema):
    due = ma.fields.Integer()
    done_on_time = ma.fields.Integer()
    on_time_rate = _rate("Percent")
    overdue_at_end = ma.fields.Integer()


class CheckCountsOut(ma.Schema):
    checked = ma.fields.Integer()
    effective_first = ma.fields.Integer()
    rate = _rate("Percent")


class EffectiveFirstOut(ma.Schema):
    current = ma.fields.Nested(CheckCountsOut)
    previous = ma.fields.Nested(CheckCountsOut)


class ActionsOut(ma.Schema):
    current = ma.fields.Nested(ReviewActionCountsOut)
    previous = ma.fields.Nested(ReviewActionCountsOut)
    effective_first_time = ma.fields.Nested(EffectiveFirstOut)


class HeatCellOut(ma.Schema):
    severity = ma.fields.Integer()
    likelihood = ma.fields.Integer()
    count = ma.fields.Integer()


class ReviewHeatMapOut(ma.Schema):
    cells = ma.fields.List(ma.fields.Nested(HeatCellOut), metadata={"description": "count > 0"})
    total = ma.fields.Integer()


BandsOut = _counts("BandsOut", [band for _ceiling, band in RISK_BANDS], "Risks by residual band")


class MonitoringOut(ma.Schema):
    heat_map = ma.fields.Nested(ReviewHeatMapOut)
    bands = ma.fields.Nested(BandsOut)
    review_due = ma.fields.Integer()


class AuditCountsOut(ma.Schema):
    submitted = ma.fields.Integer()
    planned = ma.fields.Integer()
    overdue = ma.fields.Integer()
    average_score = _rate("Percent")


class AuditSiteOut(ma.Schema):
    site_id = ma.fields.Integer()
    name = ma.fields.String()
    submitted = ma.fields.Integer()
    average_score = _rate("Percent")


class ReviewClauseOut(ma.Schema):
    clause = ma.fields.String()
    minor_nc = ma.fields.Integer()
    major_nc = ma.fields.Integer()
    observation = ma.fields.Integer()


class AuditsOut(ma.Schema):
    current = ma.fields.Nested(AuditCountsOut)
    previous = ma.fields.Nested(AuditCountsOut)
    by_site = ma.fields.List(ma.fields.Nested(AuditSiteOut))
    by_clause = ma.fields.List(ma.fields.Nested(ReviewClauseOut))


class ParticipationCountsOut(ma.Schema):
    reports = ma.fields.Integer()
    reporters = ma.fields.Integer()
    people = ma.fields.Integer()
    reports_per_person = ma.fields.Float(allow_none=True)
    good_practice = ma.fields.Integer()


class ParticipationOut(ma.Schema):
    current = ma.fields.Nested(ParticipationCountsOut)
    previous = ma.fields.Nested(ParticipationCountsOut)


class PerformanceOut(ma.Schema):
    incidents = ma.fields.Nested(IncidentsOut)
    nonconformities = ma.fields.Nested(NonconformitiesOut)
    actions = ma.fields.Nested(ActionsOut)
    monitoring = ma.fields.Nested(MonitoringOut)
    audits = ma.fields.Nested(AuditsOut)
    participation = ma.fields.Nested(ParticipationOut)


CompetencesOut = _counts(
    "CompetencesOut",
    ("valid", "expiring_within_90_days", "expired", "due_days", "expiring_within_due_days"),
    "Records at the end, the best of each active person and module: valid (due included), "
    "expiring within 90 days and within the organization's training_due_days (due_days), "
    "expired",
)
InternalAuditorsOut = _counts(
    "InternalAuditorsOut",
    ("qualified", "not_qualified"),
    "Active people holding a valid internal_audit record at the end, and those holding none",
)


class ResourcesOut(ma.Schema):
    competences = ma.fields.Nested(CompetencesOut)
    internal_auditors = ma.fields.Nested(InternalAuditorsOut)


class CommunicationsOut(ma.Schema):
    reminders_sent = ma.fields.Integer()
    reports_closed_with_note = ma.fields.Integer()


class OpportunityOut(ma.Schema):
    risk_id = _uuid()
    number = ma.fields.String()
    activity = ma.fields.String()
    hazard = ma.fields.String()
    residual_band = ma.fields.String()


class InputsOut(ma.Schema):
    """The inputs in the order of ISO 45001 9.3."""

    previous_actions = ma.fields.List(ma.fields.Nested(ReviewActionOut))
    changes = ma.fields.Nested(ReviewChangesOut)
    objectives = ma.fields.List(ma.fields.Nested(ObjectiveValueOut))
    performance = ma.fields.Nested(PerformanceOut)
    resources = ma.fields.Nested(ResourcesOut)
    communications = ma.fields.Nested(CommunicationsOut)
    improvement_opportunities = ma.fields.List(ma.fields.Nested(OpportunityOut))


class ReviewDecisionOut(ma.Schema):
    text = ma.fields.String()


class OutputsOut(ma.Schema):
    attendees = ma.fields.List(ma.fields.String())
    decisions = ma.fields.List(ma.fields.Nested(ReviewDecisionOut))
    notes = ma.fields.String(allow_none=True)
    actions = ma.fields.List(ma.fields.Nested(ReviewActionOut))


class PreviousReviewOut(ma.Schema):
    id = _uuid()
    title = ma.fields.String()
    held_on = _day()


class ReviewSummaryOut(ma.Schema):
    """A review as the list shows it."""

    id = _uuid()
    title = ma.fields.String()
    status = ma.fields.String(metadata={"description": "draft or held"})
    period_start = _day()
    period_end = _day()
    comparison = ma.fields.Nested(ReviewPeriodOut)
    site_ids = ma.fields.List(ma.fields.Integer(), metadata={"description": "Empty: every site"})
    sites = ma.fields.List(ma.fields.Nested(NamedRefOut))
    held_on = _day(allow_none=True)
    created_at = _moment()
    changed_at = _moment()


class ReviewOut(ReviewSummaryOut):
    """A review whole: inputs live while a draft, frozen once held; and its outputs."""

    organization = ma.fields.Nested(NamedRefOut)
    previous_review = ma.fields.Nested(PreviousReviewOut, allow_none=True)
    inputs = ma.fields.Nested(InputsOut)
    outputs = ma.fields.Nested(OutputsOut)
    held_by = ma.fields.Nested(NamedRefOut, allow_none=True)
    created_by = ma.fields.Nested(NamedRefOut, allow_none=True)
