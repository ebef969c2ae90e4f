"""Migration 0008: rows relayed under the old rule go, pending ones stay, ids are never reused."""

from datetime import UTC, datetime

import flask_migrate
import sqlalchemy as sa

from server import create_app
from server.extensions import db
from tests.conftest import base_config

WHEN = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
TIME = sa.DateTime(timezone=True)
# The table as revision 0007 has it.
outbox = sa.table(
    "outbox_message",
    *(sa.column(name) for name in ("id", "job", "attempts")),
    sa.column("payload", sa.JSON()),
    *(sa.column(name, TIME) for name in ("created_at", "sent_at")),
)


def test_0008_keeps_pending_rows_and_never_reuses_an_id(empty_database_url, tmp_path):
    app = create_app(base_config(empty_database_url, tmp_path))
    with app.app_context():
        flask_migrate.upgrade(revision="0007")
        rows = [(1, None), (2, WHEN), (3, WHEN)]  # one pending, two relayed (the newest too)
        for message_id, sent_at in rows:
            values = {"id": message_id, "job": "triage_report", "payload": {"report_pk": 1}}
            values |= {"attempts": 1, "created_at": WHEN, "sent_at": sent_at}
            db.session.execute(sa.insert(outbox).values(**values))
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("SELECT setval('outbox_message_id_seq', 3)"))
        db.session.commit()
        flask_migrate.upgrade(revision="0008")

        left = db.session.execute(sa.text("SELECT id, claimed_at FROM outbox_message")).all()
        assert [tuple(row) for row in left] == [(1, None)]
        db.session.execute(sa.text("DELETE FROM outbox_message"))
        new = sa.text(
            "INSERT INTO outbox_message (job, payload, created_at, attempts)"
            " VALUES ('triage_report', '{}', :when, 0) RETURNING id"
        )
        assert db.session.scalar(new, {"when": WHEN}) == 4  # not 1, nor 2 or 3 again
        db.session.commit()
        flask_migrate.downgrade(revision="0007")
        flask_migrate.upgrade()
        db.session.remove()
        db.engine.dispose()
