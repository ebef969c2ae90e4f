"""Register entries due for review, told to their owner: once per entry and due day, whether the
review was asked for by a linked record, its day has come at the site, or that day has passed."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from server.extensions import db
from server.jobs.models import OutboxMessage
from server.reminders.scan import scan
from tests.factories import make_organization, make_site, make_user
from tests.reminders.conftest import notifications
from tests.risks.conftest import make_risk

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
TODAY = date(2026, 12, 7)


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def told(user) -> list[tuple[str, str]]:
    return [(n.kind, n.title) for n in notifications(user)]


def test_the_owner_is_told_on_the_review_day_and_once_it_is_overdue(plant):
    risk = make_risk(plant["north"], plant["owner"], review_on=day(2), number=14)
    for offset in (0, 1, 2, 2, 3, 4, 9):
        scan(NOW + timedelta(days=offset))
    assert told(plant["owner"]) == [
        ("risk_review_due", "Review of R-14 due today"),
        ("risk_review_overdue", "Review of R-14 overdue by 1 day"),
    ]
    first = notifications(plant["owner"])[0]
    assert (first.record_type, first.record_id) == ("risk", risk.id)
    assert first.body == (
        "“Loading lorries at bay 3: Falling from the loading edge” (R-14, "
        f"{plant['north'].name}) is due for review today, Wed 9 Dec 2026."
    )
    assert told(plant["north_officer"]) == told(plant["admin"]) == []


def test_an_entry_found_late_is_told_only_that_it_is_overdue(plant):
    make_risk(plant["north"], plant["owner"], review_on=day(-30), number=3)
    scan(NOW)
    scan(NOW + timedelta(hours=2))
    assert told(plant["owner"]) == [("risk_review_overdue", "Review of R-3 overdue by 30 days")]


def test_a_review_asked_for_is_told_at_once_and_once(plant):
    risk = make_risk(
        plant["north"],
        plant["owner"],
        number=7,
        review_reason="incident",
        review_note="Injury: driver hurt his back",
        review_requested_at=NOW - timedelta(minutes=5),
    )
    scan(NOW)
    scan(NOW + timedelta(days=1))
    assert told(plant["owner"]) == [("risk_review_requested", "Review of R-7 asked for")]
    assert notifications(plant["owner"])[0].body.startswith("An incident was linked to it: ")

    # Reviewed, then asked for again by a later record: told again.
    risk.review_reason = risk.review_requested_at = None
    db.session.commit()
    scan(NOW + timedelta(days=2))
    risk.review_reason, risk.review_requested_at = "major_nc", NOW + timedelta(days=3)
    db.session.commit()
    scan(NOW + timedelta(days=3, hours=1))
    scan(NOW + timedelta(days=3, hours=2))
    assert [kind for kind, _ in told(plant["owner"])] == ["risk_review_requested"] * 2


def test_a_reviewed_entry_is_reminded_of_its_next_day(plant):
    risk = make_risk(plant["north"], plant["owner"], review_on=day(0))
    scan(NOW)
    risk.review_on = day(90)
    db.session.commit()
    scan(NOW + timedelta(days=1))
    scan(NOW + timedelta(days=90))
    assert [kind for kind, _ in told(plant["owner"])] == ["risk_review_due"] * 2


def test_archived_entries_and_owners_who_left_are_not_told(plant):
    make_risk(plant["north"], plant["owner"], review_on=day(-1), status="archived")
    make_risk(plant["north"], None, review_on=day(-1))
    gone = make_user(plant["organization"])
    make_risk(plant["north"], gone, review_on=day(0))
    gone.active = False
    db.session.commit()
    make_risk(plant["north"], plant["owner"], review_on=day(1))
    assert scan(NOW).notifications == 0
    assert notifications() == []


def test_the_review_day_begins_at_midnight_where_the_site_is(plant):
    auckland = make_site(plant["organization"], "AKL")
    auckland.time_zone = "Pacific/Auckland"  # 13 hours ahead of UTC in December
    db.session.commit()
    make_risk(auckland, plant["owner"], review_on=day(1), number=21)
    make_risk(plant["north"], plant["owner"], review_on=day(1), number=22)
    scan(datetime(2026, 12, 7, 11, 30, tzinfo=UTC))  # 00:30 on the 8th in Auckland
    assert told(plant["owner"]) == [("risk_review_due", "Review of R-21 due today")]


def test_the_notification_names_the_entry_and_no_nc(client, auth, plant):
    risk = make_risk(plant["north"], plant["owner"], review_on=day(0))
    scan(NOW)
    assert auth.login(plant["owner"].email).status_code == 200
    [item] = client.get("/api/notifications").json["items"]
    assert item["kind"] == "risk_review_due"
    assert item["record"] == {"type": "risk", "id": str(risk.id), "nonconformity_id": None}


def test_the_owner_is_mailed_when_mail_is_set_up(make_app):
    app = make_app(MAIL_URL="smtp://127.0.0.1:1")
    with app.app_context():
        organization = make_organization()
        owner = make_user(organization)
        make_risk(make_site(organization), owner, review_on=day(-2))
        result = scan(NOW)
        assert (result.notifications, result.mails) == (1, 1)
        [message] = db.session.scalars(select(OutboxMessage))
        assert message.job == "mail_notifications"
        assert message.payload == {"notification_ids": [n.id for n in notifications(owner)]}
