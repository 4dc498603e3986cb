"""who marked a legal deadline met, and when

The case history (cases/history) names who and when for every event of a case; a deadline
kept only the day it was met. Deadlines met before this release show that day and no "who".

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-20 09:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("case_deadline") as batch:
        batch.add_column(sa.Column("done_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("done_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_case_deadline_done_by_id_user", "user", ["done_by_id"], ["id"])


def downgrade():
    with op.batch_alter_table("case_deadline") as batch:
        batch.drop_constraint("fk_case_deadline_done_by_id_user", type_="foreignkey")
        batch.drop_column("done_by_id")
        batch.drop_column("done_at")
