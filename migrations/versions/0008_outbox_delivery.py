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
