"""partners: a partner account names its organization; the capacity of a service as its
organization last said it (places or appointments a week, free, full or a waiting list)

The role column is a VARCHAR(20) without a CHECK constraint (a non-native enum): the new role
"partner" needs no schema change.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-14 10:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user") as batch_op:
        batch_op.add_column(sa.Column("partner_organization_id", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_user_partner_organization_id", ["partner_organization_id"])
        batch_op.create_foreign_key(
            "fk_user_partner_organization_id", "organization", ["partner_organization_id"], ["id"], ondelete="SET NULL"
        )
    op.create_table(
        "service_capacity",
        sa.Column("service_id", sa.String(length=64), nullable=False),
        sa.Column("unit", sa.Enum("places", "weekly", name="capacityunit", native_enum=False, length=10), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("free", sa.Integer(), nullable=True),
        sa.Column(
            "state", sa.Enum("open", "full", "waiting", name="capacitystate", native_enum=False, length=10), nullable=False
        ),
        sa.Column("waiting_weeks", sa.Integer(), nullable=True),
        sa.Column("show_waiting_publicly", sa.Boolean(), nullable=False),
        sa.Column("said_on", sa.Date(), nullable=False),
        sa.Column("said_by", sa.String(length=120), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("service_id"),
    )


def downgrade():
    op.drop_table("service_capacity")
    with op.batch_alter_table("user") as batch_op:
        batch_op.drop_constraint("fk_user_partner_organization_id", type_="foreignkey")
        batch_op.drop_index("ix_user_partner_organization_id")
        batch_op.drop_column("partner_organization_id")
