"""A tamper-evident access log (issue 21): whoever holds the database could drop the trigger and
delete or rewrite rows with no trace. Now each row carries the hash of the one before it."""

import json
import tarfile

import pytest
import sqlalchemy as sa

from cases.access_log import ACCESS_LOG_TRIGGERS, AccessAction, CaseAccess, record_access
from tests.conftest import TEST_DATABASE_URL
from welfare.extensions import db

DROP = {
    "sqlite": ["DROP TRIGGER case_access_log_no_update", "DROP TRIGGER case_access_log_no_delete"],
    "postgresql": ["DROP TRIGGER case_access_log_no_change ON case_access_log"],
}


def _write_rows(app, count=5) -> list[int]:
    with app.app_context():
        rows = [record_access(AccessAction.VIEW, case_id=100 + i, what="case") for i in range(count)]
        db.session.commit()
        # Two in one flush as well: they chain in the order they were added.
        more = [record_access(AccessAction.EDIT, case_id=200), record_access(AccessAction.PRINT, case_id=200)]
        db.session.commit()
        return [row.id for row in rows + more]


def _tamper(app, statement: str, **params) -> None:
    """Drop the append-only triggers, rewrite, and put the triggers back (on PostgreSQL the next
    test reuses this schema: it must find the log protected again)."""
    with app.app_context():
        connection = db.session.connection()
        for drop in DROP[connection.dialect.name]:
            connection.execute(sa.text(drop))
        connection.execute(sa.text(statement), params)
        for create in ACCESS_LOG_TRIGGERS[connection.dialect.name]:
            connection.execute(sa.text(create))
        db.session.commit()


def _verify(runner, *args):
    return runner.invoke(args=["cases", "verify-access-log", *args])


def test_an_untouched_log_verifies(app, runner):
    ids = _write_rows(app)
    result = _verify(runner)
    assert result.exit_code == 0, result.output
    assert f"intact: {len(ids)} row(s)" in result.output
    with app.app_context():
        rows = db.session.scalars(sa.select(CaseAccess).order_by(CaseAccess.id)).all()
        assert rows[0].prev_hash == "" and all(b.prev_hash == a.row_hash for a, b in zip(rows, rows[1:], strict=False))


def test_a_deleted_row_is_reported_at_the_row_after_it(app, runner):
    ids = _write_rows(app)
    _tamper(app, "DELETE FROM case_access_log WHERE id = :id", id=ids[2])
    result = _verify(runner)
    assert result.exit_code == 1
    assert f"row {ids[3]} does not follow the row before it" in result.output


def test_an_edited_row_is_reported(app, runner):
    ids = _write_rows(app)
    _tamper(app, "UPDATE case_access_log SET case_id = 999 WHERE id = :id", id=ids[1])
    result = _verify(runner)
    assert result.exit_code == 1
    assert f"row {ids[1]} was changed after it was written" in result.output


def test_deleting_the_first_row_is_reported(app, runner):
    ids = _write_rows(app)
    _tamper(app, "DELETE FROM case_access_log WHERE id = :id", id=ids[0])
    assert f"row {ids[1]} does not follow" in _verify(runner).output


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="the archive check reads the SQLite copy")
def test_the_backup_records_the_head_and_rows_cut_off_the_end_show(app, runner, tmp_path):
    ids = _write_rows(app)
    result = runner.invoke(args=["backup", "--unencrypted", str(tmp_path / "backups")])  # tar readable here
    assert result.exit_code == 0, result.output
    archive = next((tmp_path / "backups").glob("welfare-backup-*.tar.gz"))
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    with app.app_context():
        last = db.session.get(CaseAccess, ids[-1])
        assert manifest["access_log_head"] == {"id": last.id, "hash": last.row_hash}
    head = manifest["access_log_head"]["hash"]
    assert _verify(runner, "--head", head).exit_code == 0
    # Cutting the newest rows leaves a consistent chain; only the kept head shows it.
    _tamper(app, "DELETE FROM case_access_log WHERE id >= :id", id=ids[-2])
    assert _verify(runner).exit_code == 0
    result = _verify(runner, "--head", head)
    assert result.exit_code == 1 and "rows were cut off the end" in result.output


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="runs the SQLite migrations on a file of its own")
def test_the_upgrade_chains_the_rows_already_there(tmp_path):
    import flask_migrate

    from tests.conftest import make_app

    app = make_app(tmp_path)
    with app.app_context():
        directory = app.extensions["migrate"].directory
        flask_migrate.upgrade(directory=directory, revision="0017")
        for i in range(3):
            db.session.execute(
                sa.text(
                    "INSERT INTO case_access_log (at, username, role, action, case_id, what) "
                    "VALUES (:at, 'ana', 'lawyer', 'view', 7, 'case')"
                ),
                {"at": f"2026-01-0{i + 1} 10:00:00.000000"},
            )
        db.session.commit()
        flask_migrate.upgrade(directory=directory)
        db.session.remove()
    assert "intact: 3 row(s)" in app.test_cli_runner().invoke(args=["cases", "verify-access-log"]).output
    with app.app_context():
        with pytest.raises(sa.exc.DatabaseError):  # the triggers are back
            db.session.execute(sa.text("DELETE FROM case_access_log"))
        db.session.rollback()
        db.engine.dispose()
