"""The reminder scan: actions (of NCs and of management reviews) coming due, due and overdue, NCs
waiting for their check, register entries due for review, and (server.reminders.renewals)
competence records to renew and controlled documents due for review.

Each state of a record is reminded of once: the scan inserts a Reminder row per (record, state,
due day) before anyone is told, with ON CONFLICT DO NOTHING, and tells people only of the rows
it inserted itself. Two scans at once, or one run again, tell nobody twice. Every query is
set-based: their number does not grow with the number of actions.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Date, String, and_, case, exists, func, literal, or_, select, union_all

from server.dbtypes import utcnow
from server.extensions import db
from server.jobs.services import request_jobs
from server.mail.smtp import mail_enabled
from server.nonconformities.models import ACTION_OPEN, VERIFYING, Action, Nonconformity
from server.orgs.models import Site
from server.orgs.zones import local_day
from server.reminders.bulk import insert_rows
from server.reminders.dues import Due
from server.reminders.messages import officer_message, owner_message, review_message
from server.reminders.models import (
    ACTION,
    CHECK_DUE,
    COMPETENCE,
    DOCUMENT,
    DUE_SOON,
    DUE_TODAY,
    ESCALATED,
    NONCONFORMITY,
    OVERDUE,
    REVIEW_DUE,
    REVIEW_OVERDUE,
    REVIEW_REQUESTED,
    RISK,
    Notification,
    Reminder,
)
from server.reminders.people import People
from server.reminders.renewals import renewal_told, renewals_due
from server.reviews.models import Review
from server.reviews.periods import Period, Scope, in_scope, widest, within
from server.risks.models import ACTIVE, Risk
from server.risks.records import reference

# An action is coming due this many days ahead; escalated to the officers this many days late.
SOON_DAYS = 3
ESCALATE_DAYS = 7
# The outbox job that mails one person the notifications of one scan.
MAIL_JOB = "mail_notifications"
# A register entry as a reminder names it: its activity and hazard, this long at most.
ENTRY_TITLE = 120


@dataclass(frozen=True)
class ScanResult:
    """What one scan did."""

    reminders: int
    notifications: int
    mails: int


def _zone_days(now: datetime):
    """Per time zone of any site: its day now, the last day that is soon, the escalation day."""
    rows = []
    for zone in db.session.scalars(select(Site.time_zone).distinct()):
        today = local_day(now, zone)
        rows.append(
            select(
                literal(zone, String).label("zone"),
                literal(today, Date).label("today"),
                literal(today + timedelta(days=SOON_DAYS), Date).label("soon_until"),
                literal(today - timedelta(days=ESCALATE_DAYS), Date).label("escalate_on"),
            )
        )
    if not rows:
        return None
    return (union_all(*rows) if len(rows) > 1 else rows[0]).cte("zone_day")


def _actions_due(days) -> list:
    """Open actions in a state not yet reminded of, with what their messages need."""
    state = case(
        (Action.due_on > days.c.today, DUE_SOON),
        (Action.due_on == days.c.today, DUE_TODAY),
        (Action.due_on > days.c.escalate_on, OVERDUE),
        else_=ESCALATED,
    )
    reminded = exists().where(
        Reminder.kind == ACTION,
        Reminder.record_pk == Action.pk,
        Reminder.state == state,
        Reminder.due_on == Action.due_on,
    )
    stmt = (
        select(
            Action.pk,
            Action.id,
            Action.title,
            Action.due_on,
            Action.owner_id,
            Action.organization_id,
            Action.site_id,
            state.label("state"),
            Nonconformity.id.label("nc_id"),
            # Where the action comes from: its NC, or the management review that decided it.
            func.coalesce(Nonconformity.title, Review.title).label("nc_title"),
            Site.name.label("site_name"),
            Site.time_zone,
        )
        .join(Site, Site.id == Action.site_id)
        .join(days, days.c.zone == Site.time_zone)
        .outerjoin(Nonconformity, Nonconformity.pk == Action.nonconformity_pk)
        .outerjoin(Review, Review.pk == Action.review_pk)
        .where(Action.status == ACTION_OPEN, Action.due_on <= days.c.soon_until, ~reminded)
        # The most overdue last: newest first, the list shows it on top.
        .order_by(Action.due_on.desc(), Action.pk)
    )
    return db.session.execute(stmt).all()


def _checks_due(now: datetime) -> list:
    """NCs whose effectiveness check is due and not yet reminded of since it became due."""
    reminded = exists().where(
        Reminder.kind == NONCONFORMITY,
        Reminder.record_pk == Nonconformity.pk,
        Reminder.state == CHECK_DUE,
        Reminder.created_at >= Nonconformity.verify_after,
    )
    stmt = (
        select(
            Nonconformity.pk,
            Nonconformity.id,
            Nonconformity.title,
            Nonconformity.verify_after,
            Nonconformity.organization_id,
            Nonconformity.site_id,
            Site.name.label("site_name"),
            Site.time_zone,
        )
        .join(Site, Site.id == Nonconformity.site_id)
        .where(Nonconformity.status == VERIFYING, Nonconformity.verify_after <= now, ~reminded)
    )
    return db.session.execute(stmt).all()


def _reviews_due(days) -> list:
    """Active register entries whose review was asked for, or whose review day has come at
    their site, in a state not yet reminded of (a request: not since it was made)."""
    requested = Risk.review_reason.is_not(None)
    state = case(
        (requested, REVIEW_REQUESTED),
        (Risk.review_on == days.c.today, REVIEW_DUE),
        else_=REVIEW_OVERDUE,
    )
    reminded = exists().where(
        Reminder.kind == RISK,
        Reminder.record_pk == Risk.pk,
        Reminder.state == state,
        or_(
            and_(requested, Reminder.created_at >= Risk.review_requested_at),
            and_(~requested, Reminder.due_on == Risk.review_on),
        ),
    )
    stmt = (
        select(
            Risk.pk,
            Risk.id,
            Risk.number,
            Risk.kind,
            Risk.activity,
            Risk.hazard,
            Risk.review_on,
            Risk.review_reason,
            Risk.review_requested_at,
            Risk.owner_id,
            Risk.organization_id,
            Risk.site_id,
            state.label("state"),
            Site.name.label("site_name"),
            Site.time_zone,
        )
        .join(Site, Site.id == Risk.site_id)
        .join(days, days.c.zone == Site.time_zone)
        .where(
            Risk.status == ACTIVE,
            or_(requested, Risk.review_on <= days.c.today),
            Risk.owner_id.is_not(None),
            ~reminded,
        )
        .order_by(Risk.review_on.desc(), Risk.pk)
    )
    return db.session.execute(stmt).all()


def _action_due(row, now: datetime) -> Due:
    return Due(
        ACTION,
        row.state,
        row.pk,
        row.id,
        row.title,
        nc_id=row.nc_id,
        nc_title=row.nc_title,
        due_on=row.due_on,
        days=(row.due_on - local_day(now, row.time_zone)).days,
        organization_id=row.organization_id,
        site_id=row.site_id,
        site_name=row.site_name,
        owner_id=row.owner_id,
    )


def _check_due(row, now: datetime) -> Due:
    due_on = local_day(row.verify_after, row.time_zone)
    return Due(
        NONCONFORMITY,
        CHECK_DUE,
        row.pk,
        row.id,
        row.title,
        nc_id=row.id,
        nc_title=row.title,
        due_on=due_on,
        days=(due_on - local_day(now, row.time_zone)).days,
        organization_id=row.organization_id,
        site_id=row.site_id,
        site_name=row.site_name,
    )


def _review_due(row, now: datetime) -> Due:
    today = local_day(now, row.time_zone)
    requested = row.state == REVIEW_REQUESTED and row.review_requested_at is not None
    due_on = local_day(row.review_requested_at, row.time_zone) if requested else row.review_on
    title = f"{row.activity}: {' '.join(row.hazard.split())}"
    return Due(
        RISK,
        row.state,
        row.pk,
        row.id,
        title if len(title) <= ENTRY_TITLE else title[: ENTRY_TITLE - 1].rstrip() + "…",
        nc_id=None,
        nc_title=reference(row),
        due_on=due_on,
        days=(due_on - today).days,
        organization_id=row.organization_id,
        site_id=row.site_id,
        site_name=row.site_name,
        owner_id=row.owner_id,
        reason=row.review_reason,
    )


def _dues(now: datetime) -> list[Due]:
    """Every record in a state to remind of now, not yet reminded of."""
    days = _zone_days(now)
    if days is None:
        return renewals_due(now)
    actions = [_action_due(row, now) for row in _actions_due(days)]
    checks = [_check_due(row, now) for row in _checks_due(now)]
    reviews = [_review_due(row, now) for row in _reviews_due(days)]
    return actions + checks + reviews + renewals_due(now)


def _claim(dues: list[Due], now: datetime) -> list[Due]:
    """Insert the dues' reminders; those another scan inserted first are left to it."""
    if not dues:
        return []
    rows = [
        {"kind": d.kind, "record_pk": d.pk, "state": d.state, "due_on": d.due_on, "created_at": now}
        for d in dues
    ]
    inserted = insert_rows(
        Reminder,
        rows,
        returning=(Reminder.kind, Reminder.record_pk, Reminder.state),
        conflict_columns=["kind", "record_pk", "state", "due_on"],
    )
    mine = set(inserted.all())
    return [due for due in dues if (due.kind, due.pk, due.state) in mine]


