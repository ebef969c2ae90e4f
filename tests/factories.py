"""Make records for tests, committed, with sensible defaults."""

import itertools

from server.auth.models import Membership, User
from server.extensions import db
from server.orgs.models import Organization, Site

PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


def make_organization(name: str | None = None) -> Organization:
    organization = Organization(name=name or f"Organization {next(_numbers)}")
    db.session.add(organization)
    db.session.commit()
    return organization


def make_site(organization: Organization, code: str | None = None, name: str | None = None) -> Site:
    number = next(_numbers)
    site = Site(organization=organization, code=code or f"S{number}", name=name or f"Site {number}")
    db.session.add(site)
    db.session.commit()
    return site


def make_user(
    organization: Organization,
    role: str = "worker",
    sites: list[Site] = (),
    email: str | None = None,
    password: str = PASSWORD,
) -> User:
    user = User(email=email or f"user{next(_numbers)}@example.test", name="Test User")
    user.set_password(password)
    db.session.add(Membership(user=user, organization=organization, role=role, sites=list(sites)))
    db.session.commit()
    return user
