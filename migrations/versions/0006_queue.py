"""the officer's desk: a copy of the effective triage on report, and indexes

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 09:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# For the reports already there: the effective priority (0 awaiting triage, P1..P4 as 1..4),
# the negated risk score (triage's, else the reporter's own, 0 when unknown), category, due date.
TRIAGED = "FROM triage t WHERE t.report_pk = report.pk AND t.triaged_at IS NOT NULL"
BACKFILL = f"""
UPDATE report SET
    queue_priority = COALESCE((
        SELECT CASE t.priority WHEN 'P1' THEN 1 WHEN 'P2' THEN 2 WHEN 'P3' THEN 3
                               WHEN 'P4' THEN 4 END {TRIAGED}
    ), 0),
    queue_risk = -COALESCE((SELECT t.risk_score {TRIAGED}), severity * likelihood, 0),
    queue_category = (SELECT t.category {TRIAGED}),
    queue_due_at = (SELECT t.due_at {TRIAGED})
"""

QUEUE_COLUMNS = ["organization_id", "queue_priority", "queue_risk", "received_at", "pk"]
OPEN = "status <> 'closed'"


def upgrade():
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("queue_priority", sa.SmallInteger(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("queue_risk", sa.SmallInteger(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("queue_category", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("queue_due_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(BACKFILL)
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.create_index("ix_report_queue", QUEUE_COLUMNS, unique=False)
        batch_op.create_index(
            "ix_report_queue_open",
            QUEUE_COLUMNS + ["status"],
            unique=False,
            sqlite_where=sa.text(OPEN),
            postgresql_where=sa.text(OPEN),
        )
        batch_op.create_index(
            "ix_report_weeks", ["organization_id", "observed_at", "queue_category"], unique=False
        )


def downgrade():
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_index("ix_report_weeks")
        batch_op.drop_index("ix_report_queue_open")
        batch_op.drop_index("ix_report_queue")
        batch_op.drop_column("queue_due_at")
        batch_op.drop_column("queue_category")
        batch_op.drop_column("queue_risk")
        batch_op.drop_column("queue_priority")
