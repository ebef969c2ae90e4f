"""An admin's changes to the people of the organization: invite, change role and sites,
deactivate and reactivate, and make a new invitation or password reset link.

These live above auth because each change goes in the event log and links go out by mail.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from server.auth.access import Actor
from server.auth.directory import membership_of, person, status_of
from server.auth.models import INVITATION, PASSWORD_RESET, Membership, User
from server.auth.services import find_user
from server.auth.sessions import revoke_all_sessions
from server.auth.tokens import issue, link
from server.events.services import record_event
from server.exceptions import Conflict, InvalidInput
from server.extensions import db
from server.orgs.models import Organization, Site
from server.sites import letters

USER = "user"


def invitation_days() -> int:
    return current_app.config["INVITATION_DAYS"]


def reset_minutes() -> int:
    return current_app.config["PASSWORD_RESET_MINUTES"]


def _sites(actor: Actor, site_ids: list[int] | None) -> list[Site]:
    """The actor's organization's sites with these ids; InvalidInput naming the others."""
    if not site_ids:
        return []
    wanted = sorted(set(site_ids))
    found = list(
        db.session.scalars(
            select(Site).where(Site.organization_id == actor.organization_id, Site.id.in_(wanted))
        )
    )
    unknown = sorted(set(wanted) - {site.id for site in found})
    if unknown:
        listed = ", ".join(str(number) for number in unknown)
        raise InvalidInput(errors={"site_ids": [f"No site of your organization: {listed}."]})
    return found


def _new_member(actor: Actor, email: str, name: str) -> tuple[User, bool]:
    """The user to invite (existing elsewhere, or new without a password) and whether they exist."""
    user = find_user(email)
    if user is None:
        user = User(email=email, name=name, password_hash="")
        db.session.add(user)
        return user, False
    taken = next((m for m in user.memberships if m.organization_id == actor.organization_id), None)
    if taken is not None:
        hint = "reactivate them" if not taken.active else "open them in the people list"
        message = f"{user.email} is already a member of your organization: {hint}."
        raise Conflict(message, errors={"email": [message]})
    return user, user.password_hash != ""


def invite(actor: Actor, base_url: str, email: str, name: str, role: str, site_ids=None) -> dict:
    """Add a person with a role (and sites) and make their invitation link, mailed when mail
    is set up; someone with an account elsewhere keeps their password."""
    sites = _sites(actor, site_ids)
    user, existing = _new_member(actor, email.strip().lower(), name)
    membership = Membership(
        user=user, organization_id=actor.organization_id, role=role, sites=sites
    )
    db.session.add(membership)
    db.session.flush()
    record_event(
        actor.organization_id, actor.user_id, USER, user.id, "invited",
        role=role, site_ids=[s.id for s in sites] or None, existing_account=existing,
    )  # fmt: skip
    return _send_invitation(actor, membership, base_url)


def reinvite(actor: Actor, user_id: int, base_url: str) -> dict:
    """A fresh invitation link for a person (their older links stop working)."""
    membership = membership_of(actor, user_id)
    if status_of(membership) == "deactivated":
        raise Conflict("This person is deactivated: reactivate them before inviting them again.")
    record_event(actor.organization_id, actor.user_id, USER, user_id, "invitation_renewed")
    return _send_invitation(actor, membership, base_url)


def _send_invitation(actor: Actor, membership: Membership, base_url: str) -> dict:
    """Make the link, commit, then mail it: the answer carries the link either way."""
    user = membership.user
    token = issue(
        INVITATION,
        user.id,
        timedelta(days=invitation_days()),
        actor.organization_id,
        actor.user_id,
    )
    db.session.commit()
    url = link(base_url, INVITATION, token)
    existing = user.password_hash != ""
    organization = db.session.get(Organization, actor.organization_id)
    inviter = db.session.get(User, actor.user_id)
    subject, text = letters.invitation(
        user.name, organization.name, inviter.name, url, invitation_days(), existing
    )
    sent = letters.send_quietly(user.email, subject, text)
    return {**person(membership), "invitation_url": url, "mail_sent": sent,
            "existing_account": existing}  # fmt: skip


def reset_link(actor: Actor, user_id: int, base_url: str) -> dict:
    """A password reset link an admin gives a person (mailed too when mail is set up)."""
    membership = membership_of(actor, user_id)
    state = status_of(membership)
    if state != "active":
        advice = "send a new invitation" if state == "invited" else "reactivate them first"
        raise Conflict(f"This person is {state}: {advice}.")
    token = issue(
        PASSWORD_RESET,
        user_id,
        timedelta(minutes=reset_minutes()),
        actor.organization_id,
        actor.user_id,
    )
    record_event(actor.organization_id, actor.user_id, USER, user_id, "reset_link_made")
    db.session.commit()
    url = link(base_url, PASSWORD_RESET, token)
    subject, text = letters.password_reset(membership.user.name, url, reset_minutes())
    return {
        "reset_url": url,
        "mail_sent": letters.send_quietly(membership.user.email, subject, text),
    }


def _other_active_admins(membership: Membership) -> int:
    """How many other people can sign in as admins of this organization."""
    return db.session.scalar(
        select(func.count(Membership.id))
        .join(Membership.user)
        .where(
            Membership.organization_id == membership.organization_id,
            Membership.id != membership.id,
            Membership.role == "admin",
            Membership.active,
            User.active,
            User.password_hash != "",
        )
    )


def _keep_an_admin(membership: Membership, role: str, active: bool) -> None:
    """Conflict when this change would leave the organization without an active admin."""
    was_admin = membership.role == "admin" and status_of(membership) == "active"
    stays_admin = role == "admin" and active
    if was_admin and not stays_admin and _other_active_admins(membership) == 0:
        raise Conflict(
            "This is the organization's last active admin: make someone else admin first."
        )


def change_person(actor: Actor, user_id: int, **changes) -> dict:
    """Change a person's name, role, sites or whether their membership here is active."""
    membership = membership_of(actor, user_id)
    role = changes.get("role", membership.role)
    active = changes.get("active", membership.active)
    _keep_an_admin(membership, role, active)
    events = []
    if "name" in changes and changes["name"] != membership.user.name:
        membership.user.name = changes["name"]
        events.append(("renamed", {"name": changes["name"]}))
    if role != membership.role:
        events.append(("role_changed", {"from": membership.role, "to": role}))
        membership.role = role
    if "site_ids" in changes:
        events += _change_sites(actor, membership, changes["site_ids"])
    if active != membership.active:
        events.append(_set_active(membership, active))
    for action, data in events:
        record_event(actor.organization_id, actor.user_id, USER, user_id, action, **data)
    db.session.commit()
    return person(membership)


def _change_sites(actor: Actor, membership: Membership, site_ids) -> list[tuple[str, dict]]:
    """Limit the membership to these sites (none: every site); the event when they changed."""
    sites = _sites(actor, site_ids)
    before = sorted(s.id for s in membership.sites)
    after = sorted(s.id for s in sites)
    if before == after:
        return []
    membership.sites = sites
    return [("sites_changed", {"from": before or None, "to": after or None})]


def _set_active(membership: Membership, active: bool) -> tuple[str, dict]:
    """End or restore a membership; ending it ends every session of the person at once."""
    membership.active = active
    if not active:
        revoke_all_sessions(membership.user_id)
        return "deactivated", {}
    return "reactivated", {}
