"""The reminder scan: which states are reminded of, to whom, once each, by the site's day."""

import threading
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import event, func, select

from server.extensions import db
from server.jobs.models import OutboxMessage
from server.reminders.models import Reminder
from server.reminders.scan import scan
from tests.factories import make_organization, make_site, make_user
from tests.reminders.conftest import notifications
from tests.reminders.factories import make_action, make_nonconformity

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
TODAY = date(2026, 12, 7)


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def told(user) -> list[tuple[str, str]]:
    return [(n.kind, n.title) for n in notifications(user)]


def test_owner_is_told_three_days_ahead_on_the_day_and_once_overdue(plant):
    nc = make_nonconformity(plant["north"])
    action = make_action(nc, plant["owner"], due_on=day(3))
    for offset in (-1, 0, 1, 2, 3, 4, 10):
        scan(NOW + timedelta(days=offset))
    assert told(plant["owner"]) == [
        ("action_due_soon", "Action due in 3 days"),
        ("action_due_today", "Action due today"),
        ("action_overdue", "Action overdue by 1 day"),
        ("action_escalated", "Action overdue by 7 days: the site's officers are told"),
    ]
    first = notifications(plant["owner"])[0]
    assert (first.record_type, first.record_id, first.nonconformity_id) == (
        "action",
        action.id,
        nc.id,
    )
    assert action.title in first.body and "Thu 10 Dec 2026" in first.body


def test_an_action_found_late_gets_only_its_state_now(plant):
    nc = make_nonconformity(plant["north"])
    make_action(nc, plant["owner"], due_on=day(1))
    make_action(nc, plant["owner"], due_on=day(-2))
    make_action(nc, plant["owner"], due_on=day(4))
    make_action(nc, plant["owner"], due_on=day(-1), status="done")
    scan(NOW)
    assert told(plant["owner"]) == [
        ("action_due_soon", "Action due tomorrow"),
        ("action_overdue", "Action overdue by 2 days"),
    ], "the most overdue is made last, so that it shows first"


def test_seven_days_overdue_goes_to_the_officers_of_the_site(plant):
    everywhere = make_user(plant["organization"], role="officer")
    nc = make_nonconformity(plant["north"])
    make_action(nc, plant["owner"], due_on=day(-6))
    scan(NOW)
    assert [n.kind for n in notifications()] == ["action_overdue"]
    scan(NOW + timedelta(days=1))
    assert told(plant["north_officer"]) == [("action_escalated", "Action overdue by 7 days")]
    assert told(everywhere) == [("action_escalated", "Action overdue by 7 days")]
    assert told(plant["south_officer"]) == told(plant["admin"]) == []
    assert "Test User's action" in notifications(plant["north_officer"])[0].body
    assert [kind for kind, _ in told(plant["owner"])] == ["action_overdue", "action_escalated"]


def test_with_no_officer_at_the_site_its_admins_are_told(plant):
    east = make_site(plant["organization"], "EAST")
    nc = make_nonconformity(east)
    make_action(nc, None, due_on=day(-9))
    scan(NOW)
    assert told(plant["admin"]) == [("action_escalated", "Action overdue by 9 days")]
    assert "An action with no owner" in notifications(plant["admin"])[0].body


def test_an_owner_who_left_is_not_told(plant):
    plant["owner"].active = False
    db.session.commit()
    nc = make_nonconformity(plant["north"])
    make_action(nc, plant["owner"], due_on=day(0))
    scan(NOW)
    assert notifications() == []
    assert db.session.scalar(select(func.count()).select_from(Reminder)) == 1


def test_an_nc_waiting_for_its_check_is_told_to_the_site_officers(plant):
    due = make_nonconformity(plant["south"], "verifying", verify_after=NOW - timedelta(hours=1))
    make_nonconformity(plant["south"], "verifying", verify_after=NOW + timedelta(hours=1))
    make_nonconformity(plant["south"], "actions", verify_after=NOW - timedelta(days=3))
    scan(NOW)
    scan(NOW + timedelta(minutes=30))
    assert told(plant["south_officer"]) == [("nonconformity_check_due", "Effectiveness check due")]
    assert told(plant["north_officer"]) == []
    only = notifications(plant["south_officer"])[0]
    assert (only.record_type, only.record_id, only.nonconformity_id) == (
        "nonconformity",
        due.id,
        due.id,
    )


def test_an_nc_back_at_its_check_after_more_actions_is_reminded_again(plant):
    nc = make_nonconformity(plant["south"], "verifying", verify_after=NOW - timedelta(days=1))
    scan(NOW)
    nc.status, nc.checks = "actions", 1
    db.session.commit()
    scan(NOW + timedelta(days=1))
    nc.status, nc.verify_after = "verifying", NOW + timedelta(days=2)
    db.session.commit()
    scan(NOW + timedelta(days=2, hours=1))
    scan(NOW + timedelta(days=3))
    assert [kind for kind, _ in told(plant["south_officer"])] == ["nonconformity_check_due"] * 2


