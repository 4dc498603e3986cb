"""casework: closing and reopening on the case timeline; a goal's target date and challenges;
the appointment an organization proposes for a referral

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 02:50:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
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


    with op.batch_alter_table("plan_goal") as batch_op:
        batch_op.add_column(sa.Column("target_on", sa.Date(), nullable=True))
    op.create_table(
        "plan_goal_challenge",
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["challenge_id"], ["case_challenge.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["goal_id"], ["plan_goal.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("goal_id", "challenge_id"),
    )
    with op.batch_alter_table("referral") as batch_op:
        batch_op.add_column(sa.Column("appointment_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("appointment_note", sa.Text(), nullable=False, server_default=""))
        batch_op.create_index("ix_referral_appointment_at", ["appointment_at"], unique=False)


def downgrade():
    with op.batch_alter_table("referral") as batch_op:
        batch_op.drop_index("ix_referral_appointment_at")
        batch_op.drop_column("appointment_note")
        batch_op.drop_column("appointment_at")
    op.drop_table("plan_goal_challenge")
    with op.batch_alter_table("plan_goal") as batch_op:
        batch_op.drop_column("target_on")
    with op.batch_alter_table("case_timeline_entry") as batch_op:
        batch_op.drop_column("outcome")
