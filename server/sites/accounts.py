"""What a person does with an account link: accept an invitation, ask for and complete a password
reset. Nobody is signed in yet; the link's token says who they are."""

from datetime import timedelta

from server.auth.directory import active_membership
from server.auth.models import INVITATION, PASSWORD_RESET, AccountToken, Membership
from server.auth.passwords import check_new_password, personal_words
from server.auth.services import find_user, first_active_membership
from server.auth.sessions import revoke_all_sessions
from server.auth.throttle import login_throttle
from server.auth.tokens import issue, link, peek, redeem
from server.events.services import record_event
from server.exceptions import Conflict, InvalidInput
from server.extensions import db
from server.mail.smtp import mail_enabled
from server.sites import letters
from server.sites.people import USER, reset_minutes

SENT = (
    "If this email belongs to an account, a link to reset its password is on its way. "
    "It works once, for {minutes} minutes."
)
NO_MAIL = "This server sends no mail: ask your admin for a password reset link."


def _invited_membership(found: AccountToken) -> Membership:
    """The membership an invitation is for, while the admin has not ended it."""
    membership = active_membership(found.organization_id, found.user_id)
    if membership is None:
        message = "This invitation has been withdrawn: ask your admin."
        raise Conflict(message, errors={"token": [message]})
    return membership


def check_invitation(token: str) -> dict:
    """Who an invitation is for, to greet them before they choose a password."""
    found = peek(token, INVITATION)
    membership = _invited_membership(found)
    return {
        "email": found.user.email,
        "name": found.user.name,
        "organization": membership.organization.name,
        "expires_at": found.expires_at,
        "existing_account": found.user.password_hash != "",
    }


def accept_invitation(token: str, password: str, address: str) -> Membership:
    """Set the invited person's first password (or check the one they have) and use the link;
    the membership to sign in to."""
    found = peek(token, INVITATION)
    membership = _invited_membership(found)
    user = found.user
    if user.password_hash == "":
        check_new_password(password, personal_words(user.email, user.name))
        user.set_password(password)
    else:
        _check_current_password(user, password, address)
    redeem(token, INVITATION)
    record_event(membership.organization_id, user.id, USER, user.id, "accepted")
    db.session.commit()
    return membership


def _check_current_password(user, password: str, address: str) -> None:
    """A person with an account joins with the password they have, throttled like sign-in."""
    login_throttle.check(user.email, address)
    if not user.check_password(password):
        login_throttle.record_failure(user.email, address)
        raise InvalidInput(errors={"password": ["This is not the password of your account."]})
    login_throttle.record_success(user.email, address)


def request_reset(email: str, address: str, base_url: str) -> tuple[dict, tuple | None]:
    """The same answer whether or not the email has an account, and, when it has one and mail
    is set up, the mail to send it (to, subject, text) with a new reset link."""
    login_throttle.count_reset_request(email, address)
    if not mail_enabled():
        return {"mail": False, "detail": NO_MAIL}, None
    minutes = reset_minutes()
    answer = {"mail": True, "detail": SENT.format(minutes=minutes)}
    user = find_user(email)
    membership = first_active_membership(user) if user and user.active else None
    if membership is None or user.password_hash == "":
        return answer, None
    token = issue(PASSWORD_RESET, user.id, timedelta(minutes=minutes))
    record_event(membership.organization_id, None, USER, user.id, "reset_requested")
    db.session.commit()
    url = link(base_url, PASSWORD_RESET, token)
    return answer, (user.email, *letters.password_reset(user.name, url, minutes))


def _reset_membership(found: AccountToken) -> Membership:
    """The membership a reset signs in to: the admin's organization, or the person's first."""
    user = found.user
    membership = None
    if found.organization_id is not None:
        membership = active_membership(found.organization_id, user.id)
    membership = membership or (first_active_membership(user) if user.active else None)
    if membership is None:
        message = "This account is not an active member of any organization: ask your admin."
        raise Conflict(message, errors={"token": [message]})
    return membership


def complete_reset(token: str, password: str, address: str) -> Membership:
    """Set a new password with a reset link: every session of the person ends, their sign-in
    counts are cleared; the membership to sign in to."""
    found = peek(token, PASSWORD_RESET)
    membership = _reset_membership(found)
    user = found.user
    check_new_password(password, personal_words(user.email, user.name))
    user.set_password(password)
    redeem(token, PASSWORD_RESET)
    revoke_all_sessions(user.id)
    record_event(membership.organization_id, user.id, USER, user.id, "password_reset")
    db.session.commit()
    login_throttle.record_reset(user.email, address)
    return membership
