"""search log: an unlinkable per-day visitor tag, so demand counts visitors, not requests

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 09:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("catalog_search_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("visitor", sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table("catalog_search_log", schema=None) as batch_op:
        batch_op.drop_column("visitor")
