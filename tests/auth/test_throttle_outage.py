"""Sign-in while the throttle's Redis is down: counted in the process, and back to Redis after."""

import logging

import pytest
import redis

from tests.factories import PASSWORD, make_organization, make_user
from tests.redis_server import RedisServer


@pytest.fixture
def redis_server():
    """A redis-server of this test's own, stopped at the end whatever happened."""
    server = RedisServer().start()
    yield server
    server.stop()


def sign_in(client, email: str, password: str, address: str):
    return client.post(
        "/api/auth/login",
        json={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def throttle_keys(server: RedisServer) -> list[bytes]:
    """The sign-in counters held in that Redis."""
    with redis.Redis.from_url(server.url) as client:
        return client.keys("LIMITS*login*")


def test_sign_in_goes_on_while_redis_is_down_and_counts_there_again_after(
    make_app, redis_server, caplog
):
    app = make_app(
        RATELIMIT_STORAGE_URI=redis_server.url, REDIS_URL=redis_server.url, LOGIN_THROTTLE_RECHECK=0
    )
    client = app.test_client()
    with app.app_context():
        email = make_user(make_organization()).email
    assert sign_in(client, email, "typo", "127.0.1.1").status_code == 401
    assert throttle_keys(redis_server), "with Redis up, failures are counted there"

    redis_server.stop()
    with caplog.at_level(logging.WARNING, logger="server.auth.throttle"):
        assert sign_in(client, email, PASSWORD, "127.0.1.1").status_code == 200
    assert "unreachable" in caplog.text
    guesses = [sign_in(client, email, "guess", "127.0.2.2").status_code for _ in range(6)]
    assert guesses == [401] * 5 + [429], "a wrong password is still throttled, in this process"

    redis_server.start()
    assert throttle_keys(redis_server) == [], "a new Redis, empty"
    assert sign_in(client, email, "typo", "127.0.3.3").status_code == 401
    assert throttle_keys(redis_server), "counting is back in Redis"
    assert sign_in(client, email, PASSWORD, "127.0.3.3").status_code == 200
