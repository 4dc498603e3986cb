"""documents on a case (the file encrypted in the row); drafts expire, so their save time is indexed

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-15 10:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "case_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("case_document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_document_case_id"), ["case_id"], unique=False)
    with op.batch_alter_table("case_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_draft_saved_at"), ["saved_at"], unique=False)


def downgrade():
    with op.batch_alter_table("case_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_draft_saved_at"))
    with op.batch_alter_table("case_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_document_case_id"))
    op.drop_table("case_document")
