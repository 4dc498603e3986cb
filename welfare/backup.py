"""`flask backup DIR` and `flask restore FILE`: the database and the key files in one archive.

A backup is one `welfare-backup-<UTC time>.tar.gz.age` (mode 600): a tar.gz holding
`manifest.json`, the database (`database.sqlite3`, copied with SQLite's online backup API and
checked with `PRAGMA integrity_check`, or `database.dump` from `pg_dump -Fc`) and the key files of
the data dir, encrypted to the age recipients of `BACKUP_RECIPIENTS` (welfare/backup_age.py).
The archive is built in memory and written encrypted, so neither the key files nor the database
copy lie on disk in clear, not even in a temporary file. Without a recipient the command refuses
unless `--unencrypted` (then a plain `.tar.gz`). The search index is not in it: `restore`
rebuilds it from the database, as do features listening to `signals.data_restored`.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from welfare import backup_age, signals
from welfare.database import PRIVATE_FILE
from welfare.extensions import db

# Files of the data dir that cannot be recreated from the database.
KEY_FILES = ("secret_key", "encryption.key")
FORMAT = 1


class BackupError(click.ClickException):
    """A backup or restore that cannot go on; the message says what to do instead."""


def _is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def _sqlite_path() -> Path:
    return Path(db.engine.url.database)


def libpq_url() -> str:
    """The database URL as pg_dump/pg_restore take it (no SQLAlchemy driver suffix)."""
    url = db.engine.url.set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _private_copy(source: Path, target: Path) -> None:
    """Copy a key file (mode 600) under a temporary name, then rename: the key is whole or absent."""
    partial = target.with_name(f".{target.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(fd, "wb") as out, source.open("rb") as src:
        shutil.copyfileobj(src, out)
    os.chmod(partial, PRIVATE_FILE)
    os.replace(partial, target)


def sqlite_copy(source: Path, target: Path) -> None:
    """Copy a live SQLite database page by page (safe while the app writes), then check the copy."""
    if not target.exists():
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        result = dst.execute("PRAGMA integrity_check").fetchall()
    finally:
        dst.close()
        src.close()
    if result != [("ok",)]:
        raise BackupError(f"The copy of {source.name} failed its integrity check: {result[:3]}")


def table_counts(connection) -> dict[str, int]:
    names = sa.inspect(connection).get_table_names()
    count = sa.select(sa.func.count())
    return {name: connection.scalar(count.select_from(sa.table(name))) for name in sorted(names)}


def _revision(connection) -> str | None:
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _sqlite_snapshot() -> tuple[bytes, dict]:
    """The live SQLite database copied page by page into memory (safe while the app writes) and
    checked, with the manifest entries read from that copy itself (counts, revision, the features'
    entries such as the access-log head), not from a later state."""
    src = sqlite3.connect(_sqlite_path())
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    engine = sa.create_engine("sqlite://", creator=lambda: copy, poolclass=sa.pool.StaticPool)
    try:
        src.backup(copy)
        result = copy.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            raise BackupError(f"The copy of {_sqlite_path().name} failed its integrity check: {result[:3]}")
        with engine.connect() as conn:
            entries = {
                "tables": table_counts(conn),
                "revision": _revision(conn),
                **signals.backup_manifest_entries(current_app, conn),
            }
        return copy.serialize(), entries
    finally:
        engine.dispose()
        copy.close()
        src.close()


def make_backup(directory: Path, recipients: list) -> Path:
    """Write one backup archive into `directory`, encrypted to `recipients` (none: in clear); return its path."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    data_dir = Path(current_app.config["DATA_DIR"])
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    manifest = {"format": FORMAT, "created_at": stamp, "database": db.engine.dialect.name, "files": []}
    members: dict[str, bytes] = {}
    if _is_sqlite():
        members["database.sqlite3"], entries = _sqlite_snapshot()
        manifest.update(entries)
    else:
        # Read before the dump: the log only grows, so the dump holds this head (and maybe more).
        with db.engine.connect() as conn:
            manifest.update(signals.backup_manifest_entries(current_app, conn))
        members["database.dump"] = _pg_dump()
        with db.engine.connect() as conn:
            manifest["revision"] = _revision(conn)
    for name in KEY_FILES:
        if (data_dir / name).exists():
            members[name] = (data_dir / name).read_bytes()
            manifest["files"].append(name)
    manifest["encrypted"] = bool(recipients)
    members["manifest.json"] = json.dumps(manifest, indent=2).encode()
    archive = _tar_gz(members)
    if recipients:
        archive = backup_age.encrypt(archive, recipients)
    target = directory / f"welfare-backup-{stamp}.tar.gz{'.age' if recipients else ''}"
    partial = directory / f".{target.name}.partial"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(archive)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        partial.unlink(missing_ok=True)  # e.g. a full disk: leave no half archive behind
        raise
    os.replace(partial, target)  # a backup file is complete or absent, never half-written
    return target


