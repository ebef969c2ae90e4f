"""nonconformities (placeholder, filled by its change)

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


def upgrade():
    pass


def downgrade():
    pass
