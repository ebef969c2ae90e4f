"""Asking for jobs: an outbox row in the caller's transaction, so no job is lost or orphaned."""

from server.extensions import db
from server.jobs.models import OutboxMessage

TRIAGE_REPORT = "triage_report"


def request_job(job: str, **payload) -> OutboxMessage:
    """Add an outbox row for job with plain-value arguments; the caller commits."""
    message = OutboxMessage(job=job, payload=payload)
    db.session.add(message)
    return message