def _tar_gz(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name in sorted(members):
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(members[name]), PRIVATE_FILE
            tar.addfile(info, io.BytesIO(members[name]))
    return buffer.getvalue()


def _pg_dump() -> bytes:
    pg_dump = shutil.which("pg_dump")
    if not pg_dump:
        raise BackupError(
            "pg_dump is not on PATH. Install the PostgreSQL client (apt-get install postgresql-client) "
            'or run: pg_dump -Fc --no-owner "$DATABASE_URL" | age -R recipients.txt > welfare-$(date +%F).dump.age'
        )
    # Only the app's own schema: other schemas in the database (other apps, extensions) are not ours.
    with db.engine.connect() as conn:
        schema = conn.scalar(sa.text("SELECT current_schema()"))
    done = subprocess.run(  # noqa: S603 (fixed program, our own URL)
        [pg_dump, "-Fc", "--no-owner", "-n", schema, libpq_url()], capture_output=True
    )
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.decode(errors='replace').strip()[:500]}")
    return done.stdout


def _open_archive(file: Path, identities) -> io.BytesIO:
    """The archive's tar.gz bytes, decrypted when it is an age file. `identities()` is asked for the
    private key only then. :raise BackupError: it cannot be opened."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise BackupError(f"{file} cannot be read: {exc}") from exc
    if backup_age.is_encrypted(data):
        try:
            data = backup_age.decrypt(data, identities(), file.name)
        except backup_age.AgeError as exc:
            raise BackupError(str(exc)) from None
    return io.BytesIO(data)


def _read_archive(file: Path, work: Path, identities) -> dict:
    """Extract the known members only (no paths from the archive are trusted)."""
    archive = _open_archive(file, identities)
    try:
        with tarfile.open(fileobj=archive, mode="r:gz") as tar:
            members = {m.name: m for m in tar.getmembers() if m.isfile()}
            if "manifest.json" not in members:
                raise BackupError(f"{file} is not a welfare backup (no manifest.json).")
            manifest = json.loads(tar.extractfile(members["manifest.json"]).read())
            wanted = ["database.sqlite3", "database.dump", *KEY_FILES]
            for name in wanted:
                if name in members:
                    target = work / name
                    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
                    with os.fdopen(fd, "wb") as out:
                        shutil.copyfileobj(tar.extractfile(members[name]), out)
    except (tarfile.TarError, OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BackupError(f"{file} cannot be read as a welfare backup: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{file} has backup format {manifest.get('format')!r}; this version reads {FORMAT}.")
    return manifest


def database_is_empty() -> bool:
    with db.engine.connect() as conn:
        return not sa.inspect(conn).get_table_names()


def restore_backup(file: Path, *, force: bool = False, identities=list) -> dict:
    """Restore an archive into this app's database and data dir; return its manifest."""
    data_dir = Path(current_app.config["DATA_DIR"])
    db.session.remove()
    if not database_is_empty() and not force:
        raise BackupError(
            f"The database of {data_dir} already holds data. Restore into an empty data dir, "
            "or pass --force to replace everything in it."
        )
    with tempfile.TemporaryDirectory(dir=data_dir, prefix=".restore-") as tmp:
        work = Path(tmp)
        manifest = _read_archive(file, work, identities)
        if manifest["database"] != db.engine.dialect.name:
            raise BackupError(
                f"The backup holds a {manifest['database']} database; this app uses {db.engine.dialect.name}."
            )
        db.engine.dispose()  # no connection of ours may hold the old database open
        if _is_sqlite():
            sqlite_copy(work / "database.sqlite3", _sqlite_path())
        else:
            _pg_restore(work / "database.dump")
        for name in manifest["files"]:
            _private_copy(work / name, data_dir / name)
    db.engine.dispose()
    return manifest


