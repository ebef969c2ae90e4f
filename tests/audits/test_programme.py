"""The audit programme: schedules and their rules (the auditor's competence, impartiality, the
recurrence), planning audits ahead exactly once, overdue audits, and the API."""

import threading
import uuid
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import event, func, select

from server.audits import programme
from server.audits.models import (
    CANCELLED,
    IN_PROGRESS,
    PLANNED,
    SUBMITTED,
    Audit,
    AuditSchedule,
    AuditTemplate,
    AuditTemplateVersion,
)
from server.auth.access import actor_for
from server.auth.models import Membership
from server.events.models import Event
from server.exceptions import Conflict, InvalidInput, NotAllowed, NotFound
from server.extensions import db
from server.orgs.zones import local_day
from tests.factories import make_organization, make_site
from tests.people.helpers import grant, make_member

TODAY = datetime.now(UTC).date()
# A day far enough ahead that creating a schedule plans nothing of it by the real clock.
FUTURE = date(2031, 1, 1)


def make_template(organization, name="Plant audit", archived=False) -> AuditTemplate:
    """A template of one question, at version 2 (so that the newest version is the one run)."""
    template = AuditTemplate(
        id=uuid.uuid4(),
        organization_id=organization.id,
        name=name,
        standard="ISO 45001:2018",
        version=2,
        archived=archived,
    )
    db.session.add(template)
    db.session.flush()
    for version in (1, 2):
        question = {"id": str(uuid.uuid4()), "ref": "4.1", "text": "Issues known?", "weight": 1}
        db.session.add(
            AuditTemplateVersion(
                template_pk=template.pk,
                version=version,
                name=name,
                standard=template.standard,
                sections=[{"ref": "4", "title": "Context", "questions": [question]}],
                question_count=1,
            )
        )
    db.session.commit()
    return template


@pytest.fixture
def app(make_app):
    """The app planning a year ahead, so that one plan shows a recurrence's days."""
    app = make_app(AUDIT_PLAN_AHEAD_DAYS=365)
    with app.app_context():
        yield app


@pytest.fixture
def plant(app):
    """An organization with two sites, a qualified auditor and people of every role, and
    another organization with its own schedule."""
    organization = make_organization()
    north = make_site(organization, "NORTH", "North Plant")
    south = make_site(organization, "SOUTH", "South Yard")
    plant = SimpleNamespace(
        organization=organization,
        north=north,
        south=south,
        auditor=make_member(organization, role="auditor"),
        second_auditor=make_member(organization, role="auditor"),
        untrained=make_member(organization, role="auditor"),
        south_auditor=make_member(organization, role="auditor", sites=[south]),
        worker=make_member(organization),
        officer=make_member(organization, role="officer"),
        south_officer=make_member(organization, role="officer", sites=[south]),
        admin=make_member(organization, role="admin"),
        template=make_template(organization),
    )
    for person in (plant.auditor, plant.second_auditor, plant.south_auditor, plant.worker):
        grant(person, organization)
    elsewhere = make_organization()
    plant.elsewhere = SimpleNamespace(
        organization=elsewhere,
        site=make_site(elsewhere, "FAR", "Far Away"),
        officer=make_member(elsewhere, role="officer"),
        auditor=make_member(elsewhere, role="auditor"),
        template=make_template(elsewhere),
    )
    grant(plant.elsewhere.auditor, elsewhere)
    return plant


def actor(user):
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    return actor_for(membership)


def schedule_data(plant, **fields) -> dict:
    """A valid schedule, as ScheduleIn loads it: quarterly at North from FUTURE."""
    return {
        "id": uuid.uuid4(),
        "template_id": plant.template.id,
        "site_id": plant.north.id,
        "auditor_id": plant.auditor.id,
        "auditee_id": plant.worker.id,
        "rrule": "FREQ=MONTHLY;INTERVAL=3",
        "starts_on": FUTURE,
        **fields,
    }


def create(plant, user=None, **fields) -> AuditSchedule:
    schedule, created = programme.create_schedule(
        actor(user or plant.officer), schedule_data(plant, **fields)
    )
    assert created
    return schedule


def refused(plant, user=None, **fields) -> dict:
    """The field errors of a schedule that is refused."""
    with pytest.raises(InvalidInput) as refusal:
        programme.create_schedule(actor(user or plant.officer), schedule_data(plant, **fields))
    db.session.rollback()
    assert db.session.scalar(select(func.count(AuditSchedule.pk))) == 0
    return refusal.value.errors


