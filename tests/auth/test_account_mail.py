"""Account mails through a real SMTP server process: the invitation and reset links arrive and
work once; a server that is down leaves the link shown, never a 500."""

import re
import time

import pytest
import requests

from tests.auth.helpers import NEW_PASSWORD, OTHER_PASSWORD, plant, signed_in, token_of
from tests.live_server import GunicornServer, app_environment
from tests.redis_server import free_port
from tests.reminders.smtp_server import SmtpServer

LINK = re.compile(r"https://safety\.example/#/[a-z-]+\?token=[A-Za-z0-9_-]+")


@pytest.fixture
def smtp(tmp_path):
    server = SmtpServer(tmp_path / "maildir").start()
    yield server
    server.stop()


@pytest.fixture
def mail_app(make_app, smtp):
    app = make_app(MAIL_URL=smtp.url, PUBLIC_URL="https://safety.example")
    with app.app_context():
        yield app


def messages_soon(smtp, count: int) -> list:
    """The server's messages once count have come (a reset mail goes after the answer)."""
    deadline = time.monotonic() + 10
    while len(smtp.messages()) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return smtp.messages()


def body_of(message) -> str:
    return message.get_payload(decode=True).decode()


def test_the_invitation_mail_arrives_and_its_link_works_once(mail_app, smtp):
    people = plant()
    admin = signed_in(mail_app, people["admin"])
    answer = admin.post(
        "/api/users", json={"email": "nia@example.test", "name": "Nia Okafor", "role": "worker"}
    )
    assert answer.status_code == 201
    assert answer.json["mail_sent"] is True
    [message] = smtp.messages()
    assert message["To"] == "nia@example.test"
    assert message["Subject"] == f"You are invited to {people['organization'].name} on Safeloop"
    text = body_of(message)
    assert "choose your password" in text and "for 7 days" in text
    [url] = LINK.findall(text)
    assert url == answer.json["invitation_url"]
    assert url.startswith("https://safety.example/#/invitation?token=")

    phone = mail_app.test_client()
    body = {"token": token_of(url), "password": NEW_PASSWORD}
    assert phone.post("/api/auth/invitations/accept", json=body).status_code == 200
    assert phone.get("/api/auth/me").json["user"]["email"] == "nia@example.test"
    again = mail_app.test_client().post(
        "/api/auth/invitations/accept", json={**body, "password": OTHER_PASSWORD}
    )
    assert again.status_code == 409


def test_a_reset_mail_goes_to_an_account_and_the_answer_is_the_same_for_none(mail_app, smtp):
    people = plant()
    worker = people["worker"]
    client = mail_app.test_client()
    known = client.post("/api/auth/password-reset", json={"email": worker.email.upper()})
    unknown = client.post("/api/auth/password-reset", json={"email": "nobody@example.test"})
    assert known.status_code == unknown.status_code == 202
    assert smtp.messages() == [], "the mail goes once the answer is out"
    # As a WSGI server does once it has sent the answer.
    known.close()
    unknown.close()
    assert known.json == unknown.json
    assert known.json["mail"] is True
    assert "60 minutes" in known.json["detail"]
    [message] = messages_soon(smtp, 1)
    assert message["To"] == worker.email
    assert message["Subject"] == "Reset your Safeloop password"
    [url] = LINK.findall(body_of(message))
    assert url.startswith("https://safety.example/#/password-reset?token=")
    body = {"token": token_of(url), "password": NEW_PASSWORD}
    done = client.post("/api/auth/password-reset/complete", json=body)
    assert done.status_code == 200
    assert done.json["user"]["id"] == worker.id
    assert client.post("/api/auth/password-reset/complete", json=body).status_code == 409


def test_an_invited_person_who_never_chose_a_password_gets_no_reset_mail(mail_app, smtp):
    people = plant()
    admin = signed_in(mail_app, people["admin"])
    admin.post("/api/users", json={"email": "nia@example.test", "name": "Nia", "role": "worker"})
    assert len(smtp.messages()) == 1
    answer = mail_app.test_client().post(
        "/api/auth/password-reset", json={"email": "nia@example.test"}
    )
    assert answer.status_code == 202
    answer.close()
    client = mail_app.test_client()
    client.post("/api/auth/password-reset", json={"email": people["worker"].email}).close()
    # A Maildir keeps no order: the invitation and the worker's reset mail, and nothing more.
    assert sorted(m["To"] for m in messages_soon(smtp, 2)) == sorted(
        ["nia@example.test", people["worker"].email]
    )


def test_a_mail_server_that_is_down_leaves_the_link_shown(make_app):
    app = make_app(MAIL_URL=f"smtp://127.0.0.1:{free_port()}")
    with app.app_context():
        people = plant()
        admin = signed_in(app, people["admin"])
        answer = admin.post(
            "/api/users", json={"email": "nia@example.test", "name": "Nia", "role": "worker"}
        )
        assert answer.status_code == 201
        assert answer.json["mail_sent"] is False
        assert "/#/invitation?token=" in answer.json["invitation_url"]
        reset = admin.post(f"/api/users/{people['worker'].id}/password-reset")
        assert reset.status_code == 201 and reset.json["mail_sent"] is False
        asked = app.test_client().post(
            "/api/auth/password-reset", json={"email": people["worker"].email}
        )
        assert asked.status_code == 202 and asked.json["mail"] is True


def test_under_gunicorn_the_reset_mail_follows_the_answer(app, smtp, tmp_path):
    worker = plant()["worker"]
    environment = app_environment(app, MAIL_URL=smtp.url, PUBLIC_URL="https://safety.example")
    with GunicornServer(environment, workers=1, log_path=tmp_path / "gunicorn.log") as server:
        answer = requests.post(
            f"{server.url}/api/auth/password-reset", json={"email": worker.email}, timeout=30
        )
        assert answer.status_code == 202
        [message] = messages_soon(smtp, 1)
    assert message["To"] == worker.email
    [url] = LINK.findall(body_of(message))
    done = app.test_client().post(
        "/api/auth/password-reset/complete",
        json={"token": token_of(url), "password": NEW_PASSWORD},
    )
    assert done.status_code == 200
