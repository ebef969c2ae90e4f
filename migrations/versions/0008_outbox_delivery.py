"""outbox messages kept until their job has run

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 10:30:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

AWAITING = "status = 'awaiting_photos'"


def upgrade():
    bind = op.get_bind()
    last_id = bind.execute(sa.text("SELECT MAX(id) FROM outbox_message")).scalar() or 0
    # Rows relayed under the old rule (sent_at set when claimed) are history: their jobs ran or
    # sit in Redis. From now on a row lives until its job has run, and a row sent long ago is
    # checked against Redis, so these must not stay.
    op.execute("DELETE FROM outbox_message WHERE sent_at IS NOT NULL")
    sqlite = bind.dialect.name == "sqlite"
    # SQLite takes AUTOINCREMENT (ids never reused) only with a new table; PostgreSQL's
    # sequence never reuses ids already, and its table is altered in place.
    with op.batch_alter_table(
        "outbox_message",
        schema=None,
        recreate="always" if sqlite else "auto",
        table_kwargs={"sqlite_autoincrement": True},
    ) as batch_op:
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
    if sqlite:
        # Carry on after the ids already given out, deleted rows included: job ids name them.
        op.execute("DELETE FROM sqlite_sequence WHERE name = 'outbox_message'")
        op.execute(f"INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox_message', {last_id})")
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.create_index(
            "ix_report_awaiting_photos",
            ["changed_at"],
            unique=False,
            sqlite_where=sa.text(AWAITING),
            postgresql_where=sa.text(AWAITING),
        )


def downgrade():
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_index("ix_report_awaiting_photos")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("claimed_at")