def due_days(schedule) -> list[date]:
    return list(
        db.session.scalars(
            select(Audit.due_on).where(Audit.schedule_pk == schedule.pk).order_by(Audit.due_on)
        )
    )


def events(entity_type: str, entity_id, action: str | None = None) -> list[Event]:
    stmt = select(Event).where(Event.entity_type == entity_type, Event.entity_id == str(entity_id))
    if action:
        stmt = stmt.where(Event.action == action)
    return list(db.session.scalars(stmt.order_by(Event.id)))


# The auditor's competence and impartiality


def test_an_auditor_without_an_internal_audit_record_is_refused(plant):
    errors = refused(plant, auditor_id=plant.untrained.id)
    assert list(errors) == ["auditor_id"]
    assert "holds no valid internal_audit competence record" in errors["auditor_id"][0]
    # Another module is no substitute.
    grant(plant.untrained, plant.organization, module="root_cause_analysis")
    assert list(refused(plant, auditor_id=plant.untrained.id)) == ["auditor_id"]


def test_an_expired_competence_is_refused(plant):
    grant(plant.untrained, plant.organization, date(2025, 1, 1), FUTURE - timedelta(days=1))
    errors = refused(plant, auditor_id=plant.untrained.id)
    assert "holds no valid internal_audit competence record" in errors["auditor_id"][0]
    # Valid up to and including its expiry day.
    grant(plant.untrained, plant.organization, date(2025, 1, 1), FUTURE)
    assert create(plant, auditor_id=plant.untrained.id).auditor_id == plant.untrained.id


def test_a_competence_completed_after_the_start_is_refused(plant):
    grant(plant.untrained, plant.organization, FUTURE + timedelta(days=1))
    errors = refused(plant, auditor_id=plant.untrained.id)
    assert "holds no valid internal_audit competence record" in errors["auditor_id"][0]
    # Completed on the first day is in time.
    grant(plant.untrained, plant.organization, FUTURE)
    assert create(plant, auditor_id=plant.untrained.id)


def test_a_competence_of_another_organization_does_not_count(plant):
    grant(plant.untrained, plant.elsewhere.organization)
    assert list(refused(plant, auditor_id=plant.untrained.id)) == ["auditor_id"]


def test_the_auditor_is_not_the_auditee(plant):
    errors = refused(plant, auditor_id=plant.auditor.id, auditee_id=plant.auditor.id)
    assert list(errors) == ["auditee_id"]
    assert "ISO 19011" in errors["auditee_id"][0]


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("worker", "Is a worker"),
        ("south_auditor", "not allowed at this site"),
        ("elsewhere_auditor", "not a member"),
    ],
)
def test_the_auditor_audits_and_may_work_at_the_site(plant, who, reason):
    people = {"elsewhere_auditor": plant.elsewhere.auditor}
    user = people.get(who) or getattr(plant, who)
    errors = refused(plant, auditor_id=user.id, auditee_id=None)
    assert list(errors) == ["auditor_id"]
    assert reason in errors["auditor_id"][0]


def test_officers_and_admins_may_audit_when_trained(plant):
    assert list(refused(plant, auditor_id=plant.admin.id)) == ["auditor_id"]
    grant(plant.admin, plant.organization)
    assert create(plant, auditor_id=plant.admin.id, auditee_id=None).auditee_id is None


def test_an_auditee_of_another_organization_is_refused(plant):
    assert list(refused(plant, auditee_id=plant.elsewhere.officer.id)) == ["auditee_id"]


def test_every_field_in_error_is_named_at_once(plant):
    errors = refused(
        plant,
        site_id=plant.elsewhere.site.id,
        template_id=plant.elsewhere.template.id,
        rrule="FREQ=HOURLY",
        auditor_id=plant.untrained.id,
    )
    assert sorted(errors) == ["auditor_id", "rrule", "site_id", "template_id"]


# Template and site


def test_the_template_is_the_organizations_and_not_archived(plant):
    assert list(refused(plant, template_id=plant.elsewhere.template.id)) == ["template_id"]
    assert list(refused(plant, template_id=uuid.uuid4())) == ["template_id"]
    archived = make_template(plant.organization, "Old audit", archived=True)
    assert list(refused(plant, template_id=archived.id)) == ["template_id"]


def test_the_site_is_the_organizations_and_one_of_the_officers(plant):
    assert list(refused(plant, site_id=plant.elsewhere.site.id)) == ["site_id"]
    assert list(refused(plant, site_id=2**31 - 1)) == ["site_id"]
    assert list(refused(plant, user=plant.south_officer)) == ["site_id"]
    south = create(plant, plant.south_officer, site_id=plant.south.id)
    assert south.site_id == plant.south.id


