"""Failed sign-in throttling that slows guessing down without locking the real person out.

Every failed sign-in counts three times, in moving windows (the limits library):

- per account and address (LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS, 5 per 15 minutes): strict.
  Once used up, that address may not try that account again until the oldest failure ages out.
- per address (LOGIN_FAILURES_PER_ADDRESS, 50 per 15 minutes): broad, against one address
  trying many accounts; wide enough for a crew behind one NAT mistyping now and then.
- per account (LOGIN_FAILURES_PER_ACCOUNT, 10 per 15 minutes): a slowdown only. It holds back
  the addresses that have already failed on that account, never an address without failures,
  and never an address that signed in to the account in the last LOGIN_KNOWN_ADDRESS_DAYS
  (the person's own phone, even after a typo). So a stranger guessing a worker's password, from
  one address or many, cannot stop the worker signing in from their own phone; a guesser with
  many addresses gets one try per new address and then shares the account's small allowance.

A correct password clears only its own account-and-address count: signing in to one's own
account must not reset an address's count, or an attacker with an account could launder it.
A completed password reset (the link in a mail, or one an admin made) clears the account's
count and the resetting address's, so a reset link always gets the person back in.
Refused attempts are not checked and not counted. The answer names the real wait (the moment a
failure leaves its window) in Retry-After and in words.

Password reset mails are limited per address and per email (RESET_REQUESTS_PER_ADDRESS and
_PER_EMAIL), counted alike whether or not the email has an account, with the same kind of answer.

The client address is request.remote_addr, which ProxyFix sets from X-Forwarded-For only for the
TRUSTED_PROXIES proxies in front of the app (none by default, so a forged header changes nothing).

The counters live in Redis (RATELIMIT_STORAGE_URI), shared by every web process. When Redis
cannot be reached, each process counts in its own memory with the same limits and logs a warning,
and goes back to Redis once it answers again (tried at most every LOGIN_THROTTLE_RECHECK seconds).
"""

import logging
import math
import time
from dataclasses import dataclass

from flask import Flask, current_app
from limits import RateLimitItem, RateLimitItemPerDay, parse
from limits.errors import StorageError
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from server.exceptions import RateLimited

log = logging.getLogger(__name__)

# A Redis that hangs must not hang sign-in: give up on it quickly and count locally.
REDIS_TIMEOUTS = {"socket_timeout": 2.0, "socket_connect_timeout": 2.0}


