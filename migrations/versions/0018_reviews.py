"""reviews: objectives and their monthly figures, management reviews, and actions from a review

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 19:40:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "review",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("site_ids", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=True),
        sa.Column("attendees", sa.JSON(), nullable=False),
        sa.Column("decisions", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("held_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user.id"],
            name=op.f("fk_review_created_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["held_by_id"], ["user.id"], name=op.f("fk_review_held_by_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_review_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_review")),
        sa.UniqueConstraint("organization_id", "id", name=op.f("uq_review_organization_id_id")),
    )
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_organization_id"), ["organization_id", "change_id"]
        )
        batch_op.create_index("ix_review_period", ["organization_id", "status", "period_end"])

    op.create_table(
        "objective",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("measure", sa.String(length=32), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("direction", sa.String(length=16), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user.id"],
            name=op.f("fk_objective_created_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_objective_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_objective_site_id_site")),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_objective")),
        sa.UniqueConstraint(
            "organization_id", "id", name=op.f("uq_objective_organization_id_id")
        ),
    )
    with op.batch_alter_table("objective", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_objective_organization_id"), ["organization_id", "change_id"]
        )
        batch_op.create_index("ix_objective_site", ["organization_id", "site_id", "active"])

    op.create_table(
        "objective_figure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("objective_pk", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entered_by_id"],
            ["user.id"],
            name=op.f("fk_objective_figure_entered_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["objective_pk"],
            ["objective.pk"],
            name=op.f("fk_objective_figure_objective_pk_objective"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objective_figure")),
        sa.UniqueConstraint(
            "objective_pk", "month", name=op.f("uq_objective_figure_objective_pk_month")
        ),
    )

    # An action comes from an NC or from a management review's outputs: exactly one of them.
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_pk", sa.Integer(), nullable=True))
        batch_op.alter_column("nonconformity_pk", existing_type=sa.Integer(), nullable=True)
        batch_op.create_index("ix_action_review", ["review_pk"])
        batch_op.create_foreign_key(
            batch_op.f("fk_action_review_pk_review"), "review", ["review_pk"], ["pk"]
        )
        batch_op.create_check_constraint(
            op.f("ck_action_one_source"), "(nonconformity_pk IS NULL) <> (review_pk IS NULL)"
        )


def downgrade():
    # Actions of reviews go with the reviews: before, every action belonged to an NC.
    op.execute(
        "DELETE FROM attachment WHERE record_type = 'action' AND record_pk IN "
        "(SELECT pk FROM action WHERE review_pk IS NOT NULL)"
    )
    op.execute("DELETE FROM action WHERE review_pk IS NOT NULL")
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_action_one_source"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_action_review_pk_review"), type_="foreignkey")
        batch_op.drop_index("ix_action_review")
        batch_op.alter_column("nonconformity_pk", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("review_pk")
    op.drop_table("objective_figure")
    with op.batch_alter_table("objective", schema=None) as batch_op:
        batch_op.drop_index("ix_objective_site")
        batch_op.drop_index(batch_op.f("ix_objective_organization_id"))
    op.drop_table("objective")
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_index("ix_review_period")
        batch_op.drop_index(batch_op.f("ix_review_organization_id"))
    op.drop_table("review")