@pytest.mark.parametrize("role", ["worker", "auditor"])
def test_only_officers_and_admins_plan(plant, role):
    with pytest.raises(NotAllowed):
        programme.create_schedule(actor(getattr(plant, role)), schedule_data(plant))
    with pytest.raises(NotAllowed):
        programme.list_schedules(actor(getattr(plant, role)))


# The recurrence


@pytest.mark.parametrize(
    "rule",
    [
        "",
        "   ",
        "FREQ=HOURLY",
        "FREQ=MINUTELY;INTERVAL=30",
        "FREQ=SECONDLY",
        "FREQ=DAILY;BYHOUR=9,15",
        "FREQ=DAILY;BYMINUTE=0",
        "DTSTART:20310101T000000\nRRULE:FREQ=DAILY",
        "FREQ=DAILY;DTSTART=20310101",
        "RRULE:FREQ=DAILY\nEXDATE:20310102T000000",
        "FREQ=FORTNIGHTLY",
        "INTERVAL=2",
        "FREQ=DAILY;INTERVAL=0",
        "FREQ=DAILY;INTERVAL=-1",
        "FREQ=DAILY;INTERVAL=two",
        "FREQ=DAILY;COUNT=0",
        "FREQ=DAILY;COUNT=-1",
        "FREQ=DAILY;UNTIL=20301231",
        "FREQ=DAILY;COUNT=3;UNTIL=20320101",
        "FREQ=DAILY;FREQ=WEEKLY",
        "FREQ=DAILY;;",
        "FREQ=DAILY;BYEASTER=0",
        "FREQ=DAILY;X-NAME=1",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=WEEKLY;WKST=XX",
        "FREQ=DAILY;BYMONTH=13",
        "FREQ=DAILY;BYMONTH=0",
        "FREQ=MONTHLY;BYMONTHDAY=32",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=YEARLY;BYMONTH=4,6;BYMONTHDAY=31",
        "FREQ=YEARLY;BYWEEKNO=54",
        "FREQ=DAILY;UNTIL=2031",
        "FREQ=MONTHLY;BYSETPOS=400",
    ],
)
def test_a_recurrence_that_cannot_plan_audits_is_refused(plant, rule):
    errors = refused(plant, rrule=rule)
    assert list(errors) == ["rrule"], errors


@pytest.mark.parametrize(
    "rule",
    [
        "RRULE:FREQ=MONTHLY;INTERVAL=3",
        "freq=monthly;interval=3",
        "FREQ=DAILY",
        "FREQ=WEEKLY;UNTIL=20310301T000000Z",
        "FREQ=WEEKLY;UNTIL=20310301",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
        "FREQ=MONTHLY;BYDAY=-1FR",
        "FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO",
    ],
)
def test_recurrences_that_plan_audits_are_taken(plant, rule):
    schedule = create(plant, rrule=rule)
    assert schedule.rrule == rule


def test_a_quarterly_rule_plans_the_right_days(plant):
    schedule = create(plant, starts_on=date(2031, 1, 15))
    assert due_days(schedule) == []
    assert programme.plan_audits(date(2031, 1, 1)) == 4
    assert due_days(schedule) == [date(2031, 1, 15), date(2031, 4, 15), date(2031, 7, 15)] + [
        date(2031, 10, 15)
    ]
    audit = db.session.scalar(select(Audit).where(Audit.due_on == date(2031, 4, 15)))
    assert audit.status == PLANNED
    assert audit.id == programme.planned_audit_id(schedule.id, date(2031, 4, 15))
    assert (audit.auditor_id, audit.auditee_id) == (plant.auditor.id, plant.worker.id)
    assert (audit.site_id, audit.organization_id) == (plant.north.id, plant.organization.id)
    assert audit.template_version.version == 2
    assert audit.template_version.template_pk == plant.template.pk
    assert schedule.planned_through == date(2032, 1, 1)
    planned = events("audit", audit.id)
    assert [(e.action, e.actor_id, e.data["due_on"]) for e in planned] == [
        ("planned", None, "2031-04-15")
    ]
    assert audit.change_id == planned[-1].id


def test_a_quarterly_rule_from_the_31st_skips_months_without_one(plant):
    """RFC 5545: a day a month does not have is no occurrence (April has no 31st)."""
    schedule = create(plant, starts_on=date(2031, 1, 31))
    programme.plan_audits(date(2031, 1, 1))
    assert due_days(schedule) == [date(2031, 1, 31), date(2031, 7, 31), date(2031, 10, 31)]


