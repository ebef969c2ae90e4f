"""nonconformities: nonconformities (NC) and their actions (the corrective action request)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 14:20:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def _user_fk(table: str, column: str):
    return sa.ForeignKeyConstraint(
        [column], ["user.id"], name=op.f(f"fk_{table}_{column}_user"), ondelete="SET NULL"
    )


def _create_nonconformity():
    op.create_table(
        "nonconformity",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("report_pk", sa.Integer(), nullable=True),
        sa.Column("clause", sa.String(length=32), nullable=True),
        sa.Column("category", sa.String(length=64), nullable=True),
        sa.Column("containment", sa.Text(), nullable=True),
        sa.Column("root_cause", sa.JSON(), nullable=True),
        sa.Column("repeat_of_pk", sa.Integer(), nullable=True),
        sa.Column("repeat_reason", sa.Text(), nullable=True),
        sa.Column("weak_controls_reason", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("raised_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verify_after", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checks", sa.Integer(), nullable=False),
        sa.Column("effective", sa.Boolean(), nullable=True),
        sa.Column("verification_notes", sa.Text(), nullable=True),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verified_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_nonconformity_organization_id_organization"),
        ),
        _user_fk("nonconformity", "raised_by_id"),
        sa.ForeignKeyConstraint(
            ["repeat_of_pk"],
            ["nonconformity.pk"],
            name=op.f("fk_nonconformity_repeat_of_pk_nonconformity"),
        ),
        sa.ForeignKeyConstraint(
            ["report_pk"],
            ["report.pk"],
            name=op.f("fk_nonconformity_report_pk_report"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_nonconformity_site_id_site")
        ),
        _user_fk("nonconformity", "verified_by_id"),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_nonconformity")),
        sa.UniqueConstraint(
            "organization_id", "id", name=op.f("uq_nonconformity_organization_id_id")
        ),
        sa.UniqueConstraint("report_pk", name=op.f("uq_nonconformity_report_pk")),
    )
    with op.batch_alter_table("nonconformity", schema=None) as batch_op:
        batch_op.create_index(
            "ix_nonconformity_category", ["organization_id", "category", "created_at"]
        )
        batch_op.create_index(
            "ix_nonconformity_list", ["organization_id", "site_id", "created_at"]
        )
        batch_op.create_index(
            batch_op.f("ix_nonconformity_organization_id"), ["organization_id", "change_id"]
        )


def _create_action():
    op.create_table(
        "action",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("nonconformity_pk", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("control", sa.String(length=16), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("done_hash", sa.String(length=64), nullable=True),
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        _user_fk("action", "created_by_id"),
        _user_fk("action", "done_by_id"),
        sa.ForeignKeyConstraint(
            ["nonconformity_pk"],
            ["nonconformity.pk"],
            name=op.f("fk_action_nonconformity_pk_nonconformity"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_action_organization_id_organization"),
        ),
        _user_fk("action", "owner_id"),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_action_site_id_site")),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_action")),
        sa.UniqueConstraint("organization_id", "id", name=op.f("uq_action_organization_id_id")),
    )
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.create_index("ix_action_due", ["status", "due_on"])
        batch_op.create_index("ix_action_nonconformity", ["nonconformity_pk", "status", "due_on"])
        batch_op.create_index(
            batch_op.f("ix_action_organization_id"), ["organization_id", "change_id"]
        )
        batch_op.create_index(
            "ix_action_owner_due", ["organization_id", "owner_id", "status", "due_on"]
        )


def upgrade():
    _create_nonconformity()
    _create_action()


def downgrade():
    # Their photos are attachments of record types "nonconformity", "nonconformity_check" and
    # "action": they would point at rows that no longer exist.
    op.execute(
        "DELETE FROM attachment WHERE record_type IN"
        " ('nonconformity', 'nonconformity_check', 'action')"
    )
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_index("ix_action_owner_due")
        batch_op.drop_index(batch_op.f("ix_action_organization_id"))
        batch_op.drop_index("ix_action_nonconformity")
        batch_op.drop_index("ix_action_due")
    op.drop_table("action")
    with op.batch_alter_table("nonconformity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_nonconformity_organization_id"))
        batch_op.drop_index("ix_nonconformity_list")
        batch_op.drop_index("ix_nonconformity_category")
    op.drop_table("nonconformity")
