"""The audit programme: schedules (a template audited at a site on an RFC 5545 recurrence),
the audits they plan ahead of their days, and which audits are overdue.

A schedule's audits are made AUDIT_PLAN_AHEAD_DAYS ahead (the worker's sweep runs plan_audits),
each with an id made from the schedule and its day, so that planning twice never makes two.
"""

import logging
import re
import uuid
from datetime import date, datetime, time, timedelta

from dateutil.rrule import rrule, rrulestr
from flask import current_app
from sqlalchemy import ColumnElement, and_, false, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from server.audits.models import (
    AUDIT_STATES,
    CANCELLED,
    IN_PROGRESS,
    PLANNED,
    Audit,
    AuditSchedule,
    AuditTemplate,
    AuditTemplateVersion,
)
from server.audits.records import AUDIT_TYPE, DESK_ROLES, SCHEDULE_TYPE, touch
from server.audits.templates import lock_template, newest_version
from server.auth.access import Actor
from server.dbtypes import utcnow
from server.events.models import Event
from server.exceptions import Conflict, InvalidInput, NotAllowed, NotFound
from server.extensions import db
from server.orgs.models import Site
from server.orgs.zones import local_day
from server.people.models import INTERNAL_AUDIT
from server.people.services import holds_competence, member
from server.records.identity import DUPLICATE, fingerprint, resend_status
from server.sites.services import visible_site_ids

log = logging.getLogger(__name__)

DEFAULT_PLAN_AHEAD_DAYS = 30
AUDITOR_ROLES = ("auditor", "officer", "admin")
OPEN_STATES = (PLANNED, IN_PROGRESS)
# planned_through of a schedule whose recurrence has ended: every audit it will have is made.
ENDED = date(9999, 12, 31)

