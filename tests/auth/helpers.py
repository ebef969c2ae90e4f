"""Helpers for the people and account-link tests: a plant's people, links, events, queries."""

import contextlib
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import event, select

from server.auth.models import AccountToken
from server.auth.tokens import digest
from server.events.models import Event
from server.extensions import db
from tests.factories import PASSWORD, make_organization, make_site, make_user

# Passwords zxcvbn accepts, for people choosing one.
NEW_PASSWORD = "lantern quarry bicycle"
OTHER_PASSWORD = "copper meadow violin"


def plant() -> dict:
    """An organization with two sites, an admin, an officer, a worker, an auditor, and another
    organization with its own admin and site."""
    organization = make_organization()
    north, south = make_site(organization, "NORTH"), make_site(organization, "SOUTH")
    other = make_organization()
    return {
        "organization": organization,
        "north": north,
        "south": south,
        "admin": make_user(organization, role="admin"),
        "officer": make_user(organization, role="officer", sites=[north]),
        "worker": make_user(organization, sites=[south]),
        "auditor": make_user(organization, role="auditor"),
        "other": other,
        "other_site": make_site(other),
        "other_admin": make_user(other, role="admin"),
    }


def signed_in(app, user, password: str = PASSWORD):
    """A new client of app, signed in as user."""
    client = app.test_client()
    answer = client.post("/api/auth/login", json={"email": user.email, "password": password})
    assert answer.status_code == 200, answer.json
    return client


def token_of(url: str) -> str:
    """The token of a link <base>/#/<route>?token=..."""
    fragment = urlsplit(url).fragment
    return parse_qs(fragment.partition("?")[2])["token"][0]


def stored_token(token: str) -> AccountToken:
    """The row of a token (by its hash)."""
    db.session.expire_all()
    return db.session.scalar(select(AccountToken).where(AccountToken.token_hash == digest(token)))


def user_events(user_id: int) -> list[tuple[str, dict]]:
    """The (action, data) of a person's events, oldest first."""
    db.session.expire_all()
    rows = db.session.scalars(
        select(Event)
        .where(Event.entity_type == "user", Event.entity_id == str(user_id))
        .order_by(Event.id)
    )
    return [(row.action, row.data) for row in rows]


@contextlib.contextmanager
def counted_queries():
    """Count the statements sent to the database inside the block: yields a list to read."""
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