def _told(due: Due, people: People) -> list[tuple[list[int], str, str]]:
    """What is told of one due, and to whom: (user ids, title, body) per message."""
    if due.kind in (COMPETENCE, DOCUMENT):
        return renewal_told(due, people)
    message = _OWNER_MESSAGES.get(due.kind)
    owner = people.member(due.organization_id, due.owner_id) if message else None
    told = [([owner.user_id], *message(due.state, due, due.days))] if owner else []
    if due.state in (ESCALATED, CHECK_DUE):
        officers = [
            officer.user_id
            for officer in people.officers(due.organization_id, due.site_id)
            if officer.user_id != due.owner_id
        ]
        if officers:
            name = owner.name if owner else None
            told.append((officers, *officer_message(due.state, due, due.days, name)))
    return told


# What an owner is told, by the kind of record they own.
_OWNER_MESSAGES = {ACTION: owner_message, RISK: review_message}


def _messages(dues: list[Due], now: datetime) -> list[dict]:
    """One notification row per message, its user_id the list of the people it goes to."""
    people = People({due.organization_id for due in dues})
    return [
        {
            "user_id": user_ids,
            "organization_id": due.organization_id,
            "kind": f"{due.kind}_{due.state}",
            "title": title,
            "body": body,
            "record_type": due.kind,
            "record_id": due.id,
            "nonconformity_id": due.nc_id,
            "created_at": now,
        }
        for due in dues
        for user_ids, title, body in _told(due, people)
    ]


