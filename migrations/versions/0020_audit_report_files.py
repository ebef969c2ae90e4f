"""audit_report_files: a signed-off audit's report, drawn once and kept in storage by its SHA-256

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 21:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_report_file",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("audit_pk", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("inputs", sa.String(length=64), nullable=False),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_pk"],
            ["audit.pk"],
            name=op.f("fk_audit_report_file_audit_pk_audit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_audit_report_file")),
        sa.UniqueConstraint("audit_pk", name=op.f("uq_audit_report_file_audit_pk")),
    )


def downgrade():
    op.drop_table("audit_report_file")
