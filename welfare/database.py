"""Database engine tuning shared by every feature.

SQLite runs in WAL mode with foreign keys on and a busy timeout. Requests that can
change state (anything but GET/HEAD/OPTIONS) and CLI commands open their transaction
with BEGIN IMMEDIATE, so two writers queue on the lock instead of one failing with
"database is locked" halfway through, and no update is lost. PostgreSQL needs none of this.
"""

import contextlib
import os
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, g, has_request_context, request

from welfare.extensions import db

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def utcnow() -> datetime:
    """Timezone-aware now; stored naive-UTC so SQLite and PostgreSQL compare alike."""
    return datetime.now(UTC).replace(tzinfo=None)


def _wants_write_lock() -> bool:
    if has_request_context():
        return request.method not in READ_ONLY_METHODS or g.get("write_lock", False)
    return True


def begin_write() -> None:
    """Switch a read-only request to writing: end its read transaction so the next one takes the lock.

    Used by GET handlers with a side record to keep (session touch, audit of a read).
    """
    db.session.commit()
    g.write_lock = True


@contextlib.contextmanager
def writing_now():
    """A small write in the middle of a read-only request (e.g. touching the session on a GET).

    Writing inside the GET's deferred read transaction fails at once with "database is locked"
    when another request committed since it began (SQLite cannot upgrade an old snapshot, and
    the busy timeout does not apply), so end it and take the lock like a POST, just for this.
    """
    db.session.commit()
    if not has_request_context():
        yield
        return
    before = g.get("write_lock", False)
    g.write_lock = True
    try:
        yield
    finally:
        g.write_lock = before


PRIVATE_FILE = 0o600


def create_private_file(path: Path) -> None:
    """Create the file readable by the service's user only, or tighten an existing one."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        os.chmod(path, PRIVATE_FILE)


def _protect_sqlite_files(url: str) -> None:
    # SQLite gives its -wal and -shm files the database file's mode, so creating the database
    # 0600 before the first connection covers all three; older files are tightened too.
    database = sa.engine.make_url(url).database
    if not database or database == ":memory:":
        return
    path = Path(database)
    create_private_file(path)
    for suffix in ("-wal", "-shm"):
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists():
            os.chmod(sidecar, PRIVATE_FILE)


def configure_sqlite(app: Flask) -> None:
    """Install the SQLite connection hooks once the engine exists."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    _protect_sqlite_files(app.config["SQLALCHEMY_DATABASE_URI"])
    busy_ms = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])
    with app.app_context():
        engine = db.engine

    @sa.event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" hook issue BEGIN itself (pysqlite's own is unreliable).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def on_begin(conn):
        read_only = conn.get_execution_options().get(READ_ONLY_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _wants_write_lock() and not read_only else "BEGIN")


READ_ONLY_OPTION = "welfare_read_only"


def read_only_engine():
    """The engine for side reads (e.g. feeding the search index) that must not queue for the write
    lock the current request's own transaction may be holding."""
    return db.engine.execution_options(**{READ_ONLY_OPTION: True})
