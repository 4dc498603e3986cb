"""`flask backup DIR` and `flask restore FILE`: the database and the key files in one archive.

A backup is one `welfare-backup-<UTC time>.tar.gz` (mode 600) holding `manifest.json`, the
database (`database.sqlite3`, copied with SQLite's online backup API and checked with
`PRAGMA integrity_check`, or `database.dump` from `pg_dump -Fc`) and the key files of the data
dir. The search index is not in it: `restore` rebuilds it from the database, as do features
listening to `signals.data_restored`.
"""

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

from welfare import signals
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


def make_backup(directory: Path) -> Path:
    """Write one backup archive into `directory`; return its path."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    data_dir = Path(current_app.config["DATA_DIR"])
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    with tempfile.TemporaryDirectory(dir=directory, prefix=".welfare-backup-") as tmp:
        work = Path(tmp)
        manifest = {"format": FORMAT, "created_at": stamp, "database": db.engine.dialect.name, "files": []}
        if _is_sqlite():
            copy = work / "database.sqlite3"
            sqlite_copy(_sqlite_path(), copy)
            engine = sa.create_engine(f"sqlite:///{copy}")
            with engine.connect() as conn:  # counts and revision of the copy itself, not of a later state
                manifest["tables"] = table_counts(conn)
                manifest["revision"] = _revision(conn)
                manifest.update(signals.backup_manifest_entries(current_app, conn))
            engine.dispose()
        else:
            # Read before the dump: the log only grows, so the dump holds this head (and maybe more).
            with db.engine.connect() as conn:
                manifest.update(signals.backup_manifest_entries(current_app, conn))
            _pg_dump(work / "database.dump")
            with db.engine.connect() as conn:
                manifest["revision"] = _revision(conn)
        for name in KEY_FILES:
            if (data_dir / name).exists():
                _private_copy(data_dir / name, work / name)
                manifest["files"].append(name)
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2))
        target = directory / f"welfare-backup-{stamp}.tar.gz"
        partial = directory / f".{target.name}.partial"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                for path in sorted(work.iterdir()):
                    tar.add(path, arcname=path.name)
        except BaseException:
            partial.unlink(missing_ok=True)  # e.g. a full disk: leave no half archive behind
            raise
        os.replace(partial, target)  # a backup file is complete or absent, never half-written
    return target


def _pg_dump(target: Path) -> None:
    pg_dump = shutil.which("pg_dump")
    if not pg_dump:
        raise BackupError(
            "pg_dump is not on PATH. Install the PostgreSQL client (apt-get install postgresql-client) "
            'or run: pg_dump -Fc --no-owner -f welfare-$(date +%F).dump "$DATABASE_URL"'
        )
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
    # Only the app's own schema: other schemas in the database (other apps, extensions) are not ours.
    with db.engine.connect() as conn:
        schema = conn.scalar(sa.text("SELECT current_schema()"))
    done = subprocess.run(  # noqa: S603 (fixed program, our own URL)
        [pg_dump, "-Fc", "--no-owner", "-n", schema, "-f", str(target), libpq_url()], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()[:500]}")


def _read_archive(file: Path, work: Path) -> dict:
    """Extract the known members only (no paths from the archive are trusted)."""
    try:
        with tarfile.open(file, mode="r:gz") as tar:
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


def restore_backup(file: Path, *, force: bool = False) -> dict:
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
        manifest = _read_archive(file, work)
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
@with_appcontext
def backup_command(directory: Path) -> None:
    """Back up the database and key files into DIRECTORY (one .tar.gz, mode 600)."""
    db.session.remove()  # the CLI's own transaction would hold SQLite's write lock
    path = make_backup(directory)
    click.echo(f"Backup written: {path}")
    click.echo("Keep it encrypted and off this machine: it holds special-category personal data.")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
@with_appcontext
def restore_command(file: Path, force: bool) -> None:
    """Restore a backup into this data dir (empty unless --force), upgrade it, rebuild the search index."""
    from welfare.commands import upgrade_database

    manifest = restore_backup(file, force=force)
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
