"""What audits hand the ground: their record types (and their answers' photos), the
"responses" sync list, the "audit" feed, the sweep that plans the programme's audits, and the
job that draws a signed-off audit's report once."""

from server.audits.models import Audit, AuditResponse
from server.audits.programme import plan_audits
from server.audits.reading import audit_changes
from server.audits.records import AUDIT_TYPE, RESPONSE_TYPE, audit_scope, response_scope
from server.audits.report_files import AuditReportFile  # noqa: F401  (the report file table)
from server.audits.schemas import AuditChangeOut
from server.audits.services import DRAW_REPORT
from server.audits.sync import sync_responses
from server.jobs.registry import JobKind, register_job, register_sweep_task
from server.people import models as people_models  # noqa: F401  (the competence table)
from server.records.registry import RecordType, register_record_type
from server.sync.registry import FeedSource, SyncList, register_feed_source, register_sync_list


def register() -> None:
    """Make audits known to the ground; the app factory calls this once per app."""
    register_record_type(RecordType(AUDIT_TYPE, Audit, audit_scope))
    register_record_type(RecordType(RESPONSE_TYPE, AuditResponse, response_scope))
    register_sync_list(
        SyncList(
            "responses",
            sync_responses,
            "Audit answers: {id, audit_id, question_id, result, notes, photos, answered_at}; "
            "for one question the latest answered_at counts",
        )
    )
    register_feed_source(FeedSource(AUDIT_TYPE, audit_changes, AuditChangeOut()))
    # Each planned audit is made ahead of its day; cheap when nothing is due.
    register_sweep_task("plan_audits", plan_audits)
    # A signed-off audit's report is drawn once, after the sign-off, and kept.
    register_job(
        JobKind(
            DRAW_REPORT,
            "server.audits.report_files.draw_audit_report",
            record_type=AUDIT_TYPE,
            record_key="audit_pk",
        )
    )
