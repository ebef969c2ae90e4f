"""server.mail against a real SMTP server process: plain, TLS with a login, and one that is down."""

import pytest

from server.mail.smtp import MailNotSent, MailServer, parse_mail_url, send
from tests.redis_server import free_port


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
