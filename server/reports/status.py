"""A report's status as officers set it: start work, close with a note, reopen."""

import uuid

from sqlalchemy import select, update

from server.auth.access import Actor
from server.dbtypes import utcnow
from server.exceptions import InvalidInput, InvalidTransition
from server.extensions import db
from server.records.states import StateMachine
from server.reports.models import AWAITING_TRIAGE, Report
from server.reports.services import touch_report, visible_report

IN_PROGRESS, CLOSED = "in_progress", "closed"
# Where a reopened report goes back to the queue: triaged once triage has run, else received.
QUEUE_STATES = ("received", "triaged")
# awaiting_photos and received are the system's (sync, then triage, move a report out of them);
# an officer starts work on a report, closes it, and reopens a closed one.
REPORT_STATES = StateMachine(
    "report",
    moves={
        "awaiting_photos": (),
        "received": (IN_PROGRESS, CLOSED),
        "triaged": (IN_PROGRESS, CLOSED),
        IN_PROGRESS: (CLOSED,),
        CLOSED: (IN_PROGRESS, *QUEUE_STATES),
    },
)


def set_status(actor: Actor, report_id: uuid.UUID, status: str, note: str | None) -> Report:
    """Move a report the actor may see to status, keeping the note (required to close); commits."""
    report = _locked(visible_report(actor, report_id))
    before = report.status
    REPORT_STATES.check(before, status)
    _check_queue_state(report, status)
    note = (note or "").strip() or None
    if status == CLOSED and note is None:
        raise InvalidInput(errors={"note": ["Say what was done to close this report."]})
    report.status, report.status_note = status, note
    report.closed_at = utcnow() if status == CLOSED else None
    touch_report(report, actor.user_id, "status_changed", status=status, previous=before, note=note)
    db.session.commit()
    return report


def _locked(report: Report) -> Report:
    """The report read again after taking its write lock, as triage does (see triage._lock).

    The no-op UPDATE takes a row lock on PostgreSQL and the database's write lock on SQLite, so
    a status change and a triage run never interleave.
    """
    db.session.execute(
        update(Report)
        .where(Report.pk == report.pk)
        .values(status=Report.status)
        .execution_options(synchronize_session=False)
    )
    return db.session.scalar(
        select(Report).where(Report.pk == report.pk).execution_options(populate_existing=True)
    )


def _check_queue_state(report: Report, status: str) -> None:
    """A report reopened into the queue goes back as triaged once triaged, else as received."""
    if status not in QUEUE_STATES:
        return
    expected = "received" if report.queue_priority == AWAITING_TRIAGE else "triaged"
    if status != expected:
        raise InvalidTransition(
            f"This report {'has' if expected == 'triaged' else 'has not'} been triaged: "
            f"reopen it as {expected} (or in_progress).",
            errors={"status": [f"Reopen as {expected} or in_progress."]},
        )
