"""persons: a person may be merged into another (`merged_into_id`); each correction and merge is
kept field by field in `person_change`; stored names lose invisible characters and every
`name_key` is computed again with the new normalization

Names typed before could hold a zero-width space, a soft hyphen, a bidi override or a Cyrillic
look-alike letter: such a person was missed by person search and by the duplicate check. The
names are cleaned and the keys recomputed with `cases.names` as it is at this revision (imported,
like 0014 imports cases.places: the rule is long and a copy could drift from what the app
writes). Downgrade keeps the cleaned names (what was removed could not be seen anyway).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-10 10:00:00

"""

from alembic import op
import sqlalchemy as sa

from cases.names import clean_name, name_key
from welfare.crypto import EncryptedText

# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_person_merged_into_id_person", "person", ["merged_into_id"], ["id"])
        batch.create_index("ix_person_merged_into_id", ["merged_into_id"], unique=False)
    op.create_table(
        "person_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("old_value", EncryptedText("person_change.old_value"), nullable=False),
        sa.Column("new_value", EncryptedText("person_change.new_value"), nullable=False),
        sa.Column("other_person_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["other_person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("person_change") as batch:
        batch.create_index("ix_person_change_person_id", ["person_id"], unique=False)
    _clean_names(op.get_bind())


def _clean_names(connection) -> None:
    person = sa.table("person", sa.column("id"), sa.column("first_name"), sa.column("last_name"), sa.column("name_key"))
    rows = connection.execute(sa.select(person.c.id, person.c.first_name, person.c.last_name, person.c.name_key))
    for person_id, first, last, key in rows.all():
        if key == "" and first == "—":  # anonymized by retention: nothing to find it by, on purpose
            continue
        new_first, new_last = clean_name(first), clean_name(last)
        new_key = name_key(new_first, new_last)
        if (new_first, new_last, new_key) != (first, last, key):
            connection.execute(
                sa.update(person)
                .where(person.c.id == person_id)
                .values(first_name=new_first, last_name=new_last, name_key=new_key)
            )


def downgrade():
    with op.batch_alter_table("person_change") as batch:
        batch.drop_index("ix_person_change_person_id")
    op.drop_table("person_change")
    with op.batch_alter_table("person") as batch:
        batch.drop_index("ix_person_merged_into_id")
        batch.drop_constraint("fk_person_merged_into_id_person", type_="foreignkey")
        batch.drop_column("merged_into_id")
