"""casework: closing and reopening on the case timeline

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 02:50:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

OUTCOMES = ("resolved", "partly_resolved", "not_resolved", "withdrew", "moved_away", "other")


def upgrade():
    # The timeline entry's kind gains case_closed / case_reopened: a non-native enum without a
    # CHECK constraint, so only the new column needs the schema.
    with op.batch_alter_table("case_timeline_entry") as batch_op:
        batch_op.add_column(
            sa.Column("outcome", sa.Enum(*OUTCOMES, name="caseoutcome", native_enum=False, length=20), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("case_timeline_entry") as batch_op:
        batch_op.drop_column("outcome")
