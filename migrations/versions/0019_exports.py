"""exports: evidence bundles built by a job and kept for a day

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 20:10:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "evidence_bundle",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=True),
        sa.Column("size_bytes", sa.BigInteger(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_evidence_bundle_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user.id"],
            name=op.f("fk_evidence_bundle_requested_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["site.id"],
            name=op.f("fk_evidence_bundle_site_id_site"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_evidence_bundle")),
        sa.UniqueConstraint(
            "organization_id", "id", name=op.f("uq_evidence_bundle_organization_id_id")
        ),
    )
    with op.batch_alter_table("evidence_bundle", schema=None) as batch_op:
        batch_op.create_index(
            "ix_evidence_bundle_expiry", ["status", "expires_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_evidence_bundle_requested_by_id"), ["requested_by_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("evidence_bundle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_bundle_requested_by_id"))
        batch_op.drop_index("ix_evidence_bundle_expiry")
    op.drop_table("evidence_bundle")
