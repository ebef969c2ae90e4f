"""What reminders hand the ground: the mail job, and the sweep that keeps the scan scheduled; and
what they add to a management review's inputs: the reminders sent in its period."""

from server.jobs.registry import JobKind, register_job, register_sweep_task
from server.reminders.scan import MAIL_JOB, reminders_sent
from server.reminders.schedule import ensure_scheduled
from server.reviews.inputs import add_count


def register() -> None:
    """Mail notifications from the outbox; keep the reminder scan on rq's schedule."""
    register_job(JobKind(MAIL_JOB, "server.reminders.jobs.mail_notifications"))
    register_sweep_task("schedule_reminder_scan", ensure_scheduled)
    add_count("communications", "reminders_sent", reminders_sent)
