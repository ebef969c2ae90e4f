"""Competence records to renew, told to their holder and the officers, and controlled documents
due for review, told to their owner (or the admins): once per record and state, through the
same scan, inbox and mail as every reminder."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, select

from server.auth.models import Membership
from server.documents.models import Document, DocumentRevision
from server.extensions import db
from server.orgs.zones import local_day
from server.reminders.models import Reminder
from server.reminders.scan import scan
from tests.factories import make_organization, make_user
from tests.jobs.conftest import wait_until
from tests.people.helpers import grant
from tests.reminders.conftest import calm_zone, notifications

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
TODAY = date(2026, 12, 7)


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def told(user) -> list[tuple[str, str]]:
    return [(n.kind, n.title) for n in notifications(user)]


@pytest.fixture
def crew(app):
    """An organization without sites: a holder, two officers (one limited to no site), an
    admin; and a person of another organization."""
    organization = make_organization()
    return {
        "organization": organization,
        "holder": make_user(organization),
        "officer": make_user(organization, role="officer"),
        "admin": make_user(organization, role="admin"),
    }


def renamed(user, name: str):
    user.name = name
    db.session.commit()
    return user


def make_document(organization, owner, review_on: date | None, status: str = "approved", **kw):
    """A document with one revision in status, to be reviewed on review_on."""
    document = Document(
        id=uuid.uuid4(),
        organization_id=organization.id,
        code=kw.pop("code", f"PRO-{uuid.uuid4().hex[:4]}"),
        title=kw.pop("title", "Lockout and tagout"),
        kind="procedure",
        owner_id=owner.id if owner else None,
        review_on=review_on,
        audience_roles=[],
        audience_site_ids=[],
    )
    db.session.add(document)
    db.session.flush()
    revision = DocumentRevision(
        id=uuid.uuid4(),
        document_pk=document.pk,
        number=1,
        status=status,
        file_sha256="cd" * 32,
        filename="lockout.pdf",
    )
    db.session.add(revision)
    db.session.commit()
    return document


# Competence


def test_the_holder_and_the_officers_are_told_once_it_is_due_then_once_it_has_expired(crew):
    holder = renamed(crew["holder"], "Ann Lee")
    record = grant(holder, crew["organization"], day(-700), day(40))
    scan(NOW - timedelta(days=30))  # 70 days ahead: not yet
    assert notifications() == []
    for offset in (0, 0, 1, 20):
        scan(NOW + timedelta(days=offset))
    assert told(holder) == [("competence_due_soon", "Internal auditing expires in 40 days")]
    (mine,) = notifications(holder)
    assert (mine.record_type, mine.record_id, mine.nonconformity_id) == (
        "competence",
        record.uid,
        None,
    )
    assert mine.body == (
        "Your “internal_audit training” (Internal auditing) expires on Sat 16 Jan 2027: plan "
        "the renewal before then."
    )
    for officer in (crew["officer"],):
        assert told(officer) == [
            ("competence_due_soon", "Ann Lee's Internal auditing expires in 40 days")
        ]
        assert notifications(officer)[0].body.startswith("Ann Lee's “internal_audit training”")
    # An organization with officers tells them, not its admins.
    assert told(crew["admin"]) == []

    for offset in (40, 41, 41, 60):
        scan(NOW + timedelta(days=offset))
    assert [kind for kind, _ in told(holder)] == ["competence_due_soon", "competence_expired"]
    assert told(holder)[1][1] == "Internal auditing expired"
    assert notifications(holder)[1].body == (
        "Your “internal_audit training” (Internal auditing) expired on Sat 16 Jan 2027: record "
        "the renewed training once it is done."
    )
    assert told(crew["officer"])[1] == ("competence_expired", "Ann Lee's Internal auditing expired")
    reminders = db.session.scalars(select(Reminder.state).where(Reminder.kind == "competence"))
    assert sorted(reminders) == ["due_soon", "expired"]


def test_the_organizations_training_due_days_set_when_it_is_due(crew):
    organization = crew["organization"]
    organization.training_due_days = 14
    db.session.commit()
    grant(crew["holder"], organization, day(-100), day(15))
    grant(crew["officer"], organization, day(-100), day(14), module="document_control")
    scan(NOW)
    assert told(crew["holder"]) == []
    assert told(crew["officer"]) == [("competence_due_soon", "Document control expires in 14 days")]


def test_a_renewed_record_is_not_told_and_a_never_expiring_one_neither(crew):
    organization, holder = crew["organization"], crew["holder"]
    grant(holder, organization, day(-700), day(10))
    grant(holder, organization, day(-5), day(720))
    grant(holder, organization, day(-700), day(-3), module="document_control")
    grant(holder, organization, day(-2), None, module="document_control")
    grant(holder, organization, day(-2), None, module="root_cause_analysis")
    assert scan(NOW).notifications == 0
    # Only the record lasting longest is told of: the older, expired one is not.
    grant(holder, organization, day(-900), day(-200), module="risk_based_thinking")
    grant(holder, organization, day(-300), day(5), module="risk_based_thinking")
    scan(NOW)
    assert told(holder) == [("competence_due_soon", "Risk-based thinking expires in 5 days")]


def test_an_own_module_is_named_by_its_label(crew, client, auth):
    auth.login(crew["officer"].email)
    client.post("/api/competences/modules", json={"label": "Forklift (B2)"})
    grant(crew["holder"], crew["organization"], day(-700), day(1), module="forklift_b2")
    scan(NOW)
    assert told(crew["holder"]) == [("competence_due_soon", "Forklift (B2) expires tomorrow")]


def test_people_who_left_are_not_told_and_without_officers_the_admins_are(crew):
    organization, holder = crew["organization"], crew["holder"]
    gone = make_user(organization)
    grant(gone, organization, day(-700), day(3))
    gone.active = False
    ended = make_user(organization)
    grant(ended, organization, day(-700), day(3))
    membership = db.session.scalar(select(Membership).where(Membership.user_id == ended.id))
    membership.active = False
    crew["officer"].active = False
    db.session.commit()
    assert scan(NOW).notifications == 0

    grant(renamed(holder, "Bo"), organization, day(-700), day(0))
    scan(NOW)
    assert told(holder) == [("competence_due_soon", "Internal auditing expires today")]
    assert told(crew["admin"]) == [("competence_due_soon", "Bo's Internal auditing expires today")]


def test_an_officer_holding_the_record_is_told_once_as_its_holder(crew):
    other = make_user(crew["organization"], role="officer")
    grant(crew["officer"], crew["organization"], day(-700), day(2))
    scan(NOW)
    assert told(crew["officer"]) == [("competence_due_soon", "Internal auditing expires in 2 days")]
    assert [kind for kind, _ in told(other)] == ["competence_due_soon"]


def test_the_day_is_the_organizations(crew):
    organization = crew["organization"]
    organization.time_zone = "Pacific/Auckland"  # 13 hours ahead of UTC in December
    db.session.commit()
    grant(crew["holder"], organization, day(-700), day(0))
    # 12:00 UTC is 01:00 the next day in Auckland: the record expired yesterday there.
    scan(NOW)
    assert told(crew["holder"]) == [("competence_expired", "Internal auditing expired")]


# Documents


def test_the_owner_is_told_on_the_review_day_and_a_week_after(crew):
    document = make_document(crew["organization"], crew["officer"], day(2), code="PRO-7")
    for offset in (0, 1, 2, 2, 3, 8, 9, 9, 30):
        scan(NOW + timedelta(days=offset))
    assert told(crew["officer"]) == [
        ("document_review_due", "Review of PRO-7 due"),
        ("document_review_overdue", "Review of PRO-7 overdue by 7 days"),
    ]
    first, second = notifications(crew["officer"])
    assert (first.record_type, first.record_id) == ("document", document.id)
    assert first.body == (
        "“Lockout and tagout” (PRO-7) is due for review today: approve a revised version, or "
        "confirm it with a new review date."
    )
    assert second.body == "“Lockout and tagout” (PRO-7) was due for review on Wed 9 Dec 2026."
    assert told(crew["admin"]) == told(crew["holder"]) == []


def test_a_document_found_late_is_told_as_due_then_overdue_once_a_week_is_past(crew):
    make_document(crew["organization"], crew["officer"], day(-3), code="POL-1")
    make_document(crew["organization"], crew["officer"], day(-30), code="POL-2")
    scan(NOW)
    scan(NOW + timedelta(hours=3))
    assert sorted(told(crew["officer"])) == [
        ("document_review_due", "Review of POL-1 due"),
        ("document_review_overdue", "Review of POL-2 overdue by 30 days"),
    ]
    (due,) = [n for n in notifications(crew["officer"]) if n.kind == "document_review_due"]
    assert "is due for review since Fri 4 Dec 2026" in due.body
    scan(NOW + timedelta(days=4))
    assert told(crew["officer"])[-1] == (
        "document_review_overdue",
        "Review of POL-1 overdue by 7 days",
    )


def test_without_an_owner_who_is_still_here_the_admins_are_told(crew):
    second_admin = make_user(crew["organization"], role="admin")
    make_document(crew["organization"], None, day(0), code="F-1")
    left = make_user(crew["organization"], role="officer")
    make_document(crew["organization"], left, day(0), code="F-2")
    left.active = False
    db.session.commit()
    scan(NOW)
    for admin in (crew["admin"], second_admin):
        assert sorted(title for _, title in told(admin)) == [
            "Review of F-1 due",
            "Review of F-2 due",
        ]
    assert told(crew["officer"]) == []


def test_drafts_withdrawn_documents_and_ones_without_a_day_are_not_told(crew):
    make_document(crew["organization"], crew["officer"], day(-1), status="draft")
    make_document(crew["organization"], crew["officer"], day(-1), status="obsolete")
    make_document(crew["organization"], crew["officer"], None)
    make_document(crew["organization"], crew["officer"], day(1))
    assert scan(NOW).notifications == 0


def test_a_reviewed_document_is_reminded_of_its_next_day(crew):
    document = make_document(crew["organization"], crew["officer"], day(0))
    scan(NOW)
    document.review_on = day(365)
    db.session.commit()
    scan(NOW + timedelta(days=1))
    scan(NOW + timedelta(days=365))
    assert [kind for kind, _ in told(crew["officer"])] == ["document_review_due"] * 2


# The scan stays set-based


def statements_of_scan(now: datetime) -> int:
    sent = []

    def count(conn, cursor, statement, *args):
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        scan(now)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(sent)


def test_the_scan_takes_as_many_statements_for_many_records_as_for_one(crew):
    organization = crew["organization"]
    grant(crew["holder"], organization, day(-700), day(3))
    make_document(organization, crew["officer"], day(0))
    few = statements_of_scan(NOW)
    assert len(notifications()) == 3
    for number in range(25):
        person = make_user(organization)
        grant(person, organization, day(-700), day(number % 50 - 10))
        make_document(organization, person, day(-number))
    other = make_organization()
    other.time_zone = "Asia/Tokyo"
    db.session.commit()
    grant(make_user(other), other, day(-700), day(1))
    many = statements_of_scan(NOW + timedelta(hours=1))
    assert many == few
    assert len(notifications()) == 3 + 25 * 2 + 25 + 1


# By mail, from a real worker


def test_the_holder_gets_a_mail_from_the_worker(queued_app, worker_process, smtp):
    zone, now = calm_zone()
    organization = make_organization()
    organization.time_zone = zone
    db.session.commit()
    holder = make_user(organization, email="ann@plant.example")
    officer = make_user(organization, role="officer", email="olu@plant.example")
    grant(holder, organization, local_day(now, zone) - timedelta(days=300), local_day(now, zone))
    make_document(organization, officer, local_day(now, zone), code="POL-1", title="OH&S policy")
    server = smtp()
    worker_process(MAIL_URL=server.url, REMINDER_INTERVAL=1)
    wait_until(lambda: len(server.messages()) >= 2, timeout=40)
    mails = {message["To"]: message for message in server.messages()}
    assert mails["ann@plant.example"]["Subject"] == "Internal auditing expires today"
    text = mails["olu@plant.example"].get_payload(decode=True).decode()
    assert mails["olu@plant.example"]["Subject"] == "Safeloop: 2 reminders"
    assert "Test User's Internal auditing expires today" in text
    assert "“OH&S policy” (POL-1) is due for review today" in text
