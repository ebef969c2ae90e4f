"""Audit input (bodies, queries, the "responses" sync item) and output."""

from datetime import UTC, datetime

import marshmallow as ma
from marshmallow import validate

from server.audits.models import AUDIT_STATES, RESULTS
from server.audits.template_schemas import SectionOut
from server.nonconformities.schemas import (
    MAX_CLOCK_AHEAD,
    MAX_TEXT,
    _held_photos,
    _nullable_text,
)
from server.reports.schemas import PersonOut
from server.validation import AwareDateTime, Day, QueryId, QueryInteger, Text


def _not_in_the_future(value: datetime) -> None:
    # Phone clocks drift; a time more than a day ahead of the server is a broken clock.
    if value > datetime.now(UTC) + MAX_CLOCK_AHEAD:
        raise ma.ValidationError("Is in the future: check the phone's clock.")


class AuditIn(ma.Schema):
    """POST /api/audits: start an unplanned audit."""

    id = ma.fields.UUID(required=True)
    template_id = ma.fields.UUID(required=True)
    site_id = QueryId(required=True)


class ResponseIn(ma.Schema):
    """One item of POST /api/sync's "responses" list: an answer to one question."""

    id = ma.fields.UUID(required=True)
    audit_id = ma.fields.UUID(required=True)
    question_id = ma.fields.UUID(required=True)
    result = Text(required=True, validate=validate.OneOf(RESULTS))
    notes = _nullable_text(MAX_TEXT, load_default=None)
    photos = _held_photos("Photos of the answer, each uploaded first")
    answered_at = AwareDateTime(required=True, validate=_not_in_the_future)


class SubmitIn(ma.Schema):
    """POST /api/audits/{id}/submit: the auditor's sign-off."""

    signed_at = AwareDateTime(required=True, validate=_not_in_the_future)


class CancelIn(ma.Schema):
    """POST /api/audits/{id}/cancel."""

    reason = Text(required=True, validate=validate.Length(min=1, max=2000))


class AuditFilterIn(ma.Schema):
    """GET /api/audits: mine to run (assigned=me), or the programme."""

    assigned = Text(validate=validate.OneOf(("me",)))
    site_id = QueryId()
    auditor_id = QueryId()
    status = Text(validate=validate.OneOf(AUDIT_STATES.states))
    overdue = ma.fields.Boolean()
    nonconformity_id = ma.fields.UUID(metadata={"description": "The audit a finding's NC is of"})
    from_ = Day(data_key="from")
    to = Day()
    limit = QueryInteger(load_default=200, validate=validate.Range(min=1, max=500))


class TrendsIn(ma.Schema):
    site_id = QueryId()
    months = QueryInteger(load_default=12, validate=validate.Range(min=1, max=60))


class TemplateSummaryOut(ma.Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    standard = ma.fields.String()
    version = ma.fields.Integer()


class TemplateVersionOut(TemplateSummaryOut):
    sections = ma.fields.List(ma.fields.Nested(SectionOut))


class ResponseOut(ma.Schema):
    id = ma.fields.UUID()
    question_id = ma.fields.UUID()
    result = ma.fields.String()
    notes = ma.fields.String(allow_none=True)
    photos = ma.fields.List(ma.fields.String())
    answered_at = ma.fields.AwareDateTime()


class SectionScoreOut(ma.Schema):
    ref = ma.fields.String()
    title = ma.fields.String()
    percent = ma.fields.Float(allow_none=True)
    earned = ma.fields.Float()
    possible = ma.fields.Float()


class ScoreOut(ma.Schema):
    overall = ma.fields.Float(allow_none=True, metadata={"description": "Percent"})
    by_section = ma.fields.List(ma.fields.Nested(SectionScoreOut))


class ObservationOut(ma.Schema):
    question_id = ma.fields.UUID()
    ref = ma.fields.String()
    clause = ma.fields.String()
    text = ma.fields.String()
    notes = ma.fields.String(allow_none=True)
    photos = ma.fields.List(ma.fields.String())


class FindingOut(ObservationOut):
    result = ma.fields.String()
    nonconformity_id = ma.fields.UUID(allow_none=True)


class ProgressOut(ma.Schema):
    answered = ma.fields.Integer()
    total = ma.fields.Integer()


class AuditHeadOut(ma.Schema):
    id = ma.fields.UUID()
    site_id = ma.fields.Integer()
    site_name = ma.fields.String()
    site_time_zone = ma.fields.String()
    status = ma.fields.String()
    due_on = ma.fields.Date(allow_none=True)
    overdue = ma.fields.Boolean()
    schedule_id = ma.fields.UUID(allow_none=True)
    auditor = ma.fields.Nested(PersonOut, allow_none=True)
    auditee = ma.fields.Nested(PersonOut, allow_none=True)
    started_at = ma.fields.AwareDateTime(allow_none=True)
    signed_at = ma.fields.AwareDateTime(allow_none=True)
    submitted_at = ma.fields.AwareDateTime(allow_none=True)
    change_id = ma.fields.Integer()


class AuditOut(AuditHeadOut):
    """One audit in full: enough to run it offline, and its results."""

    template = ma.fields.Nested(TemplateVersionOut)
    responses = ma.fields.List(ma.fields.Nested(ResponseOut))
    progress = ma.fields.Nested(ProgressOut)
    score = ma.fields.Nested(ScoreOut)
    findings = ma.fields.List(ma.fields.Nested(FindingOut))
    observations = ma.fields.List(ma.fields.Nested(ObservationOut))


class AuditEntryOut(AuditHeadOut):
    """An audit in the programme list."""

    template = ma.fields.Nested(TemplateSummaryOut)
    score = ma.fields.Float(allow_none=True, metadata={"description": "Overall percent"})
    findings = ma.fields.Integer(metadata={"description": "Answers that became NCs"})


class AuditChangeOut(AuditHeadOut):
    """An audit in the change feed: the phone fetches it in full when it runs it."""

    score = ma.fields.Float(allow_none=True)
    changed_at = ma.fields.AwareDateTime()


class SiteScoreOut(ma.Schema):
    site_id = ma.fields.Integer()
    site_name = ma.fields.String()
    month = ma.fields.String(metadata={"description": "YYYY-MM in the site's zone"})
    average = ma.fields.Float()
    audits = ma.fields.Integer()


class ClauseFindingsOut(ma.Schema):
    clause = ma.fields.String()
    minor = ma.fields.Integer()
    major = ma.fields.Integer()
    observations = ma.fields.Integer()


class TrendsOut(ma.Schema):
    scores = ma.fields.List(ma.fields.Nested(SiteScoreOut))
    findings_by_clause = ma.fields.List(ma.fields.Nested(ClauseFindingsOut))
