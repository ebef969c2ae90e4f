"""Migration 0006 fills in the desk's copy of the effective triage for the reports already there."""

import uuid
from datetime import UTC, datetime, timedelta

import flask_migrate
import sqlalchemy as sa

from server import create_app
from server.extensions import db
from tests.conftest import base_config

WHEN = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
DUE = WHEN + timedelta(hours=72)
TIME = sa.DateTime(timezone=True)
# The tables as revision 0005 has them, with the columns these rows fill in.
organization = sa.table(
    "organization", sa.column("id"), sa.column("name"), sa.column("created_at", TIME)
)
site = sa.table(
    "site",
    sa.column("id"),
    sa.column("organization_id"),
    sa.column("name"),
    sa.column("code"),
    sa.column("created_at", TIME),
)
report = sa.table(
    "report",
    *(sa.column(name) for name in ("pk", "organization_id", "site_id", "kind", "description")),
    *(sa.column(name) for name in ("severity", "likelihood", "status", "content_hash")),
    *(sa.column(name, TIME) for name in ("observed_at", "received_at", "changed_at")),
    sa.column("id", sa.Uuid()),
    sa.column("change_id"),
)
triage = sa.table(
    "triage",
    *(sa.column(name) for name in ("report_pk", "risk_score", "risk_band", "category")),
    *(sa.column(name) for name in ("priority", "runs")),
    *(sa.column(name, TIME) for name in ("due_at", "created_at", "triaged_at")),
    sa.column("computed", sa.JSON()),
    sa.column("reasons", sa.JSON()),
)


def insert_reports_at_0005() -> None:
    """A triaged report, an unrated and a rated one awaiting triage, and one mid-triage."""
    db.session.execute(sa.insert(organization).values(id=1, name="Old", created_at=WHEN))
    db.session.execute(
        sa.insert(site).values(id=1, organization_id=1, name="N", code="N", created_at=WHEN)
    )
    common = {"organization_id": 1, "site_id": 1, "kind": "hazard", "description": "Oil"}
    times = {"observed_at": WHEN, "received_at": WHEN, "changed_at": WHEN, "change_id": 0}
    ratings = ((2, 2, "triaged"), (None, None, "received"), (4, 3, "received"), (5, 5, "received"))
    for pk, (severity, likelihood, status) in enumerate(ratings, start=1):
        row = {"pk": pk, "id": uuid.uuid4(), "severity": severity, "likelihood": likelihood}
        row |= {"status": status, "content_hash": "0" * 64}
        db.session.execute(sa.insert(report).values(**row, **common, **times))
    finished = {"risk_score": 20, "risk_band": "critical", "category": "electrical"}
    finished |= {"priority": "P2", "due_at": DUE, "triaged_at": WHEN}
    for pk, values in ((1, finished), (4, {"triaged_at": None})):
        db.session.execute(
            sa.insert(triage).values(
                report_pk=pk, runs=1, computed={}, reasons={}, created_at=WHEN, **values
            )
        )
    db.session.commit()


def test_0006_copies_the_effective_triage_onto_reports(empty_database_url, tmp_path):
    app = create_app(base_config(empty_database_url, tmp_path))
    with app.app_context():
        flask_migrate.upgrade(revision="0005")
        insert_reports_at_0005()
        flask_migrate.upgrade(revision="0006")
        columns = "pk, queue_priority, queue_risk, queue_category, queue_due_at"
        rows = db.session.execute(sa.text(f"SELECT {columns} FROM report ORDER BY pk")).all()
        assert [tuple(row[:4]) for row in rows] == [
            (1, 2, -20, "electrical"),
            (2, 0, 0, None),
            (3, 0, -12, None),
            (4, 0, -25, None),
        ]
        assert rows[0][4] is not None and [row[4] for row in rows[1:]] == [None] * 3
        # Alembic works on a connection of its own: this session's read must not hold a lock.
        db.session.commit()
        flask_migrate.downgrade(revision="0005")
        flask_migrate.upgrade()
        db.session.remove()
        db.engine.dispose()
