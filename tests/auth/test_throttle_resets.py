"""Throttling and the real person: their own phone is never refused for a stranger's failures,
a reset link always gets them in and clears the account's counts, waits are named truly."""

from tests.auth.helpers import NEW_PASSWORD, plant, signed_in, token_of
from tests.auth.test_throttle import STRANGER, WORKERS_PHONE, sign_in
from tests.factories import PASSWORD

NEW_PHONE = "127.0.10.2"
STRANGERS = [f"127.0.70.{n}" for n in range(1, 13)]


def strangers_guess(app, email: str) -> None:
    """Twelve addresses each guess once: more than the account's allowance of ten."""
    for address in STRANGERS:
        assert sign_in(app.test_client(), email, "guess", address).status_code == 401


def test_the_persons_own_phone_gets_in_after_a_typo_while_strangers_guess(app):
    worker = plant()["worker"]
    phone = app.test_client()
    assert sign_in(phone, worker.email, PASSWORD, WORKERS_PHONE).status_code == 200
    assert sign_in(phone, worker.email, "typo", WORKERS_PHONE).status_code == 401
    strangers_guess(app, worker.email)
    held = sign_in(app.test_client(), worker.email, "guess", STRANGERS[0])
    assert held.status_code == 429, "the strangers share the account's allowance"
    assert sign_in(phone, worker.email, PASSWORD, WORKERS_PHONE).status_code == 200


def test_a_completed_reset_gets_the_person_in_and_clears_the_accounts_counts(app):
    people = plant()
    worker = people["worker"]
    phone = app.test_client()
    assert sign_in(phone, worker.email, "typo", NEW_PHONE).status_code == 401
    strangers_guess(app, worker.email)
    held = sign_in(phone, worker.email, PASSWORD, NEW_PHONE)
    assert held.status_code == 429, "a new phone that failed shares the account's slowdown"

    link = signed_in(app, people["admin"]).post(f"/api/users/{worker.id}/password-reset").json
    done = phone.post(
        "/api/auth/password-reset/complete",
        json={"token": token_of(link["reset_url"]), "password": NEW_PASSWORD},
        environ_base={"REMOTE_ADDR": NEW_PHONE},
    )
    assert done.status_code == 200, "a reset link works however throttled the account is"
    phone.post("/api/auth/logout")
    assert sign_in(phone, worker.email, NEW_PASSWORD, NEW_PHONE).status_code == 200
    # The account's count is cleared: a stranger's address that failed once tries again.
    assert sign_in(app.test_client(), worker.email, "guess", STRANGERS[0]).status_code == 401


def test_the_refusal_names_the_real_wait(make_app):
    app = make_app(LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS="2 per 2 minutes")
    with app.app_context():
        email = plant()["worker"].email
    client = app.test_client()
    assert [sign_in(client, email, "guess", STRANGER).status_code for _ in range(3)] == [
        401,
        401,
        429,
    ]
    refused = sign_in(client, email, "guess", STRANGER)
    assert refused.json["detail"] == "Too many failed sign-ins. Try again in 2 minutes."
    assert 60 < int(refused.headers["Retry-After"]) <= 120


def test_reset_requests_are_limited_per_email_and_per_address_alike_for_anyone(make_app):
    app = make_app(RESET_REQUESTS_PER_ADDRESS="4 per hour", RESET_REQUESTS_PER_EMAIL="2 per hour")
    with app.app_context():
        email = plant()["worker"].email
    client = app.test_client()

    def ask(email: str, address: str):
        return client.post(
            "/api/auth/password-reset", json={"email": email}, environ_base={"REMOTE_ADDR": address}
        )

    for asked in (email, "nobody@example.test"):
        statuses = [ask(asked, f"127.0.30.{n}").status_code for n in range(3)]
        assert statuses == [202, 202, 429], "an account and no account are counted alike"
    refused = ask(email, "127.0.30.9")
    assert refused.json["detail"] == "Too many password reset requests. Try again in 60 minutes."
    assert 59 * 60 < int(refused.headers["Retry-After"]) <= 3600
    many = [ask(f"person{n}@example.test", STRANGER).status_code for n in range(5)]
    assert many == [202] * 4 + [429]
