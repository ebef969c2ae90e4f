"""Failed sign-in throttling per account and per client address, on the limits library."""

import math
import time

from flask import Flask, current_app
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from server.errors import TooManyRequests


class LoginThrottle:
    """Counts failed sign-ins; refuses further attempts once a limit is reached."""

    def init_app(self, app: Flask) -> None:
        """Bind the counters' storage (Redis when configured, else process memory)."""
        storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])
        app.extensions["login_throttle"] = {
            "limiter": MovingWindowRateLimiter(storage),
            "account": parse(app.config["LOGIN_FAILURES_PER_ACCOUNT"]),
            "address": parse(app.config["LOGIN_FAILURES_PER_ADDRESS"]),
        }

    @staticmethod
    def _keys(email: str, address: str):
        state = current_app.extensions["login_throttle"]
        yield state["limiter"], state["account"], ("login-account", email.lower())
        yield state["limiter"], state["address"], ("login-address", address)

    def check(self, email: str, address: str) -> None:
        """Raise TooManyRequests, with Retry-After, when either limit is used up."""
        for limiter, limit, key in self._keys(email, address):
            if not limiter.test(limit, *key):
                reset_at = limiter.get_window_stats(limit, *key).reset_time
                retry_after = max(1, math.ceil(reset_at - time.time()))
                raise TooManyRequests(
                    "Too many failed sign-ins. Wait before trying again.",
                    headers={"Retry-After": str(retry_after)},
                )

    def record_failure(self, email: str, address: str) -> None:
        """Count one failed sign-in against the account and the address."""
        for limiter, limit, key in self._keys(email, address):
            limiter.hit(limit, *key)

    def forget_account(self, email: str) -> None:
        """Clear the account's failures after a successful sign-in."""
        limiter, limit, key = next(self._keys(email, ""))
        limiter.clear(limit, *key)


login_throttle = LoginThrottle()
