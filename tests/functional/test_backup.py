"""`flask backup` / `flask restore`: every row and a working search in a fresh data dir."""

import os
import stat
import tarfile

import pytest
import sqlalchemy as sa

from cases.models import Challenge
from tests.conftest import TEST_DATABASE_URL, close_database, create_user, make_app, wipe_postgres
from tests.intake_factories import make_case, make_consent
from welfare.backup import table_counts
from welfare.extensions import db
from welfare.mail import queue
from welfare.models import Role


def _fill(app) -> dict[str, int]:
    """A case with a consent, a user and a queued message on top of the demo catalog."""
    create_user(app, Role.SOCIAL_WORKER, "cvetka")
    with app.app_context():
        case = make_case()
        make_consent(case)
        queue("org@example.org", "Napotitev – čšž", "Povezava ...")
        db.session.commit()
        with db.engine.connect() as conn:
            counts = table_counts(conn)
        db.session.remove()
    return counts


def _only_backup(directory):
    [path] = directory.glob("welfare-backup-*.tar.gz")
    return path


def test_a_backup_restored_into_a_fresh_data_dir_has_every_row_and_a_working_search(
    app, demo, runner, tmp_path_factory
):
    data_dir = app.config["DATA_DIR"]
    with open(os.path.join(data_dir, "secret_key"), "w") as fh:
        fh.write("the-installations-secret")
    counts = _fill(app)
    assert counts["case_file"] == 1 and counts["service"] > 30
    backups = tmp_path_factory.mktemp("backups")

    result = runner.invoke(args=["backup", str(backups)])

    assert result.exit_code == 0, result.output
    archive = _only_backup(backups)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "secret_key"} <= names
    assert ("database.dump" if TEST_DATABASE_URL else "database.sqlite3") in names
    assert "search-index" not in " ".join(names)  # derived data: rebuilt on restore

    close_database(app)
    if TEST_DATABASE_URL:
        wipe_postgres(TEST_DATABASE_URL)  # the "new server": an empty database
    fresh = make_app(tmp_path_factory.mktemp("fresh-data-dir"))
    restored = fresh.test_cli_runner().invoke(args=["restore", str(archive)])

    assert restored.exit_code == 0, restored.output
    assert "Search index rebuilt" in restored.output
    with fresh.app_context():
        with db.engine.connect() as conn:
            after = table_counts(conn)
        assert after == counts
        assert db.session.scalar(sa.select(Challenge.description)) == "Neplačani računi."  # the key came along
        db.session.remove()
    secret = os.path.join(fresh.config["DATA_DIR"], "secret_key")
    assert open(secret).read() == "the-installations-secret"
    assert stat.S_IMODE(os.stat(secret).st_mode) == 0o600
    assert fresh.test_cli_runner().invoke(args=["catalog", "check-index"]).exit_code == 0
    page = fresh.test_client().get("/search?q=nasilje").get_data(as_text=True)
    assert "SOS telefon za žrtve nasilja" in page and "simplified mode" not in page
    close_database(fresh)


def test_restore_refuses_a_data_dir_that_holds_data_unless_forced(app, runner, tmp_path_factory):
    _fill(app)
    backups = tmp_path_factory.mktemp("backups")
    assert runner.invoke(args=["backup", str(backups)]).exit_code == 0
    archive = _only_backup(backups)
    with app.app_context():
        db.session.execute(sa.text("DELETE FROM outgoing_mail"))
        db.session.commit()
        db.session.remove()

    refused = runner.invoke(args=["restore", str(archive)])

    assert refused.exit_code == 1
    assert "already holds data" in refused.output and "--force" in refused.output
    forced = runner.invoke(args=["restore", "--force", str(archive)])
    assert forced.exit_code == 0, forced.output
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT COUNT(*) FROM outgoing_mail")) == 1
        db.session.remove()


def test_restore_of_a_file_that_is_no_backup_says_so(app, runner, tmp_path):
    bogus = tmp_path / "notes.tar.gz"
    bogus.write_bytes(b"not an archive")
    fresh = make_app(tmp_path / "fresh")

    result = fresh.test_cli_runner().invoke(args=["restore", "--force", str(bogus)])

    assert result.exit_code == 1
    assert "cannot be read as a welfare backup" in result.output
    close_database(fresh)


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="PostgreSQL backups go through pg_dump")
def test_without_pg_dump_the_backup_prints_the_command_and_fails(app, runner, tmp_path, monkeypatch):
    import welfare.backup

    monkeypatch.setattr(welfare.backup.shutil, "which", lambda _name: None)
    result = runner.invoke(args=["backup", str(tmp_path / "b")])
    assert result.exit_code == 1
    assert "pg_dump -Fc" in result.output
