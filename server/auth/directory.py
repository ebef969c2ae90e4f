"""The people of an organization as its admins and officers look them up: filtered, paged, and
each with the state of their membership (active, invited and not yet signed up, deactivated)."""

from dataclasses import dataclass

from sqlalchemy import Select, and_, exists, func, not_, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from server.auth.access import Actor
from server.auth.models import Membership, User, membership_site
from server.exceptions import NotFound
from server.extensions import db

STATUSES = ("active", "invited", "deactivated")
STATUS_LABELS = {"active": "Active", "invited": "Invited", "deactivated": "Deactivated"}
# A page is never larger than this, whatever per_page asks.
MAX_PER_PAGE = 200


@dataclass(frozen=True)
class PeopleQuery:
    """What a people list asks for; page None means every match at once (the assignee list)."""

    q: str | None = None
    role: str | None = None
    # None: active people (the list officers pick assignees from); "all": every status.
    status: str | None = None
    site_id: int | None = None
    page: int | None = None
    per_page: int = 50


def _status_condition(status: str):
    """The SQL condition of one membership status."""
    live = and_(Membership.active, User.active)
    if status == "deactivated":
        return not_(live)
    invited = User.password_hash == ""
    return and_(live, invited if status == "invited" else not_(invited))


def status_of(membership: Membership) -> str:
    """active, invited (no password set yet) or deactivated (here, or everywhere)."""
    if not (membership.active and membership.user.active):
        return "deactivated"
    return "invited" if membership.user.password_hash == "" else "active"


def _filtered(actor: Actor, query: PeopleQuery) -> Select:
    """The memberships of the actor's organization that match query (joined to their user)."""
    stmt = (
        select(Membership)
        .join(Membership.user)
        .where(Membership.organization_id == actor.organization_id)
    )
    if query.status != "all":
        stmt = stmt.where(_status_condition(query.status or "active"))
    if query.role:
        stmt = stmt.where(Membership.role == query.role)
    if query.q:
        words = query.q.strip().lower()
        stmt = stmt.where(
            or_(
                func.lower(User.name).contains(words, autoescape=True),
                User.email.contains(words, autoescape=True),
            )
        )
    if query.site_id is not None:
        stmt = stmt.where(_works_on(query.site_id))
    return stmt


def _works_on(site_id: int):
    """Memberships that may work on this site: limited to it, or to no site (every site)."""
    limited = exists().where(membership_site.c.membership_id == Membership.id)
    on_site = exists().where(
        membership_site.c.membership_id == Membership.id, membership_site.c.site_id == site_id
    )
    return or_(not_(limited), on_site)


def people(actor: Actor, query: PeopleQuery) -> tuple[list[dict], int]:
    """One page of matching people, by name, and how many match in all (two queries, or three
    with sites: the same however large the page)."""
    stmt = _filtered(actor, query)
    total = db.session.scalar(stmt.with_only_columns(func.count(Membership.id)).order_by(None))
    stmt = stmt.options(contains_eager(Membership.user), selectinload(Membership.sites))
    stmt = stmt.order_by(func.lower(User.name), User.id)
    if query.page is not None:
        size = min(query.per_page, MAX_PER_PAGE)
        stmt = stmt.limit(size).offset((query.page - 1) * size)
    return [person(m) for m in db.session.scalars(stmt)], total


def person(membership: Membership) -> dict:
    """One membership as the people API shows it."""
    user = membership.user
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "role": membership.role,
        "site_ids": [s.id for s in membership.sites] or None,
        "status": status_of(membership),
        "last_sign_in_at": user.last_sign_in_at,
        "created_at": user.created_at,
    }


def membership_of(actor: Actor, user_id: int) -> Membership:
    """A person's membership of the actor's organization (in any state), or NotFound."""
    found = db.session.scalar(
        select(Membership)
        .where(Membership.organization_id == actor.organization_id, Membership.user_id == user_id)
        .options(selectinload(Membership.user), selectinload(Membership.sites))
    )
    if found is None:
        raise NotFound(f"No user with id {user_id}.")
    return found


def active_membership(organization_id: int, user_id: int) -> Membership | None:
    """The user's membership of the organization when it, and the user, are active."""
    return db.session.scalar(
        select(Membership)
        .join(Membership.user)
        .where(
            Membership.organization_id == organization_id,
            Membership.user_id == user_id,
            Membership.active,
            User.active,
        )
    )
