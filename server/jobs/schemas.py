"""Job output."""

import marshmallow as ma


class FailedJobOut(ma.Schema):
    id = ma.fields.String()
    job = ma.fields.String(metadata={"description": "What the job does, e.g. triage_report"})
    report_id = ma.fields.UUID(allow_none=True)
    error = ma.fields.String(metadata={"description": "The last line of the error"})
    failed_at = ma.fields.AwareDateTime(allow_none=True)


class RetriedJobOut(ma.Schema):
    id = ma.fields.String()
    status = ma.fields.String()
