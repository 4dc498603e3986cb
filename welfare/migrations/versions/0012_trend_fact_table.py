"""trends: the monthly fact table the reports read, its change log and its build state

The table starts empty and unbuilt: the first report (or `flask trends refresh`) builds it
from the case tables (about 10 to 20 s at 100,000 cases, see docs/benchmarks.md).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 06:30:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "trend_fact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("figure", sa.String(length=40), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_trend_fact_figure_month", "trend_fact", ["figure", "month"], unique=False)
    op.create_table(
        "trend_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    # The refresh of a month reads referrals by month of sending and events by day.
    op.create_index("ix_referral_sent_at", "referral", ["sent_at"], unique=False)
    op.create_index("ix_referral_event_at", "referral_event", ["at"], unique=False)
    op.create_table(
        "trend_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("built_at", sa.DateTime(), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade():
    op.drop_index("ix_referral_event_at", table_name="referral_event")
    op.drop_index("ix_referral_sent_at", table_name="referral")
    op.drop_table("trend_state")
    op.drop_table("trend_change")
    op.drop_index("ix_trend_fact_figure_month", table_name="trend_fact")
    op.drop_table("trend_fact")