def test_byday_rules(plant):
    weekly = create(plant, rrule="FREQ=WEEKLY;BYDAY=MO,TH", starts_on=date(2031, 1, 1))
    last_friday = create(plant, rrule="FREQ=MONTHLY;BYDAY=-1FR", starts_on=date(2031, 1, 1))
    first_monday = create(
        plant, rrule="FREQ=YEARLY;BYMONTH=3;BYDAY=1MO", starts_on=date(2031, 1, 1)
    )
    with_ahead(14)
    programme.plan_audits(date(2031, 1, 1))
    # 2031-01-01 is a Wednesday.
    assert due_days(weekly) == [date(2031, 1, 2), date(2031, 1, 6), date(2031, 1, 9)] + [
        date(2031, 1, 13)
    ]
    assert due_days(last_friday) == []
    with_ahead(70)
    programme.plan_audits(date(2031, 1, 1))
    assert due_days(last_friday) == [date(2031, 1, 31), date(2031, 2, 28)]
    assert due_days(first_monday) == [date(2031, 3, 3)]


def test_a_count_ends_the_schedule(plant):
    schedule = create(plant, rrule="FREQ=WEEKLY;COUNT=3", starts_on=date(2031, 1, 6))
    assert programme.plan_audits(date(2031, 1, 1)) == 3
    assert due_days(schedule) == [date(2031, 1, 6), date(2031, 1, 13), date(2031, 1, 20)]
    assert schedule.planned_through == programme.ENDED
    view = programme.schedule_view(schedule, datetime(2031, 6, 1, tzinfo=UTC))
    assert (view["ended"], view["next_due_on"]) == (True, None)
    assert view["planned_through"] == date(2031, 1, 20)
    # Ended: the sweep no longer looks at it.
    assert programme.plan_audits(date(2031, 6, 1)) == 0
    assert len(due_days(schedule)) == 3


def test_an_until_ends_the_schedule(plant):
    schedule = create(plant, rrule="FREQ=MONTHLY;UNTIL=20310401T000000Z", starts_on=FUTURE)
    programme.plan_audits(date(2031, 1, 1))
    assert due_days(schedule) == [date(2031, m, 1) for m in (1, 2, 3, 4)]
    assert schedule.planned_through == programme.ENDED


def test_a_new_schedule_plans_its_first_audits_at_once(plant, app):
    with_ahead(30)
    schedule = create(plant, rrule="FREQ=WEEKLY", starts_on=TODAY - timedelta(days=70))
    today = local_day(datetime.now(UTC), plant.north.time_zone)
    days = due_days(schedule)
    # From today on (not the weeks before it was added), up to 30 days ahead.
    assert days and days[0] >= today and days[-1] <= today + timedelta(days=30)
    assert len(days) in (4, 5)
    assert all((day - schedule.starts_on).days % 7 == 0 for day in days)
    assert schedule.planned_through == today + timedelta(days=30)
    (created,) = events("audit_schedule", schedule.id)
    assert (created.action, created.actor_id) == ("created", plant.officer.id)
    assert schedule.change_id == created.id


def test_a_schedule_starting_later_plans_nothing_yet(plant):
    with_ahead(30)
    schedule = create(plant, rrule="FREQ=DAILY", starts_on=TODAY + timedelta(days=60))
    assert due_days(schedule) == []
    assert programme.schedule_view(schedule)["next_due_on"] == TODAY + timedelta(days=60)


def with_ahead(days: int) -> None:
    from flask import current_app

    current_app.config["AUDIT_PLAN_AHEAD_DAYS"] = days


# Planning exactly once


def test_planning_twice_makes_nothing_more(plant):
    schedule = create(plant, rrule="FREQ=WEEKLY", starts_on=FUTURE)
    assert programme.plan_audits(FUTURE) == 53
    assert programme.plan_audits(FUTURE) == 0
    assert programme.plan_audits(FUTURE + timedelta(days=7)) == 1
    days = due_days(schedule)
    assert len(days) == len(set(days)) == 54
    assert len(events("audit", programme.planned_audit_id(schedule.id, FUTURE))) == 1


def test_planning_when_nothing_is_due_asks_the_database_little(plant):
    for _ in range(5):
        create(plant, rrule="FREQ=WEEKLY", starts_on=FUTURE)
    programme.plan_audits(FUTURE)
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert programme.plan_audits(FUTURE) == 0
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    # The zones of active schedules, then the schedules behind: none.
    assert len(statements) == 2


