"""Migration 0021 gives every competence record kept before a UUID of its own, and shows its
certificate photo as an attachment, so that whoever may open the record may download it."""

from datetime import UTC, date, datetime

import flask_migrate
import sqlalchemy as sa

from server import create_app
from server.extensions import db
from tests.conftest import base_config

WHEN = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
TIME = sa.DateTime(timezone=True)
CERTIFICATE = "c" * 64


def _table(name: str, *columns: str, times: tuple[str, ...] = ("created_at",)) -> sa.Table:
    return sa.table(name, *map(sa.column, columns), *(sa.column(t, TIME) for t in times))


def insert_records_at_0020() -> None:
    """One organization, one person, two records: one with a certificate photo, one without."""
    db.session.execute(
        sa.insert(_table("organization", "id", "name")).values(id=1, name="North", created_at=WHEN)
    )
    db.session.execute(
        sa.insert(_table("user", "id", "email", "name", "password_hash", "active")).values(
            id=1, email="a@b.test", name="A", password_hash="x", active=True, created_at=WHEN
        )
    )
    db.session.execute(
        sa.insert(
            _table(
                "photo",
                "organization_id",
                "sha256",
                "content_type",
                "size_bytes",
                "width",
                "height",
            )
        ).values(
            organization_id=1,
            sha256=CERTIFICATE,
            content_type="image/jpeg",
            size_bytes=10,
            width=640,
            height=480,
            created_at=WHEN,
        )
    )
    competence = _table(
        "competence",
        "id",
        "organization_id",
        "user_id",
        "module",
        "title",
        "completed_on",
        "certificate_sha256",
    )
    for number, photo in ((1, CERTIFICATE), (2, None)):
        db.session.execute(
            sa.insert(competence).values(
                id=number,
                organization_id=1,
                user_id=1,
                module="internal_audit",
                title="Course",
                completed_on=date(2026, 1, 5),
                certificate_sha256=photo,
                created_at=WHEN,
            )
        )
    db.session.commit()


def test_0021_names_old_records_and_attaches_their_certificates(empty_database_url, tmp_path):
    app = create_app(base_config(empty_database_url, tmp_path))
    with app.app_context():
        flask_migrate.upgrade(revision="0020")
        insert_records_at_0020()
        flask_migrate.upgrade(revision="0021")
        uids = db.session.execute(sa.text("SELECT uid FROM competence ORDER BY id")).scalars()
        assert len(set(uids)) == 2
        attached = db.session.execute(
            sa.text("SELECT record_type, record_pk, sha256, content_type, width FROM attachment")
        ).all()
        assert [tuple(row) for row in attached] == [
            ("competence", 1, CERTIFICATE, "image/jpeg", 640)
        ]
        db.session.remove()
        db.engine.dispose()
