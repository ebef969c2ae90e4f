"""Job output."""

import marshmallow as ma


class FailedJobOut(ma.Schema):
    id = ma.fields.String()
    job = ma.fields.String(metadata={"description": "What the job does, e.g. triage_report"})
    record_type = ma.fields.String(metadata={"description": "What the job is about, e.g. report"})
    record_id = ma.fields.UUID(metadata={"description": "The id of the record it is about"})
    report_id = ma.fields.UUID(allow_none=True, metadata={"description": "record_id of a report"})
    error = ma.fields.String(metadata={"description": "The last line of the error"})
    failed_at = ma.fields.AwareDateTime(allow_none=True)


class RetriedJobOut(ma.Schema):
    id = ma.fields.String()
    status = ma.fields.String()
