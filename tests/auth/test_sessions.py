"""Sessions the server can end: logout, password change and deactivation end them everywhere."""

import hashlib
from datetime import timedelta

from sqlalchemy import func, select

from server.auth.models import UserSession
from server.auth.services import deactivate_user
from server.dbtypes import utcnow
from server.extensions import db
from tests.factories import PASSWORD, make_organization, make_user

COOKIE = "safeloop_session"
NEW_PASSWORD = "amber kettle on the north gantry"


def signed_in(app, email: str, password: str = PASSWORD):
    """A new device (its own cookie jar) signed in as email."""
    device = app.test_client()
    response = device.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.json
    return device


def login_status(app, email: str, password: str = PASSWORD) -> int:
    """The status of a sign-in from a new device."""
    response = app.test_client().post(
        "/api/auth/login", json={"email": email, "password": password}
    )
    return response.status_code


def cookie_of(device) -> str:
    return device.get_cookie(COOKIE).value


def device_with_cookie(app, value: str):
    """Another device that replays a copied cookie."""
    device = app.test_client()
    device.set_cookie(COOKIE, value)
    return device


def me_status(device) -> int:
    return device.get("/api/auth/me").status_code


def token_in(app, cookie: str) -> str:
    """The session token inside a (signed, readable) session cookie."""
    return app.session_interface.get_signing_serializer(app).loads(cookie)["token"]


def test_a_cookie_saved_before_logout_no_longer_works_after_it(app):
    user = make_user(make_organization())
    phone = signed_in(app, user.email)
    saved = cookie_of(phone)
    assert me_status(device_with_cookie(app, saved)) == 200

    assert phone.post("/api/auth/logout").status_code == 204

    assert me_status(phone) == 401
    assert me_status(device_with_cookie(app, saved)) == 401


def test_two_sign_ins_give_two_different_cookies_and_sessions(app):
    user = make_user(make_organization())
    phone, desktop = signed_in(app, user.email), signed_in(app, user.email)
    assert cookie_of(phone) != cookie_of(desktop)
    assert token_in(app, cookie_of(phone)) != token_in(app, cookie_of(desktop))

    desktop.post("/api/auth/logout")

    assert me_status(desktop) == 401
    assert me_status(phone) == 200


def test_the_database_keeps_only_a_hash_of_each_token(app):
    user = make_user(make_organization())
    token = token_in(app, cookie_of(signed_in(app, user.email)))
    stored = db.session.scalar(select(UserSession.token_hash))
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    assert db.session.scalar(select(func.count()).where(UserSession.token_hash == token)) == 0


def test_changing_the_password_ends_every_other_session(app):
    user = make_user(make_organization())
    phone, desktop = signed_in(app, user.email), signed_in(app, user.email)
    desktop_before = cookie_of(desktop)

    changed = desktop.post(
        "/api/auth/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    )

    assert changed.status_code == 204
    assert me_status(phone) == 401
    assert me_status(device_with_cookie(app, desktop_before)) == 401
    assert me_status(desktop) == 200, "the device that changed it goes on, with a new cookie"
    assert cookie_of(desktop) != desktop_before
    assert login_status(app, user.email, PASSWORD) == 401
    assert signed_in(app, user.email, NEW_PASSWORD)


def test_a_wrong_current_password_or_a_weak_new_one_changes_nothing(app):
    user = make_user(make_organization())
    phone, desktop = signed_in(app, user.email), signed_in(app, user.email)

    wrong = desktop.post(
        "/api/auth/password",
        json={"current_password": "not my password", "new_password": NEW_PASSWORD},
    )
    weak = desktop.post(
        "/api/auth/password", json={"current_password": PASSWORD, "new_password": "password123"}
    )

    assert wrong.status_code == weak.status_code == 422
    assert set(wrong.json["errors"]) == {"current_password"}
    assert set(weak.json["errors"]) == {"new_password"}
    assert me_status(phone) == me_status(desktop) == 200
    assert signed_in(app, user.email, PASSWORD)


def test_changing_the_password_needs_a_session(client):
    response = client.post(
        "/api/auth/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 401


def test_guessing_the_current_password_through_a_session_is_throttled(app):
    user = make_user(make_organization())
    phone = signed_in(app, user.email)
    for number in range(5):
        guess = {"current_password": f"guess {number}", "new_password": NEW_PASSWORD}
        assert phone.post("/api/auth/password", json=guess).status_code == 422
    refused = phone.post(
        "/api/auth/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert refused.status_code == 429
    assert "Try again in" in refused.json["detail"]


def test_deactivating_a_user_ends_their_sessions_for_good(app):
    user = make_user(make_organization())
    phone, desktop = signed_in(app, user.email), signed_in(app, user.email)

    deactivate_user(user.id)

    assert me_status(phone) == me_status(desktop) == 401
    assert login_status(app, user.email) == 401
    user.active = True
    db.session.commit()
    assert me_status(phone) == 401, "reactivation does not bring old sessions back"


def test_a_user_made_inactive_directly_is_refused_at_once(app):
    user = make_user(make_organization())
    phone = signed_in(app, user.email)
    user.active = False
    db.session.commit()
    assert me_status(phone) == 401


def test_an_expired_session_is_refused(app):
    user = make_user(make_organization())
    phone = signed_in(app, user.email)
    record = db.session.scalar(select(UserSession))
    record.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert me_status(phone) == 401


def test_use_is_recorded_at_most_once_a_minute_and_sign_in_on_the_user(app):
    user = make_user(make_organization())
    phone = signed_in(app, user.email)
    record = db.session.scalar(select(UserSession))
    first_seen = record.last_seen_at
    db.session.refresh(user)
    assert user.last_sign_in_at == record.created_at

    for _ in range(3):
        assert me_status(phone) == 200
    db.session.refresh(record)
    assert record.last_seen_at == first_seen, "no write for requests within the minute"

    record.last_seen_at = first_seen - timedelta(minutes=2)
    record.expires_at = first_seen + timedelta(days=1)
    db.session.commit()
    assert me_status(phone) == 200
    db.session.refresh(record)
    assert record.last_seen_at > first_seen - timedelta(minutes=2)
    assert record.expires_at > first_seen + timedelta(days=13), "use pushes the expiry on"


def test_a_new_sign_in_clears_away_the_users_ended_sessions(app):
    user = make_user(make_organization())
    signed_in(app, user.email).post("/api/auth/logout")
    signed_in(app, user.email)
    assert db.session.scalar(select(func.count(UserSession.id))) == 1
