"""What the reports feature hands the ground: its record type, sync list, feed and sweep."""

from server.jobs.registry import register_sweep_task
from server.media.attachments import on_photo_held
from server.records.registry import RecordType, register_record_type
from server.reports.models import Report
from server.reports.schemas import ReportChangeOut
from server.reports.services import (
    RECORD_TYPE,
    complete_overdue_reports,
    complete_reports_waiting_for,
    report_changes,
)
from server.reports.sync import sync_reports
from server.sync.registry import FeedSource, SyncList, register_feed_source, register_sync_list


def register() -> None:
    """Make reports known to the ground; the app factory calls this once per app."""
    register_record_type(RecordType(RECORD_TYPE, Report))
    register_sync_list(
        SyncList("reports", sync_reports, "Reports, each as POST /api/sync's report item")
    )
    register_feed_source(FeedSource(RECORD_TYPE, report_changes, ReportChangeOut()))
    on_photo_held(RECORD_TYPE, complete_reports_waiting_for)
    # A report whose completion was lost (a crash between its photo's commit and the
    # completion) would wait for ever: its photos are held, so the phone sends nothing more.
    register_sweep_task("complete_overdue_reports", complete_overdue_reports)