def test_planning_from_two_sessions_at_once_makes_each_audit_once(plant, app):
    schedules = [create(plant, rrule="FREQ=DAILY", starts_on=FUTURE) for _ in range(3)]
    with_ahead(30)
    db.session.commit()
    start = threading.Barrier(2)
    made, failures = [], []

    def plan():
        try:
            with app.app_context():
                start.wait()
                made.append(programme.plan_audits(FUTURE))
                db.session.remove()
        except Exception as error:  # noqa: BLE001  (shown by the assertion below)
            failures.append(error)

    threads = [threading.Thread(target=plan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sum(made) == 3 * 31
    for schedule in schedules:
        days = due_days(schedule)
        assert len(days) == len(set(days)) == 31
    planned = db.session.scalar(
        select(func.count(Event.id)).where(Event.entity_type == "audit", Event.action == "planned")
    )
    assert planned == 3 * 31


def test_a_clash_drops_one_schedules_plan_and_the_sweep_carries_on(plant):
    """An audit row that clashes with a planned one (a unique constraint): that schedule's
    plan is dropped for this sweep, and the other schedules are planned."""
    schedule = create(plant, rrule="FREQ=DAILY;COUNT=2", starts_on=FUTURE)
    version = db.session.scalar(
        select(AuditTemplateVersion).where(AuditTemplateVersion.template_pk == plant.template.pk)
    )
    other = create(plant, rrule="FREQ=DAILY;COUNT=2", starts_on=FUTURE)
    # A row of the same id made for another day: inserting the planned one clashes.
    db.session.add(
        Audit(
            id=programme.planned_audit_id(schedule.id, FUTURE),
            organization_id=plant.organization.id,
            site_id=plant.north.id,
            template_version_pk=version.pk,
            due_on=None,
            status=PLANNED,
        )
    )
    db.session.commit()
    assert programme.plan_audits(FUTURE) == 2
    assert due_days(schedule) == []
    assert due_days(other) == [FUTURE, FUTURE + timedelta(days=1)]


def test_a_lapsing_competence_still_plans_the_audit_and_says_so(plant):
    grant(plant.untrained, plant.organization, date(2030, 1, 1), date(2031, 1, 20))
    schedule = create(plant, rrule="FREQ=WEEKLY", starts_on=FUTURE, auditor_id=plant.untrained.id)
    with_ahead(28)
    programme.plan_audits(FUTURE)
    assert due_days(schedule) == [FUTURE + timedelta(days=7 * n) for n in range(5)]
    warned = [
        day
        for day in due_days(schedule)
        if events("audit", programme.planned_audit_id(schedule.id, day), "auditor_not_competent")
    ]
    assert warned == [date(2031, 1, 22), date(2031, 1, 29)]
    (warning,) = events(
        "audit", programme.planned_audit_id(schedule.id, date(2031, 1, 22)), "auditor_not_competent"
    )
    assert warning.data == {
        "auditor_id": plant.untrained.id,
        "due_on": "2031-01-22",
        "module": "internal_audit",
    }


def test_the_sweep_plans_by_the_day_at_each_site(plant):
    """plan_audits() with no day uses today in each site's own zone."""
    far_east = make_site(plant.organization, "EAST", "Kiritimati Depot")
    far_east.time_zone = "Pacific/Kiritimati"
    far_west = make_site(plant.organization, "WEST", "Pago Pago Depot")
    far_west.time_zone = "Pacific/Pago_Pago"
    db.session.commit()
    with_ahead(0)
    east = create(plant, site_id=far_east.id, rrule="FREQ=DAILY", starts_on=date(2025, 1, 1))
    west = create(plant, site_id=far_west.id, rrule="FREQ=DAILY", starts_on=date(2025, 1, 1))
    now = datetime.now(UTC)
    assert due_days(east) == [local_day(now, "Pacific/Kiritimati")]
    assert due_days(west) == [local_day(now, "Pacific/Pago_Pago")]
    # 25 hours apart: never the same day.
    assert due_days(east) != due_days(west)
    assert programme.plan_audits() == 0


# Overdue


def test_overdue_audits_by_the_day_at_their_site(plant):
    east = make_site(plant.organization, "EAST", "Kiritimati Depot")
    east.time_zone = "Pacific/Kiritimati"
    db.session.commit()
    version = db.session.scalar(select(AuditTemplateVersion))
    # 11:00 UTC on 10 March: 11 March in Kiritimati (UTC+14), 10 March in London.
    now = datetime(2031, 3, 10, 11, 0, tzinfo=UTC)

    def audit(site, due_on, status=PLANNED) -> Audit:
        made = Audit(
            id=uuid.uuid4(),
            organization_id=plant.organization.id,
            site_id=site.id,
            template_version_pk=version.pk,
            due_on=due_on,
            status=status,
        )
        db.session.add(made)
        return made

    late = [
        audit(plant.north, date(2031, 3, 9)),
        audit(east, date(2031, 3, 10)),
        audit(plant.south, date(2031, 3, 1), IN_PROGRESS),
    ]
    in_time = [
        audit(plant.north, date(2031, 3, 10)),
        audit(east, date(2031, 3, 11)),
        audit(plant.north, date(2031, 3, 1), SUBMITTED),
        audit(plant.north, date(2031, 3, 1), CANCELLED),
        audit(plant.north, None, IN_PROGRESS),
    ]
    db.session.commit()
    overdue = set(db.session.scalars(select(Audit.id).where(programme.overdue_clause(now))))
    assert overdue == {a.id for a in late}
    for made in late + in_time:
        today = local_day(now, made.site.time_zone)
        assert programme.is_overdue(made, today) is (made in late)


# Changing a schedule


def test_deactivating_cancels_the_audits_not_started_and_plans_no_more(plant):
    with_ahead(30)
    schedule = create(plant, rrule="FREQ=WEEKLY", starts_on=TODAY)
    audits = list(
        db.session.scalars(
            select(Audit).where(Audit.schedule_pk == schedule.pk).order_by(Audit.due_on)
        )
    )
    started = audits[0]
    started.status = IN_PROGRESS
    db.session.commit()
    programme.update_schedule(actor(plant.officer), schedule.id, {"active": False})
    db.session.expire_all()
    statuses = {a.id: a.status for a in db.session.scalars(select(Audit))}
    assert statuses[started.id] == IN_PROGRESS
    assert [statuses[a.id] for a in audits[1:]] == [CANCELLED] * (len(audits) - 1)
    assert [e.action for e in events("audit_schedule", schedule.id)] == ["created", "deactivated"]
    assert events("audit", audits[1].id)[-1].data["reason"] == "The schedule was deactivated."
    assert programme.plan_audits(TODAY + timedelta(days=60)) == 0
    assert programme.schedule_view(schedule)["next_due_on"] is None
    with pytest.raises(Conflict):
        programme.update_schedule(actor(plant.officer), schedule.id, {"active": True})


def test_a_new_auditor_is_checked_and_takes_the_audits_not_started(plant):
    with_ahead(30)
    schedule = create(plant, rrule="FREQ=WEEKLY", starts_on=TODAY)
    audits = list(
        db.session.scalars(
            select(Audit).where(Audit.schedule_pk == schedule.pk).order_by(Audit.due_on)
        )
    )
    audits[0].status = IN_PROGRESS
    db.session.commit()
    officer = actor(plant.officer)
    with pytest.raises(InvalidInput) as untrained:
        programme.update_schedule(officer, schedule.id, {"auditor_id": plant.untrained.id})
    assert list(untrained.value.errors) == ["auditor_id"]
    with pytest.raises(InvalidInput) as auditee:
        programme.update_schedule(officer, schedule.id, {"auditor_id": plant.worker.id})
    assert "auditor_id" in auditee.value.errors
    db.session.rollback()

    programme.update_schedule(officer, schedule.id, {"auditor_id": plant.second_auditor.id})
    db.session.expire_all()
    assert schedule.auditor_id == plant.second_auditor.id
    owners = [db.session.get(Audit, a.pk).auditor_id for a in audits]
    assert owners == [plant.auditor.id] + [plant.second_auditor.id] * (len(audits) - 1)
    assert events("audit", audits[1].id)[-1].action == "auditor_changed"
    # Audits planned from now on are the new auditor's.
    programme.plan_audits(TODAY + timedelta(days=30))
    newest = db.session.scalar(
        select(Audit).where(Audit.schedule_pk == schedule.pk).order_by(Audit.due_on.desc())
    )
    assert newest.auditor_id == plant.second_auditor.id


def test_a_new_auditor_who_is_the_auditee_is_refused(plant):
    grant(plant.admin, plant.organization)
    schedule = create(plant, auditee_id=plant.admin.id)
    with pytest.raises(InvalidInput) as refusal:
        programme.update_schedule(actor(plant.officer), schedule.id, {"auditor_id": plant.admin.id})
    assert list(refusal.value.errors) == ["auditee_id"]


# Identity and visibility


def test_the_same_schedule_sent_again_is_the_one_saved(plant):
    officer = actor(plant.officer)
    data = schedule_data(plant)
    first, created = programme.create_schedule(officer, data)
    again, created_again = programme.create_schedule(officer, dict(data))
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    # Still the same after its auditor changed: the content sent is what counts.
    programme.update_schedule(officer, first.id, {"auditor_id": plant.second_auditor.id})
    assert programme.create_schedule(officer, dict(data))[0].pk == first.pk
    with pytest.raises(Conflict):
        programme.create_schedule(officer, {**data, "rrule": "FREQ=MONTHLY"})
    # The id is the organization's own: another organization may use it for its schedule.
    theirs, made = programme.create_schedule(
        actor(plant.elsewhere.officer),
        {
            **data,
            "template_id": plant.elsewhere.template.id,
            "site_id": plant.elsewhere.site.id,
            "auditor_id": plant.elsewhere.auditor.id,
            "auditee_id": None,
        },
    )
    assert made and theirs.pk != first.pk


def test_a_schedule_of_another_organization_or_site_is_invisible(plant):
    ours = create(plant)
    theirs, _ = programme.create_schedule(
        actor(plant.elsewhere.officer),
        schedule_data(
            plant,
            template_id=plant.elsewhere.template.id,
            site_id=plant.elsewhere.site.id,
            auditor_id=plant.elsewhere.auditor.id,
            auditee_id=None,
        ),
    )
    officer = actor(plant.officer)
    assert [s.pk for s in programme.list_schedules(officer)] == [ours.pk]
    with pytest.raises(NotFound):
        programme.visible_schedule(officer, theirs.id)
    with pytest.raises(NotFound):
        programme.update_schedule(officer, theirs.id, {"active": False})
    south = actor(plant.south_officer)
    assert programme.list_schedules(south) == []
    with pytest.raises(NotFound):
        programme.visible_schedule(south, ours.id)
    assert [s.pk for s in programme.list_schedules(officer, plant.north.id)] == [ours.pk]
    assert programme.list_schedules(officer, plant.south.id) == []


# The API


@pytest.fixture
def as_(client, auth):
    def sign_in(user):
        assert auth.login(user.email).status_code == 200
        return client

    return sign_in


def body(plant, **fields) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "template_id": str(plant.template.id),
        "site_id": plant.north.id,
        "auditor_id": plant.auditor.id,
        "auditee_id": plant.worker.id,
        "rrule": "FREQ=MONTHLY;INTERVAL=3",
        "starts_on": TODAY.isoformat(),
        **fields,
    }


def test_the_api_adds_shows_and_lists_schedules(plant, as_):
    with_ahead(300)
    client = as_(plant.officer)
    sent = body(plant)
    answer = client.post("/api/audit-schedules", json=sent)
    assert answer.status_code == 201, answer.json
    schedule = answer.json
    assert schedule["id"] == sent["id"]
    assert (schedule["site_id"], schedule["site_name"]) == (plant.north.id, "North Plant")
    assert schedule["template"] == {
        "id": str(plant.template.id),
        "name": "Plant audit",
        "standard": "ISO 45001:2018",
    }
    assert schedule["auditor"] == {"id": plant.auditor.id, "name": "Test User"}
    assert schedule["auditee"]["id"] == plant.worker.id
    assert schedule["rrule"] == "FREQ=MONTHLY;INTERVAL=3"
    assert schedule["starts_on"] == TODAY.isoformat()
    assert schedule["active"] is True
    local_today = local_day(datetime.now(UTC), plant.north.time_zone)
    assert schedule["next_due_on"] == local_today.isoformat()
    assert schedule["planned_through"] == (local_today + timedelta(days=300)).isoformat()
    assert len(due_days(db.session.scalar(select(AuditSchedule)))) == 4

    again = client.post("/api/audit-schedules", json=sent)
    assert again.status_code == 200 and again.json["id"] == sent["id"]
    other = client.post("/api/audit-schedules", json={**sent, "rrule": "FREQ=MONTHLY"})
    assert other.status_code == 409
    assert client.get(f"/api/audit-schedules/{sent['id']}").json == schedule
    listed = client.get("/api/audit-schedules")
    assert [s["id"] for s in listed.json] == [sent["id"]]
    assert client.get("/api/audit-schedules", query_string={"site_id": plant.south.id}).json == []


def test_the_api_refuses_a_schedule_naming_the_field(plant, as_):
    client = as_(plant.admin)
    untrained = client.post("/api/audit-schedules", json=body(plant, auditor_id=plant.untrained.id))
    assert untrained.status_code == 422
    assert untrained.headers["Content-Type"] == "application/problem+json"
    assert (
        "holds no valid internal_audit competence record"
        in untrained.json["errors"]["auditor_id"][0]
    )
    self_audit = client.post("/api/audit-schedules", json=body(plant, auditee_id=plant.auditor.id))
    assert self_audit.status_code == 422 and list(self_audit.json["errors"]) == ["auditee_id"]
    hourly = client.post("/api/audit-schedules", json=body(plant, rrule="FREQ=HOURLY"))
    assert hourly.status_code == 422 and list(hourly.json["errors"]) == ["rrule"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"id": "not-a-uuid"}, "id"),
        ({"template_id": None}, "template_id"),
        ({"site_id": 2**63}, "site_id"),
        ({"site_id": 2**31}, "site_id"),
        ({"site_id": "1"}, "site_id"),
        ({"auditor_id": 2**63}, "auditor_id"),
        ({"auditor_id": -(2**63) - 1}, "auditor_id"),
        ({"auditee_id": 2**63}, "auditee_id"),
        ({"auditee_id": 2**31 - 1}, "auditee_id"),
        ({"rrule": "FREQ=DAILY\x00"}, "rrule"),
        ({"rrule": "FREQ=DAILY;COUNT=\ud83d"}, "rrule"),
        ({"rrule": "FREQ=DAILY;" + "BYMONTH=1;" * 60}, "rrule"),
        ({"rrule": 12}, "rrule"),
        ({"starts_on": "0001-01-01"}, "starts_on"),
        ({"starts_on": "9999-12-31"}, "starts_on"),
        ({"starts_on": "2031-02-29"}, "starts_on"),
        ({"starts_on": None}, "starts_on"),
    ],
)
def test_bad_input_names_its_field(plant, as_, fields, field):
    answer = as_(plant.officer).post("/api/audit-schedules", json=body(plant, **fields))
    assert answer.status_code == 422, answer.json
    assert list(answer.json["errors"]) == [field]
    assert db.session.scalar(select(AuditSchedule.pk)) is None


