"""trends: record keys for cell-key perturbation; de-identified case and referral rows
replace the monthly fact table

Every counted record gets its fixed random key (existing rows: from the database's random
source). The rows of trend_case / trend_referral are derived by the app: the first report
after the upgrade derives them (or run `flask trends rebuild`).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 03:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

KEYED = ("case_file", "case_challenge", "anonymous_contact", "referral", "unmet_need")


def _random_key() -> str:
    if op.get_bind().dialect.name == "postgresql":
        return "floor(random() * 2147483648)::integer"
    return "abs(random()) % 2147483648"


def upgrade():
    for table in KEYED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("record_key", sa.Integer(), nullable=True))
        op.execute(sa.text(f"UPDATE {table} SET record_key = {_random_key()}"))
        with op.batch_alter_table(table) as batch:
            batch.alter_column("record_key", existing_type=sa.Integer(), nullable=False)
    op.create_index("ix_case_challenge_trend", "case_challenge", ["case_id", "domain_id", "urgency", "record_key"])
    op.create_index(
        "ix_anonymous_contact_trend", "anonymous_contact", ["occurred_on", "channel", "record_key", "id"]
    )
    op.create_table(
        "trend_case",
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("case_file.id", ondelete="CASCADE"), nullable=False),
        sa.Column("opened", sa.Integer(), nullable=False),
        sa.Column("closed", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("age_band", sa.String(length=8), nullable=False),
        sa.Column("gender", sa.String(length=20), nullable=False),
        sa.Column("municipality", sa.String(length=100), nullable=False),
        sa.Column("settlement", sa.String(length=100), nullable=False),
        sa.Column("challenges", sa.Integer(), nullable=False),
        sa.Column("first_plan_days", sa.Integer(), nullable=True),
        sa.Column("closure_days", sa.Integer(), nullable=True),
        sa.Column("record_key", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("case_id"),
    )
    op.create_index(
        "ix_trend_case_people",
        "trend_case",
        ["opened", "age_band", "gender", "municipality", "settlement", "challenges", "record_key"],
    )
    op.create_index("ix_trend_case_flow", "trend_case", ["closed", "outcome", "opened", "record_key"])
    op.create_table(
        "trend_case_domain",
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("trend_case.case_id", ondelete="CASCADE"), nullable=False),
        sa.Column("domain_id", sa.String(length=64), nullable=False),
        sa.Column("opened", sa.Integer(), nullable=False),
        sa.Column("record_key", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("case_id", "domain_id"),
    )
    op.create_index("ix_trend_case_domain_domain", "trend_case_domain", ["domain_id", "case_id"])
    op.create_index(
        "ix_trend_case_domain_opened", "trend_case_domain", ["opened", "domain_id", "record_key", "case_id"]
    )
    op.create_table(
        "trend_referral",
        sa.Column("referral_id", sa.Integer(), sa.ForeignKey("referral.id", ondelete="CASCADE"), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("case_file.id", ondelete="CASCADE"), nullable=False),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("decline_reason", sa.String(length=20), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("organization_id", sa.String(length=64), nullable=False),
        sa.Column("answer_days", sa.Integer(), nullable=True),
        sa.Column("completion_days", sa.Integer(), nullable=True),
        sa.Column("capacity_declined", sa.Integer(), nullable=True),
        sa.Column("record_key", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("referral_id"),
    )
    op.create_index("ix_trend_referral_case_id", "trend_referral", ["case_id"])
    op.create_index("ix_trend_referral_sent", "trend_referral", ["sent"])
    op.create_index("ix_trend_referral_capacity_declined", "trend_referral", ["capacity_declined"])
    op.drop_index("ix_trend_fact_figure_month", table_name="trend_fact")
    op.drop_table("trend_fact")
    op.drop_table("trend_change")
    op.drop_table("trend_state")


def downgrade():
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
    op.create_table(
        "trend_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("built_at", sa.DateTime(), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.drop_table("trend_referral")
    op.drop_table("trend_case_domain")
    op.drop_table("trend_case")
    op.drop_index("ix_case_challenge_trend", table_name="case_challenge")
    op.drop_index("ix_anonymous_contact_trend", table_name="anonymous_contact")
    for table in KEYED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("record_key")
