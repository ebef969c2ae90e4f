"""Accounts: sign-in checks, creating users, changing passwords and deactivating users."""

import functools

from flask import current_app
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from server.auth.access import Actor, actor_for
from server.auth.models import ROLES, Membership, User
from server.auth.passwords import check_new_password, personal_words
from server.auth.sessions import revoke_all_sessions, revoke_session
from server.auth.throttle import login_throttle
from server.exceptions import InvalidInput, NotFound, SignInRequired
from server.extensions import db
from server.orgs.models import Organization, Site


@functools.cache
def _unknown_user_hash(method: str) -> str:
    """Checked when the email is unknown, so a wrong email costs as long as a wrong password."""
    return generate_password_hash("no such user", method=method)


def find_user(email: str) -> User | None:
    """The user with this email, compared case-insensitively."""
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def authenticate(email: str, password: str, address: str) -> Membership:
    """Return the membership of a correct, active sign-in; count and throttle failures."""
    login_throttle.check(email, address)
    user = find_user(email)
    if user is None:
        unknown = _unknown_user_hash(current_app.config["PASSWORD_HASH_METHOD"])
        User(password_hash=unknown).check_password(password)
    if user is None or not user.check_password(password) or not user.is_active:
        login_throttle.record_failure(email, address)
        raise SignInRequired("Wrong email or password.")
    login_throttle.record_success(email, address)
    membership = first_active_membership(user)
    if membership is None:
        raise SignInRequired(
            "This account is not an active member of any organization: ask your admin."
        )
    return membership


def first_active_membership(user: User) -> Membership | None:
    """The membership a sign-in opens: the oldest one an admin has not ended."""
    return next((m for m in user.memberships if m.active), None)


def sign_out(token: str | None) -> None:
    """End the session of this token on the server."""
    revoke_session(token)
    db.session.commit()


def describe(membership: Membership) -> dict:
    """The 'me' view of a membership: user, organization, role and usable sites."""
    actor: Actor = actor_for(membership)
    sites = [s for s in membership.organization.sites if actor.may_see_site(s.id)]
    return {
        "user": membership.user,
        "organization": membership.organization,
        "role": membership.role,
        "sites": sites,
    }


def create_user(
    email: str,
    name: str,
    password: str,
    organization_name: str,
    role: str,
    site_codes: tuple[str, ...] = (),
) -> User:
    """Create a user with a membership, making the organization if it is new."""
    if role not in ROLES:
        raise InvalidInput(errors={"role": [f"Must be one of {', '.join(ROLES)}."]})
    check_new_password(password, personal_words(email, name))
    if find_user(email):
        raise InvalidInput(errors={"email": ["A user with this email exists."]})
    organization = db.session.scalar(
        select(Organization).where(Organization.name == organization_name)
    )
    if organization is None:
        organization = Organization(name=organization_name)
        db.session.add(organization)
    sites = _sites_by_code(organization, site_codes)
    user = User(email=email, name=name)
    user.set_password(password)
    db.session.add(Membership(user=user, organization=organization, role=role, sites=sites))
    db.session.commit()
    return user


def _sites_by_code(organization: Organization, codes: tuple[str, ...]) -> list[Site]:
    """The organization's sites with these codes; InvalidInput naming any that do not exist."""
    by_code = {site.code: site for site in organization.sites}
    unknown = [code for code in codes if code.upper() not in by_code]
    if unknown:
        raise InvalidInput(errors={"site": [f"Unknown site code: {', '.join(unknown)}."]})
    return [by_code[code.upper()] for code in codes]


def _user(user_id: int) -> User:
    """The user with this id, or NotFound."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"No user with id {user_id}.")
    return user


def change_password(user_id: int, current: str, new: str, address: str) -> User:
    """Set a new password after checking the current one; every session of the user ends."""
    user = _user(user_id)
    login_throttle.check(user.email, address)
    if not user.check_password(current):
        login_throttle.record_failure(user.email, address)
        raise InvalidInput(errors={"current_password": ["This is not your current password."]})
    check_new_password(new, personal_words(user.email, user.name), field="new_password")
    user.set_password(new)
    revoke_all_sessions(user.id)
    db.session.commit()
    return user


def deactivate_user(user_id: int) -> User:
    """Stop a user signing in, and end every session they have at once."""
    user = _user(user_id)
    user.active = False
    revoke_all_sessions(user.id)
    db.session.commit()
    return user