def test_the_api_is_for_officers_and_admins_of_the_organization(plant, as_):
    schedule = as_(plant.officer).post("/api/audit-schedules", json=body(plant)).json
    for role in ("worker", "auditor"):
        client = as_(getattr(plant, role))
        assert client.get("/api/audit-schedules").status_code == 403
        assert client.post("/api/audit-schedules", json=body(plant)).status_code == 403
        assert client.get(f"/api/audit-schedules/{schedule['id']}").status_code == 403
    stranger = as_(plant.elsewhere.officer)
    assert stranger.get(f"/api/audit-schedules/{schedule['id']}").status_code == 404
    assert (
        stranger.patch(f"/api/audit-schedules/{schedule['id']}", json={"active": False}).status_code
        == 404
    )
    assert stranger.get("/api/audit-schedules").json == []
    assert stranger.get(f"/api/audit-schedules/{uuid.uuid4()}").status_code == 404
    assert (
        stranger.get("/api/audit-schedules", query_string={"site_id": str(2**63)}).status_code
        == 422
    )


def test_the_api_deactivates_and_hands_over(plant, as_):
    client = as_(plant.officer)
    schedule = client.post("/api/audit-schedules", json=body(plant)).json
    url = f"/api/audit-schedules/{schedule['id']}"
    assert client.patch(url, json={}).status_code == 422
    assert client.patch(url, json={"auditor_id": 2**63}).status_code == 422
    refused = client.patch(url, json={"auditor_id": plant.untrained.id})
    assert refused.status_code == 422 and list(refused.json["errors"]) == ["auditor_id"]
    handed = client.patch(url, json={"auditor_id": plant.second_auditor.id})
    assert handed.status_code == 200 and handed.json["auditor"]["id"] == plant.second_auditor.id
    stopped = client.patch(url, json={"active": False})
    assert stopped.status_code == 200
    assert (stopped.json["active"], stopped.json["next_due_on"]) == (False, None)
    assert client.patch(url, json={"active": True}).status_code == 409
    statuses = set(db.session.scalars(select(Audit.status)))
    assert statuses == {CANCELLED}
