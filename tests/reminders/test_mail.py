"""Mail against a real SMTP server process: plain, TLS with a login, down; a person's digest."""

from datetime import UTC, datetime, timedelta

import pytest

from server.mail.smtp import MailNotSent, MailServer, parse_mail_url, send
from server.reminders.mailing import MAX_LISTED, mail_notifications
from server.reminders.scan import scan
from tests.factories import make_organization, make_site, make_user
from tests.redis_server import free_port
from tests.reminders.conftest import notifications
from tests.reminders.factories import make_action, make_nonconformity


def test_mail_urls_are_read():
    assert parse_mail_url("smtp://mail.example:2525") == MailServer("mail.example", 2525)
    assert parse_mail_url("smtps://ann%40example.com:p%3Ass@mail.example") == MailServer(
        "mail.example", 465, tls=True, username="ann@example.com", password="p:ss"
    )
    assert parse_mail_url("smtp://u:p@mail.example?starttls=true") == MailServer(
        "mail.example", 587, starttls=True, username="u", password="p"
    )
    for wrong in ("http://mail.example", "smtp://", "mail.example:25"):
        with pytest.raises(ValueError):
            parse_mail_url(wrong)


def test_a_message_reaches_the_smtp_server(make_app, smtp):
    server = smtp()
    app = make_app(MAIL_URL=server.url, MAIL_FROM="Safeloop <reminders@plant.example>")
    with app.app_context():
        send("ann@example.com", "Action due today", "“Fit a guard” is due today.")
    [message] = server.messages()
    assert message["To"] == "ann@example.com"
    assert message["From"] == "Safeloop <reminders@plant.example>"
    assert message["Subject"] == "Action due today"
    assert message["Message-ID"].endswith("@plant.example>")
    assert message.get_payload(decode=True).decode() == "“Fit a guard” is due today.\n"


def test_smtps_with_a_login(make_app, smtp, tls_certificate, monkeypatch):
    server = smtp(**tls_certificate, user="reminders@plant.example", password="s3cret:/@")
    # The client trusts the test's own certificate authority, as it would a real one.
    monkeypatch.setenv("SSL_CERT_FILE", tls_certificate["cert"])
    url = "smtps://reminders%40plant.example:s3cret%3A%2F%40@127.0.0.1:" + str(server.port)
    with make_app(MAIL_URL=url).app_context():
        send("ann@example.com", "Over TLS", "Hello")
        with pytest.raises(MailNotSent, match="535|uthentication"):
            bad = url.replace("s3cret", "wrong")
            with make_app(MAIL_URL=bad).app_context():
                send("ann@example.com", "Refused", "Hello")
    assert [m["Subject"] for m in server.messages()] == ["Over TLS"]


def test_a_server_whose_certificate_is_not_trusted_gets_nothing(make_app, smtp, tls_certificate):
    server = smtp(**tls_certificate)
    with make_app(MAIL_URL=server.url).app_context(), pytest.raises(MailNotSent, match="verif"):
        send("ann@example.com", "Not trusted", "Hello")
    assert server.messages() == []


def test_a_server_that_is_down_is_reported(make_app):
    app = make_app(MAIL_URL=f"smtp://127.0.0.1:{free_port()}")
    with app.app_context(), pytest.raises(MailNotSent, match="127.0.0.1"):
        send("ann@example.com", "Nobody there", "Hello")


def test_one_mail_lists_a_person_s_notifications_once(make_app, smtp):
    server = smtp()
    app = make_app(MAIL_URL=server.url)
    with app.app_context():
        organization = make_organization()
        owner = make_user(organization, email="ann@plant.example")
        nc = make_nonconformity(make_site(organization))
        start = datetime(2026, 12, 7, 12, tzinfo=UTC)
        for offset in range(30):
            make_action(nc, owner, due_on=start.date() - timedelta(days=offset + 1))
        scan(start)
        ids = [n.id for n in notifications(owner)]
        assert mail_notifications(ids) == 30
        assert mail_notifications(ids) == 0, "mailed once, however often the job runs"
        assert all(n.mailed_at for n in notifications(owner))
    [message] = server.messages()
    text = message.get_payload(decode=True).decode()
    assert message["Subject"] == "Safeloop: 30 reminders"
    assert text.count("Action overdue by") == MAX_LISTED
    assert f"... and {30 - MAX_LISTED} more." in text
