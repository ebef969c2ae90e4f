"""What each reminder says: a title for the list and a sentence with the record's details."""

from datetime import date
from functools import lru_cache

from server.reminders.models import (
    CHECK_DUE,
    DUE_SOON,
    DUE_TODAY,
    ESCALATED,
    EXPIRED,
    OVERDUE,
    REVIEW_DUE,
    REVIEW_REQUESTED,
)
from server.risks.models import REVIEW_REASON_LABELS


@lru_cache(maxsize=1024)
def day(value: date) -> str:
    """A day as people read it: Mon 7 Dec 2026."""
    return f"{value:%a} {value.day} {value:%b %Y}"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _about(due) -> str:
    return f"“{due.title}” ({due.nc_title}, {due.site_name})"


def owner_message(state: str, due, days: int) -> tuple[str, str]:
    """Title and body for an action's owner; days is how far off the due day is (< 0: past)."""
    if state == DUE_SOON:
        title = "Action due tomorrow" if days == 1 else f"Action due in {_days(days)}"
        return title, f"{_about(due)} is due on {day(due.due_on)}."
    if state == DUE_TODAY:
        return "Action due today", f"{_about(due)} is due today, {day(due.due_on)}."
    if state == OVERDUE:
        return (
            f"Action overdue by {_days(-days)}",
            f"{_about(due)} was due on {day(due.due_on)}.",
        )
    return (
        f"Action overdue by {_days(-days)}: the site's officers are told",
        f"{_about(due)} was due on {day(due.due_on)}.",
    )


def officer_message(state: str, due, days: int, owner_name: str | None) -> tuple[str, str]:
    """Title and body for a site's officers: an action long overdue, or an NC's check due."""
    if state == CHECK_DUE:
        return (
            "Effectiveness check due",
            f"Every action of “{due.title}” ({due.site_name}) is done; its effectiveness "
            f"check is due since {day(due.due_on)}.",
        )
    assert state == ESCALATED
    who = f"{owner_name}'s action" if owner_name else "An action with no owner"
    return (
        f"Action overdue by {_days(-days)}",
        f"{who} {_about(due)} was due on {day(due.due_on)}.",
    )


def review_message(state: str, due, days: int) -> tuple[str, str]:
    """Title and body for a register entry's owner: its review asked for, due or overdue."""
    entry, about = due.nc_title, _about(due)
    if state == REVIEW_REQUESTED:
        why = REVIEW_REASON_LABELS.get(due.reason, "A review was asked for")
        return f"Review of {entry} asked for", f"{why}: {about}. Review its ratings and controls."
    if state == REVIEW_DUE:
        return (
            f"Review of {entry} due today",
            f"{about} is due for review today, {day(due.due_on)}.",
        )
    return (
        f"Review of {entry} overdue by {_days(-days)}",
        f"{about} was due for review on {day(due.due_on)}.",
    )


def _expires(due) -> str:
    """When a record expires, from today's point of view."""
    if due.days == 0:
        return "today"
    return "tomorrow" if due.days == 1 else f"in {_days(due.days)}"


def competence_message(due, mine: bool) -> tuple[str, str]:
    """Title and body for a competence record's holder (mine) or the officers: it expires soon,
    or has expired. due.nc_title is its module's label."""
    module, record = due.nc_title, f"“{due.title}”"
    whose = "Your" if mine else f"{due.holder_name}'s"
    if due.state == EXPIRED:
        title = f"{module} expired" if mine else f"{due.holder_name}'s {module} expired"
        return title, (
            f"{whose} {record} ({module}) expired on {day(due.due_on)}: record the renewed "
            "training once it is done."
        )
    assert due.state == DUE_SOON
    title = f"{module} expires {_expires(due)}"
    if not mine:
        title = f"{due.holder_name}'s {title}"
    return title, (
        f"{whose} {record} ({module}) expires on {day(due.due_on)}: plan the renewal before then."
    )


def document_message(due) -> tuple[str, str]:
    """Title and body for a controlled document's owner: its review due, or overdue."""
    document = f"“{due.title}” ({due.nc_title})"
    if due.state == REVIEW_DUE:
        when = "today" if due.days == 0 else f"since {day(due.due_on)}"
        return (
            f"Review of {due.nc_title} due",
            f"{document} is due for review {when}: approve a revised version, or confirm it "
            "with a new review date.",
        )
    return (
        f"Review of {due.nc_title} overdue by {_days(-due.days)}",
        f"{document} was due for review on {day(due.due_on)}.",
    )
