"""hsds: which imported directory each organization, service, location and term came from

Rows keep their HSDS ids as primary keys (children refer to them directly); import_source says
which directory owns the row, so a re-import updates and archives only that source's rows.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.add_column(sa.Column("import_source", sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f("ix_location_import_source"), ["import_source"], unique=False)

    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.add_column(sa.Column("import_source", sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f("ix_organization_import_source"), ["import_source"], unique=False)

    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.add_column(sa.Column("import_source", sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f("ix_service_import_source"), ["import_source"], unique=False)

    with op.batch_alter_table("taxonomy_term", schema=None) as batch_op:
        batch_op.add_column(sa.Column("import_source", sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f("ix_taxonomy_term_import_source"), ["import_source"], unique=False)


def downgrade():
    with op.batch_alter_table("taxonomy_term", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_taxonomy_term_import_source"))
        batch_op.drop_column("import_source")

    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_import_source"))
        batch_op.drop_column("import_source")

    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organization_import_source"))
        batch_op.drop_column("import_source")

    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_location_import_source"))
        batch_op.drop_column("import_source")
