"""Sign-in throttling as people meet it: strangers are slowed down, the real person gets in.

Addresses are only what the WSGI environ and X-Forwarded-For say; no traffic goes anywhere.
"""

import pytest

from server.auth.models import Membership, User
from server.auth.throttle import wait_in_words
from server.extensions import db
from tests.factories import PASSWORD, make_organization, make_user

STRANGER = "127.0.66.6"
WORKERS_PHONE = "127.0.10.1"
PROXY = "127.0.0.1"


def sign_in(client, email: str, password: str, address: str, forwarded: str | None = None):
    """One attempt from address (with an X-Forwarded-For header when given)."""
    return client.post(
        "/api/auth/login",
        json={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
        headers={"X-Forwarded-For": forwarded} if forwarded else {},
    )


def crew(organization, size: int) -> list[str]:
    """The emails of size workers of organization, all with PASSWORD (hashed once)."""
    first = make_user(organization)
    for number in range(1, size):
        user = User(email=f"crew{number}.{first.email}", name=f"Worker {number}")
        user.password_hash = first.password_hash
        db.session.add(Membership(user=user, organization=organization, role="worker"))
    db.session.commit()
    return [first.email] + [f"crew{number}.{first.email}" for number in range(1, size)]


def test_a_stranger_guessing_50_passwords_cannot_lock_the_worker_out(app):
    worker = make_user(make_organization())
    stranger, phone = app.test_client(), app.test_client()
    statuses = []
    for number in range(50):
        statuses.append(sign_in(stranger, worker.email, f"guess {number}", STRANGER).status_code)
        if number % 10 == 9:
            assert sign_in(phone, worker.email, PASSWORD, WORKERS_PHONE).status_code == 200
    assert statuses == [401] * 5 + [429] * 45, "the stranger's guesses stop after five"
    refused = sign_in(stranger, worker.email, PASSWORD, STRANGER)
    assert refused.status_code == 429, "even the right password waits, from the guessing address"
    assert refused.json["detail"] == "Too many failed sign-ins. Try again in 15 minutes."
    assert 14 * 60 < int(refused.headers["Retry-After"]) <= 15 * 60


def test_strangers_on_many_addresses_slow_the_account_down_without_locking_it(app):
    worker = make_user(make_organization())
    stranger = app.test_client()
    addresses = [f"127.0.70.{n}" for n in range(1, 13)]
    first_tries = [sign_in(stranger, worker.email, "guess", a).status_code for a in addresses]
    assert first_tries == [401] * 12, "each new address has its password checked"

    again = sign_in(stranger, worker.email, "guess again", addresses[0])
    assert again.status_code == 429, "an address that failed shares the account's small allowance"
    assert again.json["detail"].startswith("Too many failed sign-ins. Try again in ")
    assert sign_in(app.test_client(), worker.email, PASSWORD, WORKERS_PHONE).status_code == 200


def test_signing_in_to_ones_own_account_does_not_reset_the_address(make_app):
    app = make_app(LOGIN_FAILURES_PER_ADDRESS="5 per 15 minutes")
    client = app.test_client()
    with app.app_context():
        own = make_user(make_organization()).email
        victims = [make_user(make_organization()).email for _ in range(5)]
    for victim in victims[:4]:
        assert sign_in(client, victim, "guess", STRANGER).status_code == 401
    assert sign_in(client, own, PASSWORD, STRANGER).status_code == 200
    assert sign_in(client, victims[4], "guess", STRANGER).status_code == 401
    assert sign_in(client, victims[4], "guess", STRANGER).status_code == 429


def test_forty_workers_behind_one_reverse_proxy_each_mistype_once_and_get_in(make_app):
    app = make_app(TRUSTED_PROXIES=1)
    with app.app_context():
        organization = make_organization()
        workers = crew(organization, 40)
    for number, worker in enumerate(workers):
        phone = app.test_client()
        address = f"127.0.20.{number + 1}"
        assert sign_in(phone, worker, "typo", PROXY, forwarded=address).status_code == 401
        assert sign_in(phone, worker, PASSWORD, PROXY, forwarded=address).status_code == 200

    # A stranger behind the same proxy, forging a header the proxy then appends to.
    target, stranger = workers[0], app.test_client()
    tries = [
        sign_in(stranger, target, "guess", PROXY, forwarded=f"127.0.90.{n}, 127.0.66.6").status_code
        for n in range(8)
    ]
    assert tries == [401] * 5 + [429] * 3
    own_phone = sign_in(app.test_client(), target, PASSWORD, PROXY, forwarded="127.0.20.1")
    assert own_phone.status_code == 200


def test_a_forged_forwarded_header_from_a_direct_client_is_ignored(app):
    assert app.config["TRUSTED_PROXIES"] == 0
    worker = make_user(make_organization())
    stranger = app.test_client()
    tries = [
        sign_in(stranger, worker.email, "guess", STRANGER, forwarded=f"127.0.80.{n}").status_code
        for n in range(8)
    ]
    assert tries == [401] * 5 + [429] * 3


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "1 second"),
        (45, "45 seconds"),
        (60, "1 minute"),
        (61, "2 minutes"),
        (240, "4 minutes"),
        (899, "15 minutes"),
    ],
)
def test_the_wait_is_said_in_words(seconds, words):
    assert wait_in_words(seconds) == words
