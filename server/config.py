"""Settings read from the environment; nothing here connects to anything."""

import os
import secrets
from datetime import timedelta
from pathlib import Path


def _secret_key(instance_path: Path) -> str:
    """Return SECRET_KEY from the environment, or one generated once and kept under instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _limits_uri(redis_url: str | None) -> str:
    """The limits library's name for a Redis URL (it spells unix sockets redis+unix://)."""
    if not redis_url:
        return "memory://"
    return "redis+" + redis_url if redis_url.startswith("unix://") else redis_url


MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


def from_environment(instance_path: str, overrides: dict) -> dict:
    """Build the settings for create_app from environment variables, except those overridden."""
    instance = Path(instance_path)
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'safeloop.db'}"
    redis_url = os.environ.get("REDIS_URL")
    return {
        "SECRET_KEY": overrides.get("SECRET_KEY") or _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": os.environ.get("MEDIA_ROOT") or str(instance / "media"),
        # Failed sign-in counters live in Redis when there is one, so all web workers share them.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI") or _limits_uri(redis_url),
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "").lower() == "true",
        # How many reverse proxies in front of the app may set X-Forwarded-For/-Proto/-Host.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        # The memory one photo upload may take to decode: images that would need more are refused
        # before anything is decoded.
        "PHOTO_DECODE_MEMORY": int(os.environ.get("PHOTO_DECODE_MEMORY_MB", "256")) * 2**20,
        # Seconds a photo upload may send nothing before it is cut off with 408.
        "PHOTO_READ_TIMEOUT": float(os.environ.get("PHOTO_READ_TIMEOUT", "30")),
        # The worker's sweep: how often it runs, and how long a job may show no sign of life (not
        # in Redis, its worker silent, its relay gone) before it is sent again.
        "SWEEP_INTERVAL": float(os.environ.get("SWEEP_INTERVAL", "10")),
        "JOB_RESCUE_AFTER": float(os.environ.get("JOB_RESCUE_AFTER", "120")),
        # Days after an NC's last action is done before its effectiveness check (0: at once).
        "VERIFY_WAIT_DAYS": int(os.environ.get("VERIFY_WAIT_DAYS", "30")),
        # How far ahead of its day each audit of the programme is made.
        "AUDIT_PLAN_AHEAD_DAYS": int(os.environ.get("AUDIT_PLAN_AHEAD_DAYS", "30")),
        # Mail goes out through this SMTP server (smtp://user:pass@host:port, smtps://...);
        # none: nothing is mailed (reminders are still shown in the app).
        "MAIL_URL": os.environ.get("MAIL_URL") or None,
        "MAIL_FROM": os.environ.get("MAIL_FROM") or "Safeloop <safeloop@localhost>",
        # Seconds between two looks for reminders due (actions coming due, overdue, checks).
        "REMINDER_INTERVAL": int(os.environ.get("REMINDER_INTERVAL", "900")),
        # How long an invitation link and a password reset link work, and the address the links
        # in mails begin with (none: the address the request came to, which behind a proxy that
        # rewrites Host may not be the one people use).
        "INVITATION_DAYS": int(os.environ.get("INVITATION_DAYS", "7")),
        "PASSWORD_RESET_MINUTES": int(os.environ.get("PASSWORD_RESET_MINUTES", "60")),
        "PUBLIC_URL": os.environ.get("PUBLIC_URL") or None,
        # The largest file a controlled document's revision may have.
        "DOCUMENT_MAX_MB": float(os.environ.get("DOCUMENT_MAX_MB", "25")),
        # How passwords are hashed, in werkzeug's words: "scrypt" is N=2^15, r=8, p=1 (about
        # 0.1 s and 32 MB a sign-in); "scrypt:65536:8:1" costs twice that. A stored hash names
        # its own method, so changing this leaves every password working.
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD") or "scrypt",
        # An evidence bundle downloaded on the spot holds at most this many photos and MB (a
        # larger one is built by a job), and a bundle built by a job is kept this many hours.
        "EXPORT_BUNDLE_MAX_PHOTOS": int(os.environ.get("EXPORT_BUNDLE_MAX_PHOTOS", "500")),
        "EXPORT_BUNDLE_MAX_MB": float(os.environ.get("EXPORT_BUNDLE_MAX_MB", "250")),
        "EXPORT_BUNDLE_KEEP_HOURS": float(os.environ.get("EXPORT_BUNDLE_KEEP_HOURS", "24")),
    }


DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "safeloop_session",
    "PERMANENT_SESSION_LIFETIME": timedelta(days=14),
    # Sign-in throttling (the rule is in server/auth/throttle.py): failures allowed per account
    # from one address, per client address, and per account from addresses that failed on it.
    "LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS": "5 per 15 minutes",
    "LOGIN_FAILURES_PER_ADDRESS": "50 per 15 minutes",
    "LOGIN_FAILURES_PER_ACCOUNT": "10 per 15 minutes",
    # Password reset mails asked for, per client address and per email (asked or not for an
    # account that exists: the answer is the same either way).
    "RESET_REQUESTS_PER_ADDRESS": "10 per hour",
    "RESET_REQUESTS_PER_EMAIL": "3 per hour",
    # An address that signed in to an account is not held back by the account's slowdown.
    "LOGIN_KNOWN_ADDRESS_DAYS": 30,
    # While Redis is down, sign-in counts in process memory and asks Redis again this often.
    "LOGIN_THROTTLE_RECHECK": 5.0,
    # Whole request bodies above this are refused with 413 before a view runs.
    "MAX_CONTENT_LENGTH": 25 * 1024 * 1024,
    "API_TITLE": "Safeloop API",
    "API_VERSION": "1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": "/api/docs/assets/",
}
