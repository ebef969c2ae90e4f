"""What triage hands the ground and the reports below it: its job and the reports' triage."""

from server.jobs.registry import JobKind, register_job
from server.reports.services import Section, add_section, ask_on_receipt
from server.triage.schemas import TriageCompactOut, TriageSummaryOut
from server.triage.summaries import compact_summaries, summaries

# The outbox job that triages a report, asked for as soon as the report is complete.
TRIAGE_REPORT = "triage_report"


def register() -> None:
    """Triage every complete report and show its triage on it; called once per app."""
    register_job(JobKind(TRIAGE_REPORT, "server.triage.jobs.triage_report", "report", "report_pk"))
    ask_on_receipt(TRIAGE_REPORT)
    add_section(
        Section("triage", summaries, TriageSummaryOut(), compact_summaries, TriageCompactOut())
    )
