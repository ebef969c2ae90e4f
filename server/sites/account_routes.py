"""Admins changing people (/api/users) and people using account links (/api/auth/invitations,
/api/auth/password-reset), on the blueprints of server.auth.routes: they write the event log and
send mail, which stand above auth."""

from flask import current_app, request

from server.auth.access import current_actor, role_required
from server.auth.routes import blp as auth_blp
from server.auth.routes import client_address, sign_in, users_blp
from server.auth.schemas import (
    InvitationOut,
    InvitedOut,
    InviteIn,
    MemberChangeIn,
    MemberOut,
    MeOut,
    ResetLinkOut,
    ResetRequestIn,
    ResetRequestOut,
    TokenIn,
    TokenPasswordIn,
)
from server.auth.services import describe
from server.sites import accounts, letters, people


def base_url() -> str:
    """Where links in mails begin: PUBLIC_URL, or the address this request came to."""
    return current_app.config["PUBLIC_URL"] or request.host_url


@users_blp.post("")
@role_required("admin")
@users_blp.arguments(InviteIn)
@users_blp.response(201, InvitedOut)
def invite_person(data):
    """Invite a person: their invitation link is mailed when mail is set up, and answered."""
    return people.invite(current_actor(), base_url(), **data)


@users_blp.post("/<int:user_id>/invitation")
@role_required("admin")
@users_blp.response(201, InvitedOut)
def renew_invitation(user_id):
    """A new invitation link for a person; their older links stop working."""
    return people.reinvite(current_actor(), user_id, base_url())


@users_blp.patch("/<int:user_id>")
@role_required("admin")
@users_blp.arguments(MemberChangeIn)
@users_blp.response(200, MemberOut)
def change_person(data, user_id):
    """Change a person's name, role or sites, or deactivate (their sessions end) or reactivate."""
    return people.change_person(current_actor(), user_id, **data)


@users_blp.post("/<int:user_id>/password-reset")
@role_required("admin")
@users_blp.response(201, ResetLinkOut)
def make_reset_link(user_id):
    """A password reset link to give a person (mailed too when mail is set up)."""
    return people.reset_link(current_actor(), user_id, base_url())


@auth_blp.post("/invitations/check")
@auth_blp.arguments(TokenIn)
@auth_blp.response(200, InvitationOut)
def check_invitation(data):
    """Who an invitation link is for; a clear problem when it is wrong, used or expired."""
    return accounts.check_invitation(data["token"])


@auth_blp.post("/invitations/accept")
@auth_blp.arguments(TokenPasswordIn)
@auth_blp.response(200, MeOut)
def accept_invitation(data):
    """Choose a password with an invitation link (or give yours, with an account) and sign in."""
    membership = accounts.accept_invitation(data["token"], data["password"], client_address())
    sign_in(membership.user, membership.organization_id)
    return describe(membership)


@auth_blp.post("/password-reset")
@auth_blp.arguments(ResetRequestIn)
@auth_blp.response(202, ResetRequestOut)
def request_password_reset(data):
    """Mail a reset link; the same answer whether or not the email has an account."""
    answer, mail = accounts.request_reset(data["email"], client_address(), base_url())
    if mail:
        letters.send_after_response(*mail)
    return answer


@auth_blp.post("/password-reset/complete")
@auth_blp.arguments(TokenPasswordIn)
@auth_blp.response(200, MeOut)
def complete_password_reset(data):
    """Choose a new password with a reset link: every other session ends, this one begins."""
    membership = accounts.complete_reset(data["token"], data["password"], client_address())
    sign_in(membership.user, membership.organization_id)
    return describe(membership)
