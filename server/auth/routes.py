"""/api/auth: sign in, sign out, change my password, who am I; /api/users: the people list.

The calls that change people or use account links (invitations, password resets) write the
event log and send mail, so they are added to these blueprints by server.sites.account_routes.
"""

from flask import request, session
from flask_login import login_user, logout_user
from flask_smorest import Blueprint

from server.auth import services
from server.auth.access import SESSION_TOKEN_KEY, current_actor, role_required
from server.auth.directory import PeopleQuery, membership_of, people, person
from server.auth.models import Membership, User
from server.auth.schemas import LoginIn, MemberOut, MeOut, PasswordChangeIn, PeopleIn
from server.auth.sessions import start_session
from server.extensions import db

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Sign-in")


def client_address() -> str:
    """The client's address (ProxyFix has taken it from trusted proxies' headers)."""
    return request.remote_addr or "unknown"


def sign_in(user: User, organization_id: int) -> None:
    """Open a new server-side session and put its token, and nothing older, in the cookie."""
    token = start_session(user)
    session.clear()
    login_user(user)
    session[SESSION_TOKEN_KEY] = token
    session["organization_id"] = organization_id
    session.permanent = True


@blp.post("/login")
@blp.arguments(LoginIn)
@blp.response(200, MeOut)
def login(credentials):
    """Start a session (a cookie); 401 on wrong credentials, 429 after too many failures."""
    membership = services.authenticate(
        credentials["email"], credentials["password"], client_address()
    )
    sign_in(membership.user, membership.organization_id)
    return services.describe(membership)


@blp.post("/logout")
@blp.response(204)
def logout():
    """End the session, on the server too: a copy of the cookie no longer signs anyone in."""
    services.sign_out(session.get(SESSION_TOKEN_KEY))
    logout_user()
    session.clear()


@blp.post("/password")
@role_required()
@blp.arguments(PasswordChangeIn)
@blp.response(204)
def change_password(passwords):
    """Change my password; every session of mine ends, and this one goes on with a new cookie."""
    actor = current_actor()
    user = services.change_password(
        actor.user_id,
        passwords["current_password"],
        passwords["new_password"],
        client_address(),
    )
    sign_in(user, actor.organization_id)


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
@users_blp.arguments(PeopleIn, location="query")
@users_blp.response(
    200,
    MemberOut(many=True),
    headers={
        "X-Total-Count": {"description": "How many people match", "schema": {"type": "integer"}}
    },
)
def list_people(args):
    """The people of my organization, by name: by default the active ones, all at once (for
    example, officers to assign a report to); with page, one page of them."""
    found, total = people(current_actor(), PeopleQuery(**args))
    return found, {"X-Total-Count": str(total)}


@users_blp.get("/<int:user_id>")
@role_required("officer", "admin")
@users_blp.response(200, MemberOut)
def get_person(user_id):
    """One person of my organization, in any state."""
    return person(membership_of(current_actor(), user_id))
