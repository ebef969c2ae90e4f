"""Who is told: an action's owner while still an active member, the officers of a site, and
the officers (or admins) of an organization."""

from dataclasses import dataclass

from sqlalchemy import select

from server.auth.models import Membership, User, membership_site
from server.extensions import db


@dataclass(frozen=True)
class Member:
    """An active person's membership: their role and, when limited, their sites."""

    user_id: int
    name: str
    role: str
    site_ids: frozenset[int] | None

    def covers(self, site_id: int) -> bool:
        """True when the member works at this site (no limits: every site)."""
        return self.site_ids is None or site_id in self.site_ids


class People:
    """The active members of some organizations, read in two queries."""

    def __init__(self, organization_ids: set[int]):
        rows = db.session.execute(
            select(Membership.id, Membership.organization_id, Membership.user_id, Membership.role)
            .add_columns(User.name)
            .join(User, User.id == Membership.user_id)
            .where(Membership.organization_id.in_(organization_ids), Membership.active, User.active)
        ).all()
        limits: dict[int, set[int]] = {}
        for membership_id, site_id in db.session.execute(
            select(membership_site.c.membership_id, membership_site.c.site_id)
            .join(Membership, Membership.id == membership_site.c.membership_id)
            .where(Membership.organization_id.in_(organization_ids))
        ):
            limits.setdefault(membership_id, set()).add(site_id)
        self._members = {
            (org, user): Member(user, name, role, frozenset(limits[mid]) if mid in limits else None)
            for mid, org, user, role, name in rows
        }
        self._officers: dict[tuple[int, int], list[Member]] = {}

    def member(self, organization_id: int, user_id: int | None) -> Member | None:
        """The member of the organization with this user id, if active."""
        return self._members.get((organization_id, user_id))

    def officers(self, organization_id: int, site_id: int) -> list[Member]:
        """The site's officers; its admins when no officer works there."""
        key = (organization_id, site_id)
        if key not in self._officers:
            here = [
                member
                for (org, _), member in self._members.items()
                if org == organization_id and member.covers(site_id)
            ]
            officers = [member for member in here if member.role == "officer"]
            self._officers[key] = officers or [m for m in here if m.role == "admin"]
        return self._officers[key]

    def admins(self, organization_id: int) -> list[Member]:
        """The organization's admins."""
        return [
            member
            for (org, _), member in self._members.items()
            if org == organization_id and member.role == "admin"
        ]

    def organization_officers(self, organization_id: int) -> list[Member]:
        """Every officer of the organization, whatever their sites; its admins when it has none."""
        officers = [
            member
            for (org, _), member in self._members.items()
            if org == organization_id and member.role == "officer"
        ]
        return officers or self.admins(organization_id)
