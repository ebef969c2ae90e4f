"""Triage jobs, as the rq worker runs them (inside an app context)."""

from server.extensions import db
from server.triage.services import run_triage


def triage_report(report_pk: int) -> None:
    """Triage one report: safe to run again or twice at once (one result, overrides kept)."""
    try:
        run_triage(report_pk)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