def wait_in_words(seconds: int) -> str:
    """'45 seconds', '1 minute', '4 minutes': a wait rounded up to what a person reads."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class FallbackLimiter:
    """A moving-window limiter on a shared storage, or on process memory while that is down."""

    def __init__(self, uri: str, recheck_seconds: float):
        options = {"wrap_exceptions": True}
        if not uri.startswith("memory"):
            options.update(REDIS_TIMEOUTS)
        self._shared_storage = storage_from_string(uri, **options)
        self._shared = MovingWindowRateLimiter(self._shared_storage)
        self._local = MovingWindowRateLimiter(MemoryStorage())
        self._recheck_seconds = recheck_seconds
        self._down_since: float | None = None
        self._last_check = 0.0

    @property
    def using_fallback(self) -> bool:
        """True while counting in process memory because the shared storage is unreachable."""
        return self._down_since is not None

    def _limiter(self) -> MovingWindowRateLimiter:
        if self._down_since is None:
            return self._shared
        now = time.monotonic()
        if now - self._last_check >= self._recheck_seconds:
            self._last_check = now
            if self._shared_storage.check():
                log.info("Sign-in throttle: the limits storage answers again; counting there.")
                self._down_since = None
                return self._shared
        return self._local

    def call(self, method: str, *args):
        """Run a limiter method on the shared storage, or locally when it cannot be reached."""
        limiter = self._limiter()
        try:
            return getattr(limiter, method)(*args)
        except StorageError as error:
            if limiter is self._local:
                raise
            log.warning(
                "Sign-in throttle: limits storage unreachable (%s); counting in this process.",
                error.storage_error,
            )
            self._down_since = self._last_check = time.monotonic()
            return getattr(self._local, method)(*args)


@dataclass(frozen=True)
class _Limits:
    pair: RateLimitItem
    address: RateLimitItem
    account: RateLimitItem
    # One hit marks an address as having signed in to an account.
    known: RateLimitItem
    reset_address: RateLimitItem
    reset_email: RateLimitItem


def _refusal(subject: str, windows) -> None:
    """Raise RateLimited naming the real wait when any of windows is used up."""
    waits = [window.reset_time for window in windows if window.remaining <= 0]
    if waits:
        seconds = max(1, math.ceil(max(waits) - time.time()))
        raise RateLimited(
            f"Too many {subject}. Try again in {wait_in_words(seconds)}.", retry_after=seconds
        )


class LoginThrottle:
    """Counts failed sign-ins and refuses attempts that the rule above holds back."""

    def init_app(self, app: Flask) -> None:
        """Bind the counters' storage (Redis when configured, else process memory)."""
        app.extensions["login_throttle"] = (
            FallbackLimiter(
                app.config["RATELIMIT_STORAGE_URI"], app.config["LOGIN_THROTTLE_RECHECK"]
            ),
            _Limits(
                pair=parse(app.config["LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS"]),
                address=parse(app.config["LOGIN_FAILURES_PER_ADDRESS"]),
                account=parse(app.config["LOGIN_FAILURES_PER_ACCOUNT"]),
                known=RateLimitItemPerDay(1, app.config["LOGIN_KNOWN_ADDRESS_DAYS"]),
                reset_address=parse(app.config["RESET_REQUESTS_PER_ADDRESS"]),
                reset_email=parse(app.config["RESET_REQUESTS_PER_EMAIL"]),
            ),
        )

    @staticmethod
    def _state() -> tuple[FallbackLimiter, _Limits]:
        return current_app.extensions["login_throttle"]

    @staticmethod
    def _keys(account: str, address: str) -> dict[str, tuple[str, ...]]:
        """The identifiers each limit counts under."""
        account = account.strip().lower()
        return {
            "pair": ("login-pair", account, address),
            "address": ("login-address", address),
            "account": ("login-account", account),
            "known": ("login-known", account, address),
        }

    def check(self, account: str, address: str) -> None:
        """Raise RateLimited, saying the real wait, when this attempt is held back."""
        limiter, limits = self._state()
        keys = self._keys(account, address)
        pair = limiter.call("get_window_stats", limits.pair, *keys["pair"])
        others = [(limits.address, keys["address"])]
        if pair.remaining < limits.pair.amount and not self._known(account, address):
            # This address has failed on this account before: the account's slowdown applies.
            others.append((limits.account, keys["account"]))
        windows = [pair] + [limiter.call("get_window_stats", lim, *key) for lim, key in others]
        _refusal("failed sign-ins", windows)

    def _known(self, account: str, address: str) -> bool:
        """True when this address signed in to this account lately."""
        limiter, limits = self._state()
        known = limiter.call(
            "get_window_stats", limits.known, *self._keys(account, address)["known"]
        )
        return known.remaining <= 0

    def record_failure(self, account: str, address: str) -> None:
        """Count one failed sign-in against the pair, the address and the account."""
        limiter, limits = self._state()
        keys = self._keys(account, address)
        for name in ("pair", "address", "account"):
            limiter.call("hit", getattr(limits, name), *keys[name])

    def record_success(self, account: str, address: str) -> None:
        """Forget this address's failures on this account (and nothing else); remember that
        the address signed in to it."""
        limiter, limits = self._state()
        keys = self._keys(account, address)
        limiter.call("clear", limits.pair, *keys["pair"])
        # Cleared and hit again, so the mark lasts its days from the latest sign-in.
        limiter.call("clear", limits.known, *keys["known"])
        limiter.call("hit", limits.known, *keys["known"])

    def record_reset(self, account: str, address: str) -> None:
        """A password reset was completed from address: clear the account's count as well."""
        limiter, limits = self._state()
        limiter.call("clear", limits.account, *self._keys(account, address)["account"])
        self.record_success(account, address)

    def count_reset_request(self, email: str, address: str) -> None:
        """Count one password reset request, or raise RateLimited (with the wait) past a limit."""
        limiter, limits = self._state()
        counted = (
            (limits.reset_address, ("reset-address", address)),
            (limits.reset_email, ("reset-email", email.strip().lower())),
        )
        _refusal(
            "password reset requests",
            [limiter.call("get_window_stats", lim, *key) for lim, key in counted],
        )
        for lim, key in counted:
            limiter.call("hit", lim, *key)


login_throttle = LoginThrottle()
