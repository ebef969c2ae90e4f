"""What reminders hand the ground: the mail job, and the sweep that keeps the scan scheduled."""

from server.jobs.registry import JobKind, register_job, register_sweep_task
from server.reminders.scan import MAIL_JOB
from server.reminders.schedule import ensure_scheduled


def register() -> None:
    """Mail notifications from the outbox; keep the reminder scan on rq's schedule."""
    register_job(JobKind(MAIL_JOB, "server.reminders.jobs.mail_notifications"))
    register_sweep_task("schedule_reminder_scan", ensure_scheduled)
