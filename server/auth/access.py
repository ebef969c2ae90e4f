"""Access control in one place: who is asking, what role they hold, and what they may see."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import g, session
from flask_login import current_user
from sqlalchemy import Select, select

from server.auth.sessions import live_session
from server.exceptions import NotAllowed, NotFound, SignInRequired
from server.extensions import db, login_manager

# Workers and auditors see the records they made themselves; officers and admins see all.
OWN_RECORDS_ONLY = frozenset({"worker", "auditor"})
# Where the session cookie carries the server-side session's token.
SESSION_TOKEN_KEY = "token"


@dataclass(frozen=True)
class Actor:
    """The signed-in user as services see them: plain values, no request."""

    membership_id: int
    user_id: int
    organization_id: int
    role: str
    # None means every site of the organization.
    site_ids: frozenset[int] | None

    def may_see_site(self, site_id: int) -> bool:
        """True when the actor's site limits allow this site."""
        return self.site_ids is None or site_id in self.site_ids

    def scope(self, stmt: Select, model) -> Select:
        """Limit a query on model to the actor's organization, sites and, by role, own records."""
        stmt = stmt.where(model.organization_id == self.organization_id)
        site_column = getattr(model, "site_id", None)
        if self.site_ids is not None and site_column is not None:
            stmt = stmt.where(site_column.in_(self.site_ids))
        owner = getattr(model, "__owner_column__", None)
        if owner and self.role in OWN_RECORDS_ONLY:
            stmt = stmt.where(getattr(model, owner) == self.user_id)
        return stmt

    def get_or_404(self, model, object_id):
        """Load one object the actor may see, or raise NotFound (never revealing it exists)."""
        found = db.session.scalar(self.scope(select(model), model).where(model.id == object_id))
        if found is None:
            raise NotFound(f"No {model.__name__.lower()} with id {object_id}.")
        return found


def actor_for(membership) -> Actor:
    """Build the Actor of a membership."""
    sites = frozenset(site.id for site in membership.sites) or None
    return Actor(
        membership.id, membership.user_id, membership.organization_id, membership.role, sites
    )


def current_actor() -> Actor:
    """The Actor of this request; SignInRequired when nobody is signed in."""
    if "actor" in g:
        return g.actor
    if not current_user.is_authenticated:
        raise SignInRequired("Sign in to continue.")
    membership = next(
        (
            m
            for m in current_user.memberships
            if m.organization_id == session.get("organization_id") and m.active
        ),
        None,
    )
    if membership is None:
        raise SignInRequired("Your membership has ended; sign in again.")
    g.actor = actor_for(membership)
    return g.actor


def role_required(*roles: str) -> Callable:
    """Let a view run only for a member holding one of roles (any role when none are given)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            actor = current_actor()
            if roles and actor.role not in roles:
                raise NotAllowed(f"This needs the role {' or '.join(roles)}.")
            return view(*args, **kwargs)

        return wrapper

    return decorator


@login_manager.user_loader
def load_user(user_id: str):
    """The user of this request's session, when the session is live on the server."""
    record = live_session(session.get(SESSION_TOKEN_KEY))
    if record is None or str(record.user_id) != user_id:
        return None
    return record.user


@login_manager.unauthorized_handler
def unauthorized():
    """flask-login's refusal, in the API's error shape."""
    raise SignInRequired("Sign in to continue.")
