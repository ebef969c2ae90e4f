"""People for tests: members made quickly, and competence records made directly."""

import uuid
from datetime import date
from functools import cache

from werkzeug.security import generate_password_hash

from server.auth.models import Membership, User
from server.extensions import db
from server.people.models import INTERNAL_AUDIT, Competence
from tests.factories import PASSWORD, PASSWORD_HASH_METHOD


def grant(
    user,
    organization,
    completed_on: date = date(2020, 1, 1),
    expires_on: date | None = None,
    module: str = INTERNAL_AUDIT,
) -> Competence:
    """Record that user completed module on completed_on (valid until expires_on, if given)."""
    record = Competence(
        organization_id=organization.id,
        user_id=user.id,
        module=module,
        title=f"{module} training",
        completed_on=completed_on,
        expires_on=expires_on,
    )
    db.session.add(record)
    db.session.commit()
    return record


@cache
def _password_hash() -> str:
    """PASSWORD's scrypt hash, made once: hashing it for every person is most of a setup."""
    return generate_password_hash(PASSWORD, method=PASSWORD_HASH_METHOD)


def make_member(organization, role: str = "worker", sites=(), name: str = "Test User") -> User:
    """tests.factories.make_user without hashing the password anew: signs in with PASSWORD."""
    user = User(
        email=f"member-{uuid.uuid4().hex[:12]}@example.test",
        name=name,
        password_hash=_password_hash(),
    )
    db.session.add(Membership(user=user, organization=organization, role=role, sites=list(sites)))
    db.session.commit()
    return user
