"""`flask backup` / `flask restore`: every row and a working search in a fresh data dir; the
archive is encrypted to an age recipient, so a copy of it reveals nothing without the private key."""

import gzip
import io
import json
import os
import stat
import tarfile
import zipfile

import pyrage
import pytest
import sqlalchemy as sa

from cases.models import Challenge, TimelineEntry
from tests.conftest import TEST_DATABASE_URL, close_database, create_user, make_app, wipe_postgres
from tests.intake_factories import make_case, make_consent, make_person
from welfare.backup import table_counts
from welfare.extensions import db
from welfare.mail import queue
from welfare.models import Role

NAME = "Zalokar"  # a resident's surname, stored in clear in the database
NOTE = "Mož me tepe, Janez ve za to."  # a case note, encrypted in the database under the key


@pytest.fixture
def identity(app, tmp_path_factory):
    """An age key pair: the app gets the public half, the test keeps the identity file."""
    key = pyrage.x25519.Identity.generate()
    app.config["BACKUP_RECIPIENTS"] = str(key.to_public())
    path = tmp_path_factory.mktemp("off-server") / "backup-identity.txt"
    path.write_text(f"# created: by the test\n# public key: {key.to_public()}\n{key}\n")
    return path


def _fill(app) -> dict[str, int]:
    """A case with a consent, a user and a queued message on top of the demo catalog."""
    create_user(app, Role.SOCIAL_WORKER, "cvetka")
    with app.app_context():
        case = make_case(person=make_person(last_name=NAME))
        case.timeline.append(TimelineEntry(text=NOTE))
        make_consent(case)
        queue("org@example.org", "Napotitev – čšž", "Povezava ...")
        db.session.commit()
        with db.engine.connect() as conn:
            counts = table_counts(conn)
        db.session.remove()
    return counts


def _only_backup(directory):
    [path] = directory.glob("welfare-backup-*.tar.gz*")
    return path


def _members(archive, identity) -> dict[str, bytes]:
    plain = pyrage.decrypt(archive.read_bytes(), [pyrage.x25519.Identity.from_str(identity.read_text().split()[-1])])
    with tarfile.open(fileobj=io.BytesIO(plain), mode="r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def test_a_backup_restored_into_a_fresh_data_dir_has_every_row_and_a_working_search(
    app, demo, runner, tmp_path_factory, identity
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
    assert archive.name.endswith(".tar.gz.age")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    members = _members(archive, identity)
    names = set(members)
    assert {"manifest.json", "secret_key", "encryption.key"} <= names
    assert "access_log_head" in json.loads(members["manifest.json"])  # the head comes along (cases' plug-in)
    assert ("database.dump" if TEST_DATABASE_URL else "database.sqlite3") in names
    assert "search-index" not in " ".join(names)  # derived data: rebuilt on restore

    close_database(app)
    if TEST_DATABASE_URL:
        wipe_postgres(TEST_DATABASE_URL)  # the "new server": an empty database
    fresh = make_app(tmp_path_factory.mktemp("fresh-data-dir"))
    restored = fresh.test_cli_runner().invoke(args=["restore", "--identity", str(identity), str(archive)])

    assert restored.exit_code == 0, restored.output
    assert "Search index rebuilt" in restored.output
    with fresh.app_context():
        with db.engine.connect() as conn:
            after = table_counts(conn)
        assert after == counts
        assert db.session.scalar(sa.select(Challenge.description)) == "Neplačani računi."  # the key came along
        assert db.session.scalar(sa.select(TimelineEntry.text)) == NOTE
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
    assert runner.invoke(args=["backup", "--unencrypted", str(backups)]).exit_code == 0
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
    result = runner.invoke(args=["backup", "--unencrypted", str(tmp_path / "b")])
    assert result.exit_code == 1
    assert "pg_dump -Fc" in result.output


def test_a_copied_archive_reveals_no_name_no_note_and_is_no_readable_database(app, runner, tmp_path, identity):
    _fill(app)
    assert runner.invoke(args=["backup", str(tmp_path / "enc")]).exit_code == 0
    assert runner.invoke(args=["backup", "--unencrypted", str(tmp_path / "plain")]).exit_code == 0
    copied = _only_backup(tmp_path / "enc").read_bytes()
    control = gzip.decompress(_only_backup(tmp_path / "plain").read_bytes())

    # The control proves the search works: the same bytes in clear show the key file, and the name
    # (pg_dump -Fc compresses its table data, so on PostgreSQL only the key file shows).
    assert b"encryption.key" in control and (TEST_DATABASE_URL or NAME.encode() in control)
    for secret in (NAME, NOTE, "Marija", "encryption.key", "secret_key", "SQLite format 3", "manifest"):
        assert secret.encode() not in copied
    assert copied.startswith(b"age-encryption.org/v1")
    assert not copied.startswith(b"\x1f\x8b")  # no gzip
    assert not zipfile.is_zipfile(io.BytesIO(copied))
    with pytest.raises(tarfile.TarError):
        tarfile.open(fileobj=io.BytesIO(copied))
    # Nothing of it was left on disk in clear beside it (no temp copy of the database or the key).
    assert [p.name for p in (tmp_path / "enc").iterdir()] == [_only_backup(tmp_path / "enc").name]


def test_restore_with_another_identity_says_so_and_restores_nothing(app, runner, tmp_path, identity):
    _fill(app)
    assert runner.invoke(args=["backup", str(tmp_path / "b")]).exit_code == 0
    archive = _only_backup(tmp_path / "b")
    stranger = tmp_path / "other-identity.txt"
    stranger.write_text(str(pyrage.x25519.Identity.generate()) + "\n")
    close_database(app)
    if TEST_DATABASE_URL:
        wipe_postgres(TEST_DATABASE_URL)
    fresh = make_app(tmp_path / "fresh")
    cli = fresh.test_cli_runner()

    wrong = cli.invoke(args=["restore", "--identity", str(stranger), str(archive)])
    garbled = cli.invoke(args=["restore", str(archive)], input="AGE-SECRET-KEY-1NOTAKEY\n")

    assert wrong.exit_code == 1 and "encrypted to other recipients" in wrong.output
    assert garbled.exit_code == 1 and "not an age identity" in garbled.output
    with fresh.app_context():
        with db.engine.connect() as conn:
            assert "case_file" not in sa.inspect(conn).get_table_names()
    # The right key typed at the prompt (no file) opens it.
    typed = cli.invoke(args=["restore", str(archive)], input=identity.read_text().split()[-1] + "\n")
    assert typed.exit_code == 0, typed.output
    close_database(fresh)


def test_without_a_recipient_the_backup_refuses_unless_told_unencrypted(app, runner, tmp_path):
    _fill(app)
    app.config["BACKUP_RECIPIENTS"] = None

    refused = runner.invoke(args=["backup", str(tmp_path / "b")])

    assert refused.exit_code == 1
    assert "BACKUP_RECIPIENTS" in refused.output and "--unencrypted" in refused.output
    assert not (tmp_path / "b").exists() or not list((tmp_path / "b").iterdir())
    app.config["BACKUP_RECIPIENTS"] = "age1notakey"
    assert "not an age public key" in runner.invoke(args=["backup", str(tmp_path / "b")]).output
