"""Each test starts from an empty database at the current schema, whatever the test before it left.

On PostgreSQL the harness empties the worker's database between tests instead of building a new
one (tests/conftest.py `_reset_postgres`); these tests leave behind what earlier tests have left
and check that the next app sees none of it."""

import sqlalchemy as sa
from alembic.script import ScriptDirectory

from tests.conftest import app_with_empty_database, close_database
from welfare.extensions import db
from welfare.models import AuditEvent, Role, User


def _rows_per_table(app) -> dict[str, int]:
    with app.app_context():
        with db.engine.connect() as conn:
            counts = {t.name: conn.scalar(sa.select(sa.func.count()).select_from(t)) for t in db.metadata.sorted_tables}
    return {name: n for name, n in counts.items() if n}


def test_the_next_app_sees_no_row_of_the_last_one_append_only_tables_included(app, login_as, tmp_path):
    login_as(Role.ORGANIZER)  # a user, a login event, an access-log row
    with app.app_context():
        db.session.add(AuditEvent(action="left behind"))
        db.session.commit()
        first_user = db.session.scalar(sa.select(User.id))
    assert _rows_per_table(app)
    close_database(app)

    after = app_with_empty_database(tmp_path / "next")
    try:
        assert _rows_per_table(after) == {}
        with after.app_context():
            # Ids start again from 1, as on a new database: tests that read "/cases/1" rely on it.
            from tests.conftest import create_user

            assert create_user(after, Role.ADMIN, "again") == first_user == 1
    finally:
        close_database(after)


def test_a_schema_stamped_with_a_future_revision_is_rebuilt_for_the_next_test(app, tmp_path):
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999_future'"))
    close_database(app)

    after = app_with_empty_database(tmp_path / "next")
    try:
        head = ScriptDirectory(after.extensions["migrate"].directory).get_current_head()
        with after.app_context():
            assert db.session.scalars(sa.text("SELECT version_num FROM alembic_version")).all() == [head]
        assert after.test_cli_runner().invoke(args=["users", "list"]).exit_code == 0
    finally:
        close_database(after)