def _notify(messages: list[dict]) -> tuple[int, int]:
    """Insert a notification per message and person; ask for one mail per person when set up."""
    if not messages:
        return 0, 0
    if not mail_enabled():
        return insert_rows(Notification, messages, fan_out="user_id").rowcount, 0
    returning = (Notification.id, Notification.user_id, Notification.organization_id)
    made = insert_rows(Notification, messages, returning=returning, fan_out="user_id").all()
    inboxes: dict[tuple[int, int], list[int]] = {}
    for notification_id, user_id, organization_id in made:
        inboxes.setdefault((user_id, organization_id), []).append(notification_id)
    request_jobs(MAIL_JOB, [{"notification_ids": sorted(ids)} for ids in inboxes.values()])
    return len(made), len(inboxes)


def scan(now: datetime | None = None) -> ScanResult:
    """Tell people of every reminder due now, each once, and commit."""
    now = now or utcnow()
    try:
        dues = _claim(_dues(now), now)
        notifications, mails = _notify(_messages(dues, now) if dues else [])
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return ScanResult(len(dues), notifications, mails)


def reminders_sent(scope: Scope, period: Period) -> int:
    """How many reminders the scan sent in a review's period about records of its sites (each
    record and state once, however many people were told): a review's communications."""
    counts = [
        select(func.count())
        .select_from(Reminder)
        .join(model, model.pk == Reminder.record_pk)
        .where(
            Reminder.kind == kind,
            model.organization_id == scope.organization_id,
            in_scope(scope, model.site_id),
            widest(scope, [period], Reminder.created_at),
            within(scope, period, model.site_id, Reminder.created_at),
        )
        .scalar_subquery()
        for kind, model in ((ACTION, Action), (NONCONFORMITY, Nonconformity), (RISK, Risk))
    ]
    return db.session.scalar(select(counts[0] + counts[1] + counts[2]))
