"""attachments: the photos of any record, in one table (report photos move there)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 13:40:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("record_type", sa.String(length=32), nullable=False),
        sa.Column("record_pk", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_attachment_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
        sa.UniqueConstraint(
            "record_type", "record_pk", "sha256",
            name=op.f("uq_attachment_record_type_record_pk_sha256"),
        ),
    )
    op.create_index(
        "ix_attachment_organization_id_sha256", "attachment", ["organization_id", "sha256"]
    )
    op.execute(
        "INSERT INTO attachment (organization_id, record_type, record_pk, sha256, position,"
        " content_type, width, height)"
        " SELECT report.organization_id, 'report', report_photo.report_pk, report_photo.sha256,"
        " report_photo.position, report_photo.content_type, report_photo.width,"
        " report_photo.height"
        " FROM report_photo JOIN report ON report.pk = report_photo.report_pk"
        " ORDER BY report_photo.id"
    )
    with op.batch_alter_table("report_photo", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_photo_sha256"))
        batch_op.drop_index(batch_op.f("ix_report_photo_report_pk"))
    op.drop_table("report_photo")


def downgrade():
    op.create_table(
        "report_photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_pk", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_pk"],
            ["report.pk"],
            name=op.f("fk_report_photo_report_pk_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_photo")),
        sa.UniqueConstraint("report_pk", "sha256", name=op.f("uq_report_photo_report_pk_sha256")),
    )
    with op.batch_alter_table("report_photo", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_photo_report_pk"), ["report_pk"], unique=False)
        batch_op.create_index(batch_op.f("ix_report_photo_sha256"), ["sha256"], unique=False)
    op.execute(
        "INSERT INTO report_photo (report_pk, sha256, position, content_type, width, height)"
        " SELECT record_pk, sha256, position, content_type, width, height FROM attachment"
        " WHERE record_type = 'report' ORDER BY id"
    )
    op.drop_index("ix_attachment_organization_id_sha256", table_name="attachment")
    op.drop_table("attachment")
