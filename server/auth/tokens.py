"""Single-use, expiring account links: an invitation to set a first password, or a password reset.

The link carries a random token (secrets.token_urlsafe); the database keeps only its SHA-256, so
a copy of the table opens no account. A new link of a purpose ends the person's older unused
ones of that purpose (for an invitation: to the same organization). A link is used once.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from server.auth.models import INVITATION, AccountToken
from server.dbtypes import utcnow
from server.exceptions import Conflict, InvalidInput
from server.extensions import db

# Where each purpose's link opens in the app.
ROUTES = {INVITATION: "invitation", "password_reset": "password-reset"}
WHAT = {INVITATION: "invitation link", "password_reset": "password reset link"}
ASK_AGAIN = {
    INVITATION: "ask your admin for a new one",
    "password_reset": "ask for a new one (or ask your admin)",
}
# secrets.token_urlsafe(32) gives 43 characters; anything much longer is not one of ours.
MAX_TOKEN_LENGTH = 200


def digest(token: str) -> str:
    """The SHA-256 (hex) of a token: what the database keeps."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue(
    purpose: str,
    user_id: int,
    lifetime: timedelta,
    organization_id: int | None = None,
    created_by_id: int | None = None,
) -> str:
    """Make a link token for the person, ending their older unused ones; the caller commits."""
    now = utcnow()
    older = (
        AccountToken.user_id == user_id,
        AccountToken.purpose == purpose,
        AccountToken.used_at.is_(None),
        AccountToken.expires_at > now,
    )
    if purpose == INVITATION:
        older += (AccountToken.organization_id == organization_id,)
    db.session.execute(update(AccountToken).where(*older).values(expires_at=now))
    token = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            token_hash=digest(token),
            purpose=purpose,
            user_id=user_id,
            organization_id=organization_id,
            created_by_id=created_by_id,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    return token


def _refuse(purpose: str, kind: type, reason: str) -> None:
    message = f"This {WHAT[purpose]} {reason}."
    raise kind(message, errors={"token": [message]})


def peek(token: str, purpose: str, now: datetime | None = None) -> AccountToken:
    """The live token of this purpose; a clear refusal when it is wrong, used or expired."""
    found = None
    if 0 < len(token) <= MAX_TOKEN_LENGTH:
        found = db.session.scalar(
            select(AccountToken).where(AccountToken.token_hash == digest(token))
        )
    if found is None or found.purpose != purpose:
        _refuse(purpose, InvalidInput, "is not valid: check that the whole link was opened")
    if found.used_at is not None:
        _refuse(purpose, Conflict, f"has been used already: {ASK_AGAIN[purpose]}")
    if found.expires_at <= (now or utcnow()):
        _refuse(purpose, Conflict, f"has expired or was replaced: {ASK_AGAIN[purpose]}")
    return found


def redeem(token: str, purpose: str) -> AccountToken:
    """Use a live token once: marked used in the same statement that checks it is unused, so
    two requests racing with one link cannot both succeed; the caller commits."""
    found = peek(token, purpose)
    now = utcnow()
    used = db.session.execute(
        update(AccountToken)
        .where(AccountToken.id == found.id, AccountToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:
        _refuse(purpose, Conflict, f"has been used already: {ASK_AGAIN[purpose]}")
    db.session.refresh(found)
    return found


def link(base_url: str, purpose: str, token: str) -> str:
    """The address of the app's screen for this link: <base>/#/<route>?token=<token>."""
    return f"{base_url.rstrip('/')}/#/{ROUTES[purpose]}?token={token}"
