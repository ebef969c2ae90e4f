"""Sign-in, sign-out, me, sessions and throttling."""

from tests.factories import PASSWORD, make_organization, make_site, make_user


def test_login_returns_me_and_starts_a_session(client, auth):
    organization = make_organization("Acme")
    site = make_site(organization, code="NORTH")
    user = make_user(organization, role="officer", email="Officer@Acme.test")

    response = auth.login("officer@acme.test")

    assert response.status_code == 200
    assert response.json["user"]["email"] == "officer@acme.test"
    assert response.json["organization"]["name"] == "Acme"
    assert response.json["role"] == "officer"
    assert [s["code"] for s in response.json["sites"]] == ["NORTH"]
    me = client.get("/api/auth/me")
    assert me.status_code == 200
    assert me.json["user"]["id"] == user.id
    assert me.json["sites"][0]["id"] == site.id


def test_me_lists_only_the_sites_a_limited_user_may_use(client, auth):
    organization = make_organization()
    north, _south = make_site(organization, "NORTH"), make_site(organization, "SOUTH")
    user = make_user(organization, sites=[north])
    auth.login(user.email)
    assert [s["code"] for s in client.get("/api/auth/me").json["sites"]] == ["NORTH"]


def test_me_without_a_session_is_401(client):
    response = client.get("/api/auth/me")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_logout_ends_the_session(client, auth):
    user = make_user(make_organization())
    auth.login(user.email)
    assert client.get("/api/auth/me").status_code == 200
    assert auth.logout().status_code == 204
    assert client.get("/api/auth/me").status_code == 401


def test_wrong_password_and_unknown_email_get_the_same_401(auth):
    user = make_user(make_organization())
    wrong_password = auth.login(user.email, "not the password")
    unknown_email = auth.login("nobody@example.test")
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json["detail"] == unknown_email.json["detail"]


def test_inactive_user_cannot_sign_in(app, auth):
    user = make_user(make_organization())
    user.active = False
    app.extensions["sqlalchemy"].session.commit()
    assert auth.login(user.email).status_code == 401


def test_failed_sign_ins_are_limited_per_account_from_one_address(auth):
    user = make_user(make_organization())
    for _ in range(5):
        assert auth.login(user.email, "guess").status_code == 401
    refused = auth.login(user.email, PASSWORD)
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60
    assert refused.json["detail"] == "Too many failed sign-ins. Try again in 15 minutes."


def test_failed_sign_ins_are_limited_per_address(make_app):
    app = make_app(LOGIN_FAILURES_PER_ADDRESS="3 per minute")
    client = app.test_client()
    with app.app_context():
        email = make_user(make_organization()).email
    for number in range(3):
        client.post("/api/auth/login", json={"email": f"x{number}@example.test", "password": "x"})
    response = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 429
    other_address = client.post(
        "/api/auth/login",
        json={"email": email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.9.9.9"},
    )
    assert other_address.status_code == 200


def test_a_successful_sign_in_clears_the_failures_from_that_address(auth):
    user = make_user(make_organization())
    for _ in range(4):
        auth.login(user.email, "guess")
    assert auth.login(user.email).status_code == 200
    for _ in range(4):
        assert auth.login(user.email, "guess").status_code == 401


def test_session_cookie_is_httponly_and_samesite_lax(client, auth):
    user = make_user(make_organization())
    response = auth.login(user.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_over_https(app):
    user = make_user(make_organization())
    client = app.test_client()
    response = client.post(
        "/api/auth/login",
        json={"email": user.email, "password": PASSWORD},
        base_url="https://localhost",
    )
    assert "Secure" in response.headers["Set-Cookie"]


def test_login_validates_its_body(auth, client):
    response = client.post("/api/auth/login", json={"email": "not-an-email"})
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"email", "password"}
