"""/api/auth: sign in, sign out, who am I."""

from flask import request, session
from flask_login import login_user, logout_user
from flask_smorest import Blueprint

from server.auth import services
from server.auth.access import current_actor, role_required
from server.auth.models import Membership
from server.auth.schemas import LoginIn, MemberOut, MembersIn, MeOut
from server.extensions import db

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Sign-in")


@blp.post("/login")
@blp.arguments(LoginIn)
@blp.response(200, MeOut)
def login(credentials):
    """Start a session (a cookie); 401 on wrong credentials, 429 after too many failures."""
    membership = services.authenticate(
        credentials["email"], credentials["password"], request.remote_addr or "unknown"
    )
    session.clear()
    login_user(membership.user)
    session["organization_id"] = membership.organization_id
    session.permanent = True
    return services.describe(membership)


@blp.post("/logout")
@blp.response(204)
def logout():
    """End the session."""
    logout_user()
    session.clear()


@blp.get("/me")
@role_required()
@blp.response(200, MeOut)
def me():
    """The signed-in user, their organization, role and sites."""
    membership = db.session.get(Membership, current_actor().membership_id)
    return services.describe(membership)


users_blp = Blueprint("users", __name__, url_prefix="/api/users", description="People")


@users_blp.get("")
@role_required("officer", "admin")
@users_blp.arguments(MembersIn, location="query")
@users_blp.response(200, MemberOut(many=True))
def list_members(args):
    """The people of my organization (for example, officers to assign a report to)."""
    return services.members(current_actor(), args.get("role"))
