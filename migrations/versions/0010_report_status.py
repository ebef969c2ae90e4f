"""report_status: the officer's note with the latest status change, and when a report was closed

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 13:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    # Plain nullable columns: SQLite adds them in place (no table rebuild).
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status_note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    # ALTER TABLE ... DROP COLUMN on both (SQLite >= 3.35): a batch rebuild of report would drop
    # the old table with foreign keys on, and cascade the delete to every report's photos.
    op.drop_column("report", "closed_at")
    op.drop_column("report", "status_note")
