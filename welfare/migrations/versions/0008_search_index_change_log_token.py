"""search index change feed; search log tokens

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 02:39:41.673955

The change feed every node's search index follows (several app servers, one database), and a
random token per logged search so the results page can link opens before the row is written.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_index_change',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('service_id', sa.String(length=64), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('search_index_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_index_change_changed_at'), ['changed_at'], unique=False)

    with op.batch_alter_table('catalog_search_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token', sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint('uq_catalog_search_log_token', ['token'])


def downgrade():
    with op.batch_alter_table('catalog_search_log', schema=None) as batch_op:
        batch_op.drop_constraint('uq_catalog_search_log_token', type_='unique')
        batch_op.drop_column('token')

    with op.batch_alter_table('search_index_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_index_change_changed_at'))

    op.drop_table('search_index_change')
