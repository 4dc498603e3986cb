"""gdpr: retention marks; the case access log keeps bare ids (no foreign keys) so a person can
be erased while the append-only log stays

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 03:50:13.640172

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

# SQLite rebuilds the table to drop a foreign key, and a rebuilt table has lost its triggers:
# the append-only rule is put back (same DDL as 0005 and cases/access_log.py).
SQLITE_TRIGGERS = [
    "CREATE TRIGGER case_access_log_no_update BEFORE UPDATE ON case_access_log "
    "BEGIN SELECT RAISE(ABORT, 'the case access log is append-only'); END",
    "CREATE TRIGGER case_access_log_no_delete BEFORE DELETE ON case_access_log "
    "BEGIN SELECT RAISE(ABORT, 'the case access log is append-only'); END",
]
# SQLite's foreign keys have no names; this convention names them for the batch rebuild.
NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}
LOG_KEYS = [("case_id", "case_file"), ("person_id", "person")]


def _log_foreign_keys(bind) -> dict[str, str]:
    """column -> constraint name of the access log's keys to case_file and person (PostgreSQL)."""
    keys = sa.inspect(bind).get_foreign_keys("case_access_log")
    return {fk["constrained_columns"][0]: fk["name"] for fk in keys if fk["referred_table"] in ("case_file", "person")}


def upgrade():
    op.create_table('case_anonymization',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('anonymized_at', sa.DateTime(), nullable=False),
    sa.Column('retention_years', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id')
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        with op.batch_alter_table("case_access_log", naming_convention=NAMING, recreate="always") as batch_op:
            for column, table in LOG_KEYS:
                batch_op.drop_constraint(f"fk_case_access_log_{column}_{table}", type_="foreignkey")
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
    else:
        for name in _log_foreign_keys(bind).values():
            op.drop_constraint(name, "case_access_log", type_="foreignkey")


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        with op.batch_alter_table("case_access_log", recreate="always") as batch_op:
            for column, table in LOG_KEYS:
                batch_op.create_foreign_key(f"fk_case_access_log_{column}_{table}", table, [column], ["id"])
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
    else:
        for column, table in LOG_KEYS:
            op.create_foreign_key(None, "case_access_log", table, [column], ["id"])
    op.drop_table('case_anonymization')