# The parts of an RRULE that a programme takes (RFC 5545 3.3.10, days only).
RULE_PARTS = frozenset(
    {"FREQ", "UNTIL", "COUNT", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO"}
    | {"BYMONTH", "BYSETPOS", "WKST"}
)
TIME_PARTS = frozenset({"BYHOUR", "BYMINUTE", "BYSECOND"})
SUBDAILY = frozenset({"HOURLY", "MINUTELY", "SECONDLY"})
MAX_INTERVAL = 1000
# The values each numeric BY part may take; dateutil takes BYMONTH=13 and then never yields.
_RANGES = {"BYMONTH": (1, 12), "BYMONTHDAY": (1, 31), "BYYEARDAY": (1, 366), "BYWEEKNO": (1, 53)}
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_UTC_UNTIL = re.compile(r"(UNTIL=\d{8}(?:T\d{6})?)Z", re.IGNORECASE)
_UNTIL = re.compile(r"\d{8}(T\d{6}Z?)?", re.IGNORECASE)


# The recurrence


def _rule_error(message: str) -> InvalidInput:
    return InvalidInput(f"The recurrence cannot be used: {message}", errors={"rrule": [message]})


def parse_rule(text: str, starts_on: date) -> rrule:
    """The recurrence of a schedule, starting on starts_on; InvalidInput naming rrule when it
    cannot be read, recurs more often than daily, carries its own DTSTART or never occurs."""
    value = text.strip()
    if value[:6].upper() == "RRULE:":
        value = value[6:]
    if "DTSTART" in value.upper():
        raise _rule_error("Leave DTSTART out: starts_on gives the first day.")
    if any(mark in value for mark in ":\r\n"):
        raise _rule_error("Give one RRULE value only, e.g. FREQ=MONTHLY;INTERVAL=3.")
    _check_parts(_parts(value))
    try:
        # The programme plans days: an UNTIL in UTC is taken as that day at the site.
        rule = rrulestr(_UTC_UNTIL.sub(r"\1", value), dtstart=datetime.combine(starts_on, time()))
    except (ValueError, TypeError, OverflowError, KeyError) as error:
        raise _rule_error(f"Not a valid RFC 5545 recurrence ({error}).") from None
    if not isinstance(rule, rrule):
        raise _rule_error("Give one RRULE value only, e.g. FREQ=MONTHLY;INTERVAL=3.")
    if rule.after(rule._dtstart, inc=True) is None:
        raise _rule_error("Never occurs: no audit would ever be planned.")
    return rule


def _parts(value: str) -> dict[str, str]:
    """NAME=VALUE parts of a rule, by upper-case name."""
    parts = {}
    for part in value.split(";"):
        name, sign, setting = part.partition("=")
        if not sign or not name.strip() or not setting.strip():
            raise _rule_error(f"Not a NAME=VALUE part: {part!r} (e.g. FREQ=MONTHLY;INTERVAL=3).")
        name = name.strip().upper()
        if name in parts:
            raise _rule_error(f"{name} is given twice.")
        parts[name] = setting.strip()
    return parts


def _check_parts(parts: dict[str, str]) -> None:
    """Refuse what the programme does not plan: times of day, more than daily, both ends."""
    freq = parts.get("FREQ", "").upper()
    if freq in SUBDAILY:
        raise _rule_error(f"Recurs {freq.lower()}: audits recur at most daily (FREQ=DAILY).")
    if not freq:
        raise _rule_error("FREQ is missing (e.g. FREQ=MONTHLY;INTERVAL=3).")
    if TIME_PARTS & parts.keys():
        raise _rule_error("Audits are planned by the day: leave out BYHOUR, BYMINUTE, BYSECOND.")
    unknown = sorted(parts.keys() - RULE_PARTS)
    if unknown:
        raise _rule_error(f"Unknown part {unknown[0]}.")
    if "COUNT" in parts and "UNTIL" in parts:
        raise _rule_error("Give COUNT or UNTIL, not both (RFC 5545).")
    if "UNTIL" in parts and not _UNTIL.fullmatch(parts["UNTIL"]):
        raise _rule_error("UNTIL is a day (20271231) or a time (20271231T000000Z).")
    interval = parts.get("INTERVAL", "1")
    if not interval.isdigit() or not 1 <= int(interval) <= MAX_INTERVAL:
        raise _rule_error(f"INTERVAL must be a whole number from 1 to {MAX_INTERVAL}.")
    for name, (low, high) in _RANGES.items():
        for number in _numbers(parts, name):
            if not low <= abs(number) <= high:
                raise _rule_error(f"{name} takes {low} to {high} (or -{high} to -{low}).")
    _check_month_days(parts)


def _numbers(parts: dict[str, str], name: str) -> list[int]:
    """The numbers of a BY part such as BYMONTH=1,4,7."""
    try:
        return [int(item) for item in parts[name].split(",")] if name in parts else []
    except ValueError:
        raise _rule_error(f"{name} takes a comma-separated list of numbers.") from None


def _check_month_days(parts: dict[str, str]) -> None:
    """Refuse days that no month named has (BYMONTH=2;BYMONTHDAY=30): dateutil would search
    until the year 9999 for them."""
    months, days = _numbers(parts, "BYMONTH"), _numbers(parts, "BYMONTHDAY")
    if months and days and not any(abs(d) <= _MONTH_DAYS[m - 1] for m in months for d in days):
        raise _rule_error("Never occurs: none of the months named has those days.")


def occurrences(schedule: AuditSchedule, first: date, last: date) -> list[date]:
    """The schedule's days from first to last, both included."""
    if first > last:
        return []
    rule = parse_rule(schedule.rrule, schedule.starts_on)
    found = rule.between(datetime.combine(first, time()), datetime.combine(last, time()), inc=True)
    return [moment.date() for moment in found]


def next_due_on(schedule: AuditSchedule, today: date) -> date | None:
    """The schedule's next day on or after today; None once it has ended or is inactive."""
    if not schedule.active:
        return None
    rule = parse_rule(schedule.rrule, schedule.starts_on)
    found = rule.after(datetime.combine(today, time()), inc=True)
    return found.date() if found else None


# Who may audit


def auditor_problem(
    organization_id: int, user_id: int, site_id: int | None, on: date
) -> str | None:
    """Why this person may not audit at the site on the day, or None when they may."""
    membership = member(organization_id, user_id)
    if membership is None:
        return "Is not a member of this organization."
    if membership.role not in AUDITOR_ROLES:
        return f"Is a {membership.role}: an auditor, officer or admin audits."
    if site_id is not None and membership.sites and site_id not in {s.id for s in membership.sites}:
        return "Is not allowed at this site."
    if not holds_competence(organization_id, user_id, INTERNAL_AUDIT, on):
        return (
            f"{membership.user.name} holds no valid {INTERNAL_AUDIT} competence record on "
            f"{on.isoformat()}: record their internal audit training first."
        )
    return None


def _impartiality_problem(organization_id: int, auditor_id: int, auditee_id: int | None):
    """Why the auditee cannot be, or None (ISO 19011: auditors do not audit their own work)."""
    if auditee_id is None:
        return None
    if auditee_id == auditor_id:
        return "Is the auditor: an auditor does not audit their own work (ISO 19011 impartiality)."
    if member(organization_id, auditee_id) is None:
        return "Is not a member of this organization."
    return None


# Schedules


def schedule_scope(actor: Actor, stmt):
    """Schedules the actor may open: officers and admins those of their sites; others none."""
    if actor.role not in DESK_ROLES:
        return stmt.where(false())
    return actor.scope(stmt, AuditSchedule)


def visible_schedule(actor: Actor, schedule_id: uuid.UUID) -> AuditSchedule:
    """One schedule the actor may open, or NotFound."""
    found = db.session.scalar(
        schedule_scope(actor, select(AuditSchedule)).where(AuditSchedule.id == schedule_id)
    )
    if found is None:
        raise NotFound(f"No audit schedule with id {schedule_id}.")
    return found


def list_schedules(actor: Actor, site_id: int | None = None) -> list[AuditSchedule]:
    """The schedules of the actor's sites (officers, admins), active first, by start."""
    if actor.role not in DESK_ROLES:
        raise NotAllowed("The audit programme is for officers and admins.")
    stmt = schedule_scope(actor, select(AuditSchedule))
    if site_id is not None:
        stmt = stmt.where(AuditSchedule.site_id == site_id)
    order = (AuditSchedule.active.desc(), AuditSchedule.starts_on, AuditSchedule.pk)
    return list(db.session.scalars(stmt.order_by(*order)))


def create_schedule(actor: Actor, data: dict) -> tuple[AuditSchedule, bool]:
    """Add a line to the programme (POST /api/audit-schedules) and plan its first audits;
    (the schedule, True when new). Commits.

    Idempotent on the client's id: the same id and content again gives the same schedule back;
    the same id with other content is a Conflict.
    """
    if actor.role not in DESK_ROLES:
        raise NotAllowed("Officers and admins plan the audit programme.")
    digest = fingerprint(data)
    try:
        return _create(actor, data, digest)
    except IntegrityError:
        # Another request saved this id at this very moment.
        db.session.rollback()
        return _create(actor, data, digest)


def _create(actor: Actor, data: dict, digest: str) -> tuple[AuditSchedule, bool]:
    known = db.session.scalar(
        select(AuditSchedule).where(
            AuditSchedule.organization_id == actor.organization_id,
            AuditSchedule.id == data["id"],
        )
    )
    if known is not None:
        return _resent(actor, known, digest), False
    template = _checked(actor, data)
    schedule = AuditSchedule(
        id=data["id"],
        organization_id=actor.organization_id,
        site_id=data["site_id"],
        template_pk=template.pk,
        auditor_id=data["auditor_id"],
        auditee_id=data.get("auditee_id"),
        rrule=data["rrule"].strip(),
        starts_on=data["starts_on"],
        active=True,
        created_by_id=actor.user_id,
    )
    db.session.add(schedule)
    db.session.flush()
    touch(
        schedule,
        SCHEDULE_TYPE,
        actor.user_id,
        "created",
        content_hash=digest,
        template_id=str(template.id),
        site_id=schedule.site_id,
        auditor_id=schedule.auditor_id,
        auditee_id=schedule.auditee_id,
        rrule=schedule.rrule,
        starts_on=schedule.starts_on.isoformat(),
    )
    plan_schedule(schedule, site_today(schedule.site), plan_ahead_days())
    db.session.commit()
    return schedule, True


def _resent(actor: Actor, known: AuditSchedule, digest: str) -> AuditSchedule:
    """The schedule already saved under this id, when this is a resend of it; else Conflict."""
    created = db.session.scalar(
        select(Event.data).where(
            Event.organization_id == known.organization_id,
            Event.entity_type == SCHEDULE_TYPE,
            Event.entity_id == str(known.id),
            Event.action == "created",
        )
    )
    mine = db.session.scalar(
        schedule_scope(actor, select(AuditSchedule.pk)).where(AuditSchedule.pk == known.pk)
    )
    sent_before = (created or {}).get("content_hash", "")
    if mine is not None and resend_status(sent_before, digest) == DUPLICATE:
        return known
    raise Conflict(
        "An audit schedule with this id already exists with other content.",
        errors={"id": ["Taken by another audit schedule."]},
    )


def _checked(actor: Actor, data: dict) -> AuditTemplate:
    """The schedule's template, once every rule holds; else InvalidInput naming each field."""
    errors: dict[str, list[str]] = {}
    site_id = data["site_id"]
    if site_id not in visible_site_ids(actor):
        errors["site_id"] = ["Unknown site, or not one of yours."]
        site_id = None
    template = _usable_template(actor.organization_id, data["template_id"])
    if template is None:
        errors["template_id"] = ["Unknown template, or an archived one."]
    try:
        parse_rule(data["rrule"], data["starts_on"])
    except InvalidInput as problem:
        errors.update(problem.errors)
    auditor = auditor_problem(actor.organization_id, data["auditor_id"], site_id, data["starts_on"])
    if auditor:
        errors["auditor_id"] = [auditor]
    auditee = _impartiality_problem(
        actor.organization_id, data["auditor_id"], data.get("auditee_id")
    )
    if auditee:
        errors["auditee_id"] = [auditee]
    if errors:
        raise InvalidInput("This audit schedule cannot be saved as it is.", errors=errors)
    return template


def _usable_template(organization_id: int, template_id: uuid.UUID) -> AuditTemplate | None:
    """The organization's template with this id that audits may run: not archived, with its
    newest version saved."""
    return db.session.scalar(
        select(AuditTemplate)
        .join(
            AuditTemplateVersion,
            and_(
                AuditTemplateVersion.template_pk == AuditTemplate.pk,
                AuditTemplateVersion.version == AuditTemplate.version,
            ),
        )
        .where(
            AuditTemplate.organization_id == organization_id,
            AuditTemplate.id == template_id,
            AuditTemplate.archived.is_(False),
        )
    )


def update_schedule(actor: Actor, schedule_id: uuid.UUID, changes: dict) -> AuditSchedule:
    """Deactivate a schedule (for good: its audits still to start are cancelled) or hand it
    to another auditor (its audits still to start go with it). Commits."""
    found = visible_schedule(actor, schedule_id)
    schedule = _locked_schedule(found.pk)
    today = site_today(schedule.site)
    if changes.get("active") is True and not schedule.active:
        raise Conflict(
            "A deactivated schedule stays so: add a new one to resume.",
            errors={"active": ["This schedule was deactivated."]},
        )
    auditor_id = changes.get("auditor_id")
    if auditor_id is not None and auditor_id != schedule.auditor_id:
        _change_auditor(actor, schedule, auditor_id, today)
    if changes.get("active") is False and schedule.active:
        _deactivate(actor, schedule, today)
    db.session.commit()
    return schedule


def _change_auditor(actor: Actor, schedule: AuditSchedule, auditor_id: int, today: date) -> None:
    """Give the schedule and its audits still to start to another auditor, checked as at
    creation, on the first day they would audit."""
    if not schedule.active:
        raise Conflict(
            "This schedule was deactivated.", errors={"auditor_id": ["The schedule is inactive."]}
        )
    on = max(today, schedule.starts_on)
    errors = {}
    problem = auditor_problem(schedule.organization_id, auditor_id, schedule.site_id, on)
    if problem:
        errors["auditor_id"] = [problem]
    impartiality = _impartiality_problem(schedule.organization_id, auditor_id, schedule.auditee_id)
    if impartiality:
        errors["auditee_id"] = [impartiality]
    if errors:
        raise InvalidInput("This auditor cannot take the schedule.", errors=errors)
    before, schedule.auditor_id = schedule.auditor_id, auditor_id
    touch(
        schedule,
        SCHEDULE_TYPE,
        actor.user_id,
        "auditor_changed",
        auditor_id=auditor_id,
        previous_auditor_id=before,
    )
    for audit in _to_start(schedule, today):
        audit.auditor_id = auditor_id
        touch(
            audit,
            AUDIT_TYPE,
            actor.user_id,
            "auditor_changed",
            auditor_id=auditor_id,
            previous_auditor_id=before,
        )
        _check_competence_on_day(audit)


def _deactivate(actor: Actor, schedule: AuditSchedule, today: date) -> None:
    """Stop the schedule: no more audits are planned, and those not started are cancelled."""
    schedule.active = False
    touch(schedule, SCHEDULE_TYPE, actor.user_id, "deactivated")
    for audit in _to_start(schedule, today):
        AUDIT_STATES.check(audit.status, CANCELLED)
        audit.status = CANCELLED
        touch(audit, AUDIT_TYPE, actor.user_id, "cancelled", reason="The schedule was deactivated.")


def _to_start(schedule: AuditSchedule, today: date) -> list[Audit]:
    """The schedule's planned audits not started yet, from today on."""
    return list(
        db.session.scalars(
            select(Audit)
            .where(
                Audit.schedule_pk == schedule.pk,
                Audit.status == PLANNED,
                Audit.due_on >= today,
            )
            .order_by(Audit.due_on)
        )
    )


def _locked_schedule(schedule_pk: int) -> AuditSchedule:
    """The schedule read again after taking its write lock, so that two plans or changes of one
    schedule never interleave (a row lock on PostgreSQL, the write lock on SQLite)."""
    db.session.execute(
        update(AuditSchedule)
        .where(AuditSchedule.pk == schedule_pk)
        .values(active=AuditSchedule.active)
        .execution_options(synchronize_session=False)
    )
    return db.session.scalar(
        select(AuditSchedule)
        .where(AuditSchedule.pk == schedule_pk)
        .execution_options(populate_existing=True)
    )


# Planning ahead


def plan_ahead_days() -> int:
    """AUDIT_PLAN_AHEAD_DAYS: how many days ahead of its day an audit is planned."""
    return max(0, int(current_app.config.get("AUDIT_PLAN_AHEAD_DAYS", DEFAULT_PLAN_AHEAD_DAYS)))


def site_today(site: Site, now: datetime | None = None) -> date:
    """Today at the site, in its own time zone."""
    return local_day(now or utcnow(), site.time_zone)


def plan_audits(today: date | None = None) -> int:
    """Make the audits every active schedule has within AUDIT_PLAN_AHEAD_DAYS of today at its
    site (today: that day at every site); how many were made. The worker's sweep runs this.

    One query finds the schedules not yet planned far enough; each is planned and committed on
    its own, so that one failing or planned at the same moment elsewhere stops no other.
    """
    ahead = plan_ahead_days()
    made = 0
    for schedule_pk, local_today in _behind(today, ahead):
        try:
            schedule = _locked_schedule(schedule_pk)
            if schedule.active:
                made += plan_schedule(schedule, local_today, ahead)
            db.session.commit()
        except IntegrityError:
            # Planned by another process at this very moment: what it made stands.
            db.session.rollback()
        except InvalidInput:
            # A rule saved before today's rules were: it stays for the desk to see, unplanned.
            db.session.rollback()
            log.warning("Audit schedule %s has a recurrence that cannot be planned", schedule_pk)
    return made


def _behind(today: date | None, ahead: int) -> list[tuple[int, date]]:
    """(pk, today at its site) of the active schedules planned through less than today + ahead."""
    now = utcnow()
    zones = db.session.scalars(
        select(Site.time_zone)
        .join(AuditSchedule, AuditSchedule.site_id == Site.id)
        .where(AuditSchedule.active.is_(True))
        .distinct()
    ).all()
    days = {zone: today or local_day(now, zone) for zone in zones}
    if not days:
        return []
    behind = or_(
        *(
            and_(
                Site.time_zone == zone,
                or_(
                    AuditSchedule.planned_through.is_(None),
                    AuditSchedule.planned_through < day + timedelta(days=ahead),
                ),
            )
            for zone, day in days.items()
        )
    )
    rows = db.session.execute(
        select(AuditSchedule.pk, Site.time_zone)
        .join(Site, AuditSchedule.site_id == Site.id)
        .where(AuditSchedule.active.is_(True), behind)
        .order_by(AuditSchedule.pk)
    )
    return [(pk, days[zone]) for pk, zone in rows]


def plan_schedule(schedule: AuditSchedule, today: date, ahead: int) -> int:
    """Make the schedule's audits from where it was planned through (a new one: from today or
    its start) to today + ahead, and move planned_through on; how many were made. No commit."""
    last = today + timedelta(days=ahead)
    if schedule.planned_through is not None and schedule.planned_through >= last:
        return 0
    if schedule.planned_through is not None:
        first = schedule.planned_through + timedelta(days=1)
    else:
        first = max(today, schedule.starts_on)
    days = occurrences(schedule, first, last)
    made = db.session.scalars(
        select(Audit.due_on).where(Audit.schedule_pk == schedule.pk, Audit.due_on.in_(days))
    ).all()
    version = _newest_version(schedule.template_pk)
    new = [day for day in days if day not in set(made)]
    for day in new:
        _plan_one(schedule, version, day)
    rule = parse_rule(schedule.rrule, schedule.starts_on)
    schedule.planned_through = last if rule.after(datetime.combine(last, time())) else ENDED
    return len(new)


def _newest_version(template_pk: int) -> AuditTemplateVersion:
    """The version a planned audit runs, read under the template's lock (as edits take it)."""
    return newest_version(lock_template(template_pk))


def planned_audit_id(schedule_id: uuid.UUID, day: date) -> uuid.UUID:
    """The id of a schedule's audit of one day: the same however often it is planned."""
    return uuid.uuid5(schedule_id, day.isoformat())


def _plan_one(schedule: AuditSchedule, version: AuditTemplateVersion, day: date) -> Audit:
    """Add the schedule's planned audit of one day, with its events."""
    now = utcnow()
    audit = Audit(
        id=planned_audit_id(schedule.id, day),
        organization_id=schedule.organization_id,
        site_id=schedule.site_id,
        template_version_pk=version.pk,
        schedule_pk=schedule.pk,
        auditor_id=schedule.auditor_id,
        auditee_id=schedule.auditee_id,
        due_on=day,
        status=PLANNED,
        created_at=now,
        changed_at=now,
    )
    db.session.add(audit)
    db.session.flush()
    touch(audit, AUDIT_TYPE, None, "planned", due_on=day.isoformat(), schedule_id=str(schedule.id))
    _check_competence_on_day(audit)
    return audit


def _check_competence_on_day(audit: Audit) -> None:
    """Log auditor_not_competent when the auditor's internal_audit competence will have lapsed
    on the audit's day: the audit stays planned, and the desk shows the warning."""
    if audit.auditor_id is None or holds_competence(
        audit.organization_id, audit.auditor_id, INTERNAL_AUDIT, audit.due_on
    ):
        return
    touch(
        audit,
        AUDIT_TYPE,
        None,
        "auditor_not_competent",
        auditor_id=audit.auditor_id,
        due_on=audit.due_on.isoformat(),
        module=INTERNAL_AUDIT,
    )


# Overdue


def overdue_clause(now: datetime) -> ColumnElement[bool]:
    """True for a planned or started audit whose day has passed at its site (for a query on
    Audit): each site's today is worked out here, per time zone, as neither database can."""
    zones = db.session.scalars(select(Site.time_zone).distinct()).all()
    passed = (
        and_(
            Audit.site_id.in_(select(Site.id).where(Site.time_zone == zone)),
            Audit.due_on < local_day(now, zone),
        )
        for zone in zones
    )
    return and_(Audit.status.in_(OPEN_STATES), Audit.due_on.is_not(None), or_(false(), *passed))


def is_overdue(audit: Audit, site_zone_today: date) -> bool:
    """The same as overdue_clause() for one audit in hand, given today at its site."""
    return (
        audit.status in OPEN_STATES and audit.due_on is not None and audit.due_on < site_zone_today
    )


# The schedule as the API shows it


def _planned_through(schedule: AuditSchedule) -> date | None:
    """The day up to which audits are made; for an ended schedule, its last audit's day."""
    if schedule.planned_through != ENDED:
        return schedule.planned_through
    return db.session.scalar(select(func.max(Audit.due_on)).where(Audit.schedule_pk == schedule.pk))


def schedule_view(schedule: AuditSchedule, now: datetime | None = None) -> dict:
    """A schedule with its site, template, people and the next day it is due."""
    template, auditee = schedule.template, schedule.auditee
    return {
        "id": schedule.id,
        "site_id": schedule.site_id,
        "site_name": schedule.site.name,
        "template": {"id": template.id, "name": template.name, "standard": template.standard},
        "auditor": {"id": schedule.auditor.id, "name": schedule.auditor.name},
        "auditee": {"id": auditee.id, "name": auditee.name} if auditee else None,
        "rrule": schedule.rrule,
        "starts_on": schedule.starts_on,
        "active": schedule.active,
        "next_due_on": next_due_on(schedule, site_today(schedule.site, now)),
        "planned_through": _planned_through(schedule),
        "ended": schedule.planned_through == ENDED,
        "created_at": schedule.created_at,
        "change_id": schedule.change_id,
    }
