"""the case access log becomes a hash chain: each row carries its predecessor's hash and its own;
a search's row says how many it found and a keyed hash of the query (`detail`)

Existing rows are chained here, in id order (the append-only triggers are lifted for that
update only and put back).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-08 10:00:00

"""

import hashlib
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# A migration is a snapshot: the digest and the trigger DDL are copied, not imported.
DROP = {
    "sqlite": ["DROP TRIGGER case_access_log_no_update", "DROP TRIGGER case_access_log_no_delete"],
    "postgresql": ["DROP TRIGGER case_access_log_no_change ON case_access_log"],
}
CREATE = {
    "sqlite": [
        "CREATE TRIGGER case_access_log_no_update BEFORE UPDATE ON case_access_log "
        "BEGIN SELECT RAISE(ABORT, 'the case access log is append-only'); END",
        "CREATE TRIGGER case_access_log_no_delete BEFORE DELETE ON case_access_log "
        "BEGIN SELECT RAISE(ABORT, 'the case access log is append-only'); END",
    ],
    "postgresql": [
        "CREATE TRIGGER case_access_log_no_change BEFORE UPDATE OR DELETE ON case_access_log "
        "FOR EACH ROW EXECUTE FUNCTION case_access_log_append_only()",
    ],
}


def _digest(prev_hash, at, user_id, username, role, action, case_id, person_id, what, purpose, detail) -> str:
    content = [prev_hash, at.isoformat(timespec="microseconds"), user_id, username or "", role or ""]
    content += [action, case_id, person_id, what or "", purpose, detail]
    return hashlib.sha256(json.dumps(content, separators=(",", ":")).encode()).hexdigest()


def upgrade():
    op.add_column("case_access_log", sa.Column("detail", sa.String(64), nullable=True))
    op.add_column("case_access_log", sa.Column("prev_hash", sa.String(64), nullable=False, server_default=""))
    op.add_column("case_access_log", sa.Column("row_hash", sa.String(64), nullable=False, server_default=""))
    bind = op.get_bind()
    log = sa.table(
        "case_access_log",
        *(sa.column(name) for name in ("id", "user_id", "username", "role", "action", "case_id", "person_id")),
        sa.column("what"),
        sa.column("purpose"),
        sa.column("detail"),
        sa.column("at", sa.DateTime()),
        sa.column("prev_hash"),
        sa.column("row_hash"),
    )
    rows = bind.execute(sa.select(log).order_by(log.c.id)).mappings().all()
    if not rows:
        return
    dialect = bind.dialect.name
    for statement in DROP.get(dialect, []):
        op.execute(statement)
    head = ""
    for row in rows:
        digest = _digest(
            head, row["at"], row["user_id"], row["username"], row["role"], row["action"],
            row["case_id"], row["person_id"], row["what"], row["purpose"], row["detail"],
        )  # fmt: skip
        bind.execute(log.update().where(log.c.id == row["id"]).values(prev_hash=head, row_hash=digest))
        head = digest
    for statement in CREATE.get(dialect, []):
        op.execute(statement)


def downgrade():
    with op.batch_alter_table("case_access_log") as batch_op:
        batch_op.drop_column("row_hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("detail")
    if op.get_bind().dialect.name == "sqlite":  # a rebuilt table has lost its triggers
        for statement in DROP["sqlite"]:
            op.execute(statement.replace("DROP TRIGGER", "DROP TRIGGER IF EXISTS"))
        for statement in CREATE["sqlite"]:
            op.execute(statement)
