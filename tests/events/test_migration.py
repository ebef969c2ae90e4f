"""Migration 0017 chains the events already there, per organization in the order they were
written, a chunk at a time, with the recipe the app verifies by."""

from datetime import UTC, datetime, timedelta

import flask_migrate
import sqlalchemy as sa

from server import create_app
from server.events.models import EventChain
from server.events.services import record_event
from server.events.verify import verify_chain
from server.extensions import db
from tests.conftest import base_config
from tests.events.helpers import ODD_DATA, events_of

WHEN = datetime(2026, 11, 20, 9, 0, 0, 123456, tzinfo=UTC)
TIME = sa.DateTime(timezone=True)
# More events than the migration chains in one chunk (5,000), so the chunks must join up.
NORTH_EVENTS = 5003
organization = sa.table(
    "organization", sa.column("id"), sa.column("name"), sa.column("created_at", TIME)
)
user = sa.table(
    "user",
    *(sa.column(name) for name in ("id", "email", "name", "password_hash", "active")),
    sa.column("created_at", TIME),
)
event = sa.table(
    "event",
    *(sa.column(name) for name in ("organization_id", "actor_id", "entity_type", "entity_id")),
    sa.column("action"),
    sa.column("data", sa.JSON()),
    sa.column("created_at", TIME),
)


def insert_events_at_0016() -> None:
    """Two organizations whose events interleave by id; one has no events at all."""
    for number, name in ((1, "North"), (2, "South"), (3, "Quiet")):
        db.session.execute(sa.insert(organization).values(id=number, name=name, created_at=WHEN))
    db.session.execute(
        sa.insert(user).values(
            id=1, email="a@b.test", name="A", password_hash="x", active=True, created_at=WHEN
        )
    )
    rows = []
    for number in range(NORTH_EVENTS):
        rows.append(
            {
                "organization_id": 1 if number % 3 else 2,
                "actor_id": 1 if number % 2 else None,
                "entity_type": "report",
                "entity_id": f"r{number}",
                "action": "created",
                "data": ODD_DATA if number % 1000 == 0 else {"kind": "hazard", "n": number},
                "created_at": WHEN + timedelta(microseconds=number * 7),
            }
        )
    db.session.execute(sa.insert(event), rows)
    db.session.commit()


def test_0017_chains_the_events_there_and_writing_goes_on_from_the_head(
    empty_database_url, tmp_path
):
    app = create_app(base_config(empty_database_url, tmp_path))
    with app.app_context():
        flask_migrate.upgrade(revision="0016")
        insert_events_at_0016()
        flask_migrate.upgrade(revision="0017")
        counts = {1: 0, 2: 0}
        for number in range(NORTH_EVENTS):
            counts[1 if number % 3 else 2] += 1
        for organization_id, count in counts.items():
            verification = verify_chain(organization_id)
            assert verification.broken is None
            assert verification.events == count
            head = db.session.get(EventChain, organization_id)
            assert head.last_seq == count
        assert db.session.get(EventChain, 3) is None
        assert verify_chain(3).broken is None
        north = events_of(1)
        assert [e.seq for e in north] == list(range(1, counts[1] + 1))
        assert [e.id for e in north] == sorted(e.id for e in north)
        db.session.commit()
        flask_migrate.upgrade()
        record_event(1, None, "note", "n", "noted", after="migration")
        record_event(3, None, "note", "n", "noted")
        db.session.commit()
        assert verify_chain(1).events == counts[1] + 1
        assert verify_chain(3).events == 1 and verify_chain(3).broken is None
        db.session.commit()
        flask_migrate.downgrade(revision="0016")
        flask_migrate.upgrade()
        assert verify_chain(1).events == counts[1] + 1
        db.session.remove()
        db.engine.dispose()
