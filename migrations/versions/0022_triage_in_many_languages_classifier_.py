"""triage in many languages: category confidence, language, classifier version, meaning vectors,
officers' examples

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 05:10:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

TRIAGE_COLUMNS = (
    "embedding",
    "classifier_version",
    "language",
    "check_category",
    "category_confidence",
)


def upgrade():
    op.create_table(
        "category_example",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("report_pk", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("embedding", sa.LargeBinary(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user.id"],
            name=op.f("fk_category_example_created_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_category_example_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["report_pk"],
            ["report.pk"],
            name=op.f("fk_category_example_report_pk_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_category_example")),
        sa.UniqueConstraint("report_pk", name=op.f("uq_category_example_report_pk")),
    )
    op.create_index(
        op.f("ix_category_example_organization_id"),
        "category_example",
        ["organization_id"],
        unique=False,
    )
    # Plain columns, added in place: rebuilding the triage table is not needed on SQLite.
    op.add_column("triage", sa.Column("category_confidence", sa.Double(), nullable=True))
    op.add_column(
        "triage",
        sa.Column("check_category", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column("triage", sa.Column("language", sa.String(length=8), nullable=True))
    op.add_column("triage", sa.Column("classifier_version", sa.String(length=200), nullable=True))
    op.add_column("triage", sa.Column("embedding", sa.LargeBinary(), nullable=True))


def downgrade():
    for column in TRIAGE_COLUMNS:
        op.execute(f'ALTER TABLE "triage" DROP COLUMN {column}')
    op.drop_index(op.f("ix_category_example_organization_id"), table_name="category_example")
    op.drop_table("category_example")
