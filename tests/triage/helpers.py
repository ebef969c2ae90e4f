"""Helpers for triage tests: find a report's key, run the triage job on it."""

import uuid

from sqlalchemy import select

from server.extensions import db
from server.reports.models import Report
from server.triage.jobs import triage_report


def report_pk(report_id: str) -> int:
    """The database key of the report with this client id."""
    return db.session.scalar(select(Report.pk).where(Report.id == uuid.UUID(report_id)))


def triage(report_id: str) -> None:
    """Run the triage job for a report, as the worker does, then forget what the session read."""
    triage_report(report_pk(report_id))
    db.session.expire_all()


# Measurements the tests take (accuracy, precision, recall), shown at the end of the run.
MEASURES: dict[str, str] = {}