def test_an_action_given_a_new_due_day_is_reminded_of_it(plant):
    action = make_action(make_nonconformity(plant["north"]), plant["owner"], due_on=day(0))
    scan(NOW)
    action.due_on = day(2)
    db.session.commit()
    scan(NOW)
    assert [kind for kind, _ in told(plant["owner"])] == ["action_due_today", "action_due_soon"]


def test_days_begin_at_midnight_where_the_site_is(plant):
    auckland = make_site(plant["organization"], "AKL")
    auckland.time_zone = "Pacific/Auckland"  # 13 hours ahead of UTC in December
    los_angeles = make_site(plant["organization"], "LAX")
    los_angeles.time_zone = "America/Los_Angeles"  # 8 hours behind
    db.session.commit()
    late_evening = datetime(2026, 12, 7, 11, 30, tzinfo=UTC)  # 00:30 on the 8th in Auckland
    make_action(make_nonconformity(auckland), plant["owner"], due_on=day(1), title="AKL")
    make_action(make_nonconformity(los_angeles), plant["owner"], due_on=day(1), title="LAX")
    make_action(make_nonconformity(los_angeles), plant["owner"], due_on=day(-1), title="LAX late")
    scan(late_evening)
    kinds = {n.body.split("”")[0].lstrip("“"): n.kind for n in notifications(plant["owner"])}
    assert kinds == {
        "AKL": "action_due_today",
        "LAX": "action_due_soon",
        "LAX late": "action_overdue",
    }


def test_each_reminder_is_sent_once_however_often_the_scan_runs(plant):
    nc = make_nonconformity(plant["north"], "verifying", verify_after=NOW - timedelta(days=1))
    for offset in (3, 0, -2, -8):
        make_action(nc, plant["owner"], due_on=day(offset))
    first = scan(NOW)
    again = [scan(NOW + timedelta(minutes=m)) for m in (1, 15, 60)]
    assert (first.reminders, first.notifications) == (5, 6)
    assert all(run.reminders == run.notifications == 0 for run in again)
    assert len(notifications()) == 6


def test_two_scans_at_once_send_each_reminder_once(app, plant):
    nc = make_nonconformity(plant["north"], "verifying", verify_after=NOW - timedelta(days=1))
    for offset in (3, 0, -2, -8):
        make_action(nc, plant["owner"], due_on=day(offset))
    # Both scans have read what is due before either inserts its reminders.
    both_read = threading.Barrier(2, timeout=20)

    def wait_before_claiming(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("INSERT INTO REMINDER"):
            both_read.wait()

    results, errors = [], []

    def run():
        with app.app_context():
            try:
                results.append(scan(NOW))
            except Exception as error:  # pragma: no cover - shown by the assertion below
                errors.append(error)

    event.listen(db.engine, "before_cursor_execute", wait_before_claiming)
    try:
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        event.remove(db.engine, "before_cursor_execute", wait_before_claiming)
    assert errors == []
    assert sorted(r.notifications for r in results) == [0, 6]
    assert len(notifications()) == 6


def test_mail_is_asked_for_once_per_person_when_mail_is_set_up(make_app):
    app = make_app(MAIL_URL="smtp://127.0.0.1:1")
    with app.app_context():
        organization = make_organization()
        north = make_site(organization)
        owner, officer = make_user(organization), make_user(organization, "officer")
        nc = make_nonconformity(north)
        make_action(nc, owner, due_on=day(0))
        make_action(nc, owner, due_on=day(-8))
        result = scan(NOW)
        payloads = [m.payload for m in db.session.scalars(select(OutboxMessage))]
        assert result.mails == 2
        mine = [n.id for n in notifications(owner)]
        theirs = [n.id for n in notifications(officer)]
        assert sorted(p["notification_ids"] for p in payloads) == sorted([mine, theirs])
        assert {m.job for m in db.session.scalars(select(OutboxMessage))} == {"mail_notifications"}


def test_without_mail_nothing_is_asked_of_the_outbox(plant):
    make_action(make_nonconformity(plant["north"]), plant["owner"], due_on=day(0))
    assert scan(NOW).mails == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def count_statements(run) -> int:
    counted = []

    def count(*_args):
        counted.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(counted)


def test_the_scan_makes_as_many_queries_for_many_actions_as_for_few(plant):
    def add(count: int) -> None:
        nc = make_nonconformity(plant["north"], "verifying", verify_after=NOW)
        for number in range(count):
            make_action(nc, plant["owner"], due_on=day(number % 13 - 9), commit=False)
        db.session.commit()

    add(12)
    few = count_statements(lambda: scan(NOW))
    quiet = count_statements(lambda: scan(NOW))
    add(240)
    many = count_statements(lambda: scan(NOW))
    assert few == many
    # The sites' days, actions, NC checks and register reviews; the organizations' days,
    # competences and documents: each one query.
    assert quiet <= 7
    assert len(notifications(plant["owner"])) == 12 + 240
