"""notification_record: a register entry's notification names no nonconformity

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 17:49:26.353475

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.alter_column("nonconformity_id", existing_type=sa.Uuid(), nullable=True)


def downgrade():
    # Before, an entry's notification held the entry's own id there.
    op.execute(
        "UPDATE notification SET nonconformity_id = record_id WHERE nonconformity_id IS NULL"
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.alter_column("nonconformity_id", existing_type=sa.Uuid(), nullable=False)
