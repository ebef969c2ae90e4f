"""Invitation and password reset links: used once, expiring, for their own purpose only."""

from datetime import timedelta

import pytest

from server.auth.models import User
from server.dbtypes import utcnow
from server.extensions import db
from tests.auth.helpers import (
    NEW_PASSWORD,
    OTHER_PASSWORD,
    plant,
    signed_in,
    stored_token,
    token_of,
    user_events,
)
from tests.factories import PASSWORD


@pytest.fixture
def people(app):
    return plant()


def invitation(app, people, **body) -> tuple[dict, str]:
    """An admin invites someone: the answer and the link's token."""
    body = {"email": "nia@example.test", "name": "Nia Okafor", "role": "worker", **body}
    answer = signed_in(app, people["admin"]).post("/api/users", json=body)
    assert answer.status_code == 201, answer.json
    return answer.json, token_of(answer.json["invitation_url"])


def reset_link(app, people, user) -> str:
    answer = signed_in(app, people["admin"]).post(f"/api/users/{user.id}/password-reset")
    assert answer.status_code == 201, answer.json
    assert answer.json["mail_sent"] is False
    assert answer.json["reset_url"].startswith("http://localhost/#/password-reset?token=")
    return token_of(answer.json["reset_url"])


def test_an_invitation_greets_the_person_and_signs_them_in_once(app, client, people):
    invited, token = invitation(app, people)
    check = client.post("/api/auth/invitations/check", json={"token": token})
    assert check.status_code == 200
    assert check.json["email"] == "nia@example.test"
    assert check.json["name"] == "Nia Okafor"
    assert check.json["organization"] == people["organization"].name
    assert check.json["existing_account"] is False
    assert check.json["expires_at"] > utcnow().isoformat()

    weak = client.post("/api/auth/invitations/accept", json={"token": token, "password": "nia"})
    assert weak.status_code == 422 and "password" in weak.json["errors"]
    accepted = client.post(
        "/api/auth/invitations/accept", json={"token": token, "password": NEW_PASSWORD}
    )
    assert accepted.status_code == 200, "a refused password does not use the link up"
    assert accepted.json["user"]["email"] == "nia@example.test"
    assert accepted.json["organization"]["training_due_days"] == 60
    assert client.get("/api/auth/me").json["role"] == "worker"
    assert stored_token(token).used_at is not None
    second = app.test_client().post(
        "/api/auth/invitations/accept", json={"token": token, "password": OTHER_PASSWORD}
    )
    assert second.status_code == 409
    assert second.json["detail"].startswith("This invitation link has been used already")
    assert second.json["errors"] == {"token": [second.json["detail"]]}
    assert [action for action, _ in user_events(invited["id"])] == ["invited", "accepted"]
    assert signed_in(app, db.session.get(User, invited["id"]), NEW_PASSWORD)


def test_only_the_tokens_hash_is_kept_and_no_event_names_it(app, people):
    invited, token = invitation(app, people)
    row = stored_token(token)
    assert row.token_hash != token and len(row.token_hash) == 64
    assert token not in str(user_events(invited["id"]))


def test_an_expired_wrong_or_other_purpose_token_is_a_clear_problem(app, client, people):
    _, token = invitation(app, people)
    reset = reset_link(app, people, people["worker"])
    accept = "/api/auth/invitations/accept"
    complete = "/api/auth/password-reset/complete"

    wrong = client.post(accept, json={"token": token[:-2] + "xx", "password": NEW_PASSWORD})
    assert wrong.status_code == 422
    assert wrong.json["errors"]["token"] == [
        "This invitation link is not valid: check that the whole link was opened."
    ]
    crossed = client.post(accept, json={"token": reset, "password": NEW_PASSWORD})
    assert crossed.status_code == 422 and "invitation link is not valid" in crossed.json["detail"]
    crossed = client.post(complete, json={"token": token, "password": NEW_PASSWORD})
    assert crossed.status_code == 422
    assert "password reset link is not valid" in crossed.json["detail"]

    row = stored_token(token)
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    expired = client.post(accept, json={"token": token, "password": NEW_PASSWORD})
    assert expired.status_code == 409
    assert expired.json["detail"] == (
        "This invitation link has expired or was replaced: ask your admin for a new one."
    )
    assert client.post("/api/auth/invitations/check", json={"token": token}).status_code == 409


