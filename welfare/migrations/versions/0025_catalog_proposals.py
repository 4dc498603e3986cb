"""catalog proposals: partners propose changes to their own entries and confirm them; the
organization's own verified date; reminders to confirm

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-15 10:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organization") as batch_op:
        batch_op.add_column(sa.Column("assured_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("assurer", sa.String(length=120), nullable=True))
    op.create_table(
        "catalog_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.String(length=64), nullable=False),
        sa.Column("service_id", sa.String(length=64), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("pending", "approved", "rejected", name="proposalstatus", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("proposed_at", sa.DateTime(), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("proposed_by_name", sa.String(length=120), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_name", sa.String(length=120), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["organization_id"], ["organization.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["proposed_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_catalog_proposal_organization_id", "catalog_proposal", ["organization_id"])
    op.create_index("ix_catalog_proposal_service_id", "catalog_proposal", ["service_id"])
    op.create_index("ix_catalog_proposal_status", "catalog_proposal", ["status"])
    op.create_table(
        "catalog_confirm_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.String(length=64), nullable=False),
        sa.Column("service_id", sa.String(length=64), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["organization_id"], ["organization.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_catalog_confirm_reminder_organization_id", "catalog_confirm_reminder", ["organization_id"])
    op.create_index("ix_catalog_confirm_reminder_service_id", "catalog_confirm_reminder", ["service_id"])


def downgrade():
    op.drop_index("ix_catalog_confirm_reminder_service_id", table_name="catalog_confirm_reminder")
    op.drop_index("ix_catalog_confirm_reminder_organization_id", table_name="catalog_confirm_reminder")
    op.drop_table("catalog_confirm_reminder")
    op.drop_index("ix_catalog_proposal_status", table_name="catalog_proposal")
    op.drop_index("ix_catalog_proposal_service_id", table_name="catalog_proposal")
    op.drop_index("ix_catalog_proposal_organization_id", table_name="catalog_proposal")
    op.drop_table("catalog_proposal")
    with op.batch_alter_table("organization") as batch_op:
        batch_op.drop_column("assurer")
        batch_op.drop_column("assured_date")
