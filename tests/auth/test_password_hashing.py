"""Passwords are kept as scrypt hashes, at full cost unless the setting says otherwise."""

from server import config
from server.extensions import db
from tests.factories import PASSWORD, make_organization, make_user


def test_the_default_is_scrypt_at_full_cost_and_signs_in(make_app, tmp_path, monkeypatch):
    monkeypatch.delenv("PASSWORD_HASH_METHOD", raising=False)
    default = config.from_environment(str(tmp_path), {})["PASSWORD_HASH_METHOD"]
    app = make_app(PASSWORD_HASH_METHOD=default)
    with app.app_context():
        user = make_user(make_organization(), email="strong@acme.test")
        assert user.password_hash.startswith("scrypt:32768:8:1$")
        response = app.test_client().post(
            "/api/auth/login", json={"email": "strong@acme.test", "password": PASSWORD}
        )
        assert response.status_code == 200, response.json


def test_a_hash_made_with_another_method_still_signs_in_after_the_setting_changes(make_app):
    before = make_app(PASSWORD_HASH_METHOD="scrypt:1024:8:1")
    with before.app_context():
        user = make_user(make_organization(), email="kept@acme.test")
        assert user.password_hash.startswith("scrypt:1024:8:1$")
    after = make_app(PASSWORD_HASH_METHOD="scrypt:2048:8:1")
    with after.app_context():
        client = after.test_client()
        wrong = client.post("/api/auth/login", json={"email": "kept@acme.test", "password": "no"})
        assert wrong.status_code == 401
        right = client.post(
            "/api/auth/login", json={"email": "kept@acme.test", "password": PASSWORD}
        )
        assert right.status_code == 200, right.json
        db.engine.dispose()  # the fixture closes the first app's connections, not this one's
