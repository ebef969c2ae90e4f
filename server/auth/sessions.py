"""Server-side sign-in sessions: the cookie carries a random token, the database says if it lives.

A session lives while it is not revoked, not past expires_at, and its user is active. Every
request looks its token up; logout revokes one session, a password change or deactivation revokes
all of a user's. The database keeps only a SHA-256 of each token, so a copy of the table signs
nobody in. Sessions end after PERMANENT_SESSION_LIFETIME without use: last_seen_at and expires_at
move forward when a request comes at least a minute after the last recorded one, so a busy
session costs one small write a minute, not one per request.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import joinedload

from server.auth.models import Membership, User, UserSession
from server.dbtypes import utcnow
from server.extensions import db

TOUCH_EVERY = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _lifetime() -> timedelta:
    return current_app.config["PERMANENT_SESSION_LIFETIME"]


def start_session(user: User) -> str:
    """Open a new session for user (dropping their dead ones); return the token for the cookie."""
    now = utcnow()
    db.session.execute(
        delete(UserSession).where(
            UserSession.user_id == user.id,
            or_(UserSession.revoked_at.is_not(None), UserSession.expires_at <= now),
        )
    )
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            token_hash=_digest(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + _lifetime(),
        )
    )
    user.last_sign_in_at = now
    db.session.commit()
    return token


def live_session(token: str | None) -> UserSession | None:
    """The live session of this token, with its user loaded; None when it has ended."""
    if not token or not isinstance(token, str):
        return None
    record = db.session.scalar(
        select(UserSession)
        .where(UserSession.token_hash == _digest(token))
        .options(
            joinedload(UserSession.user).joinedload(User.memberships).selectinload(Membership.sites)
        )
    )
    now = utcnow()
    if record is None or record.revoked_at is not None or record.expires_at <= now:
        return None
    if not record.user.active:
        return None
    if now - record.last_seen_at >= TOUCH_EVERY:
        _touch(record.id, now)
    return record


def _touch(session_id: int, now: datetime) -> None:
    """Record use and push the expiry on, in a transaction of its own (GETs commit nothing)."""
    with db.engine.begin() as connection:
        connection.execute(
            update(UserSession)
            .where(UserSession.id == session_id, UserSession.last_seen_at <= now - TOUCH_EVERY)
            .values(last_seen_at=now, expires_at=now + _lifetime())
        )


def revoke_session(token: str | None) -> None:
    """End the session of this token (nothing happens for an unknown one); the caller commits."""
    if token and isinstance(token, str):
        db.session.execute(
            update(UserSession)
            .where(UserSession.token_hash == _digest(token), UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )


def revoke_all_sessions(user_id: int) -> None:
    """End every session of a user, wherever it is used; the caller commits."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
