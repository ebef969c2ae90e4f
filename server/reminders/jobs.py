"""Reminder jobs, as the rq worker runs them (inside an app context)."""

from server.reminders.mailing import mail_notifications as _mail
from server.reminders.scan import scan


def scan_reminders() -> int:
    """Tell people of the reminders now due (rq runs this again every REMINDER_INTERVAL)."""
    return scan().notifications


def mail_notifications(notification_ids: list[int]) -> int:
    """Mail one person these notifications, unless already mailed; safe to run twice."""
    return _mail(notification_ids)