@pytest.mark.parametrize("token", ["", "x" * 201, "a\x00b", "\ud800", 12])
def test_bad_tokens_are_field_errors(client, people, token):
    for url in ("/api/auth/invitations/check", "/api/auth/invitations/accept"):
        answer = client.post(url, json={"token": token, "password": NEW_PASSWORD})
        assert answer.status_code == 422
        assert "token" in answer.json["errors"]


def test_a_new_invitation_ends_the_older_link(app, client, people):
    invited, first = invitation(app, people)
    renewed = signed_in(app, people["admin"]).post(f"/api/users/{invited['id']}/invitation")
    assert renewed.status_code == 201 and renewed.json["status"] == "invited"
    second = token_of(renewed.json["invitation_url"])
    old = client.post("/api/auth/invitations/check", json={"token": first})
    assert old.status_code == 409 and "replaced" in old.json["detail"]
    assert client.post("/api/auth/invitations/check", json={"token": second}).status_code == 200


def test_a_withdrawn_invitation_no_longer_works(app, client, people):
    invited, token = invitation(app, people)
    signed_in(app, people["admin"]).patch(f"/api/users/{invited['id']}", json={"active": False})
    answer = client.post(
        "/api/auth/invitations/accept", json={"token": token, "password": NEW_PASSWORD}
    )
    assert answer.status_code == 409
    assert answer.json["detail"] == "This invitation has been withdrawn: ask your admin."


def test_an_existing_account_accepts_with_its_own_password(app, client, people):
    elsewhere = people["other_admin"]
    invited, token = invitation(app, people, email=elsewhere.email, role="auditor")
    check = client.post("/api/auth/invitations/check", json={"token": token})
    assert check.json["existing_account"] is True
    accept = "/api/auth/invitations/accept"
    wrong = client.post(accept, json={"token": token, "password": NEW_PASSWORD})
    assert wrong.status_code == 422
    assert wrong.json["errors"]["password"] == ["This is not the password of your account."]
    answer = client.post(accept, json={"token": token, "password": PASSWORD})
    assert answer.status_code == 200
    assert answer.json["organization"]["id"] == people["organization"].id
    assert answer.json["role"] == "auditor"


def test_a_reset_link_sets_the_password_and_ends_every_other_session(app, people):
    worker = people["worker"]
    phone, tablet = signed_in(app, worker), app.test_client()
    token = reset_link(app, people, worker)
    body = {"token": token, "password": NEW_PASSWORD}
    done = tablet.post("/api/auth/password-reset/complete", json=body)
    assert done.status_code == 200
    assert done.json["user"]["id"] == worker.id
    assert tablet.get("/api/auth/me").status_code == 200, "the resetting device is signed in"
    assert phone.get("/api/auth/me").status_code == 401, "every other session ended"
    assert app.test_client().post(
        "/api/auth/login", json={"email": worker.email, "password": PASSWORD}
    ).status_code == 401  # fmt: skip
    signed_in(app, worker, NEW_PASSWORD)
    again = app.test_client().post("/api/auth/password-reset/complete", json=body)
    assert again.status_code == 409
    assert again.json["detail"].startswith("This password reset link has been used already")
    assert [a for a, _ in user_events(worker.id)] == ["reset_link_made", "password_reset"]


def test_a_reset_refuses_a_weak_password_without_using_the_link(app, client, people):
    token = reset_link(app, people, people["worker"])
    weak = client.post(
        "/api/auth/password-reset/complete", json={"token": token, "password": "password123"}
    )
    assert weak.status_code == 422 and weak.json["errors"]["password"]
    assert stored_token(token).used_at is None


def test_an_admin_reset_link_needs_an_active_person(app, people):
    invited, _ = invitation(app, people)
    admin = signed_in(app, people["admin"])
    answer = admin.post(f"/api/users/{invited['id']}/password-reset")
    assert answer.status_code == 409
    assert answer.json["detail"] == "This person is invited: send a new invitation."


def test_without_mail_the_reset_request_says_ask_your_admin(client, people):
    answer = client.post("/api/auth/password-reset", json={"email": people["worker"].email})
    assert answer.status_code == 202
    assert answer.json == {
        "mail": False,
        "detail": "This server sends no mail: ask your admin for a password reset link.",
    }


@pytest.mark.parametrize("email", ["", "nope", "a\x00@example.test", "\ud800@example.test", 7])
def test_bad_reset_requests_are_field_errors(client, email):
    answer = client.post("/api/auth/password-reset", json={"email": email})
    assert answer.status_code == 422
    assert "email" in answer.json["errors"]