def _pg_restore(dump: Path) -> None:
    pg_restore = shutil.which("pg_restore")
    if not pg_restore:
        raise BackupError(
            "pg_restore is not on PATH. Install the PostgreSQL client, or run: "
            'pg_restore --no-owner --clean --if-exists -d "$DATABASE_URL" database.dump'
        )
    # --clean: the dump recreates its schema, which an empty database already has (empty).
    command = [pg_restore, "--no-owner", "--clean", "--if-exists", "--exit-on-error", "-d", libpq_url()]
    done = subprocess.run([*command, str(dump)], capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()[:500]}")


@click.command("backup")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--unencrypted",
    is_flag=True,
    help="Write a plain .tar.gz, even without or despite BACKUP_RECIPIENTS (it holds the key beside the data).",
)
@with_appcontext
def backup_command(directory: Path, unencrypted: bool) -> None:
    """Back up the database and key files into DIRECTORY (one archive, encrypted to BACKUP_RECIPIENTS)."""
    try:
        recipients = backup_age.parse_recipients(current_app.config.get("BACKUP_RECIPIENTS"))
    except backup_age.AgeError as exc:
        raise BackupError(str(exc)) from None
    if not recipients and not unencrypted:
        raise BackupError(
            "No BACKUP_RECIPIENTS is set, so the backup would hold the database and its encryption key in clear. "
            "Create a key pair off this server (age-keygen -o backup-identity.txt), set "
            "WELFARE_BACKUP_RECIPIENTS=age1... (the public key it prints), and keep the identity file away from "
            "this server. To write an unencrypted archive anyway, pass --unencrypted."
        )
    db.session.remove()  # the CLI's own transaction would hold SQLite's write lock
    path = make_backup(directory, [] if unencrypted else recipients)
    click.echo(f"Backup written: {path}")
    if recipients and not unencrypted:
        click.echo(f"Encrypted to {len(recipients)} age recipient(s); restoring needs one of their private keys.")
    else:
        click.echo("NOT encrypted: it holds special-category personal data and the key to the case notes.")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
@click.option(
    "--identity",
    "identity_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="age identity file (AGE-SECRET-KEY-1...) of an encrypted backup; without it you are asked for the key.",
)
@with_appcontext
def restore_command(file: Path, force: bool, identity_file: Path | None) -> None:
    """Restore a backup into this data dir (empty unless --force), upgrade it, rebuild the search index."""
    from welfare.commands import upgrade_database

    def identities() -> list:
        try:
            if identity_file:
                return backup_age.read_identity_file(identity_file)
            pasted = click.prompt("The backup is encrypted. Private key (AGE-SECRET-KEY-1...)", hide_input=True)
            return backup_age.parse_identities(pasted, "the key entered")
        except backup_age.AgeError as exc:
            raise BackupError(str(exc)) from None

    manifest = restore_backup(file, force=force, identities=identities)
    upgrade_database()  # a backup from an older release gets this release's schema
    app = current_app._get_current_object()
    signals.data_restored.send(app, echo=click.echo)
    db.session.remove()
    expected = manifest.get("tables") or {}
    with db.engine.connect() as conn:
        found = table_counts(conn)
    differ = {name: (n, found.get(name)) for name, n in expected.items() if found.get(name, 0) < n}
    if differ:
        raise BackupError(f"Rows missing after the restore (table: backup, now): {differ}")
    rows = sum(found.values())
    click.echo(f"Restored {file.name} ({manifest['created_at']}): {len(found)} tables, {rows} rows.")
