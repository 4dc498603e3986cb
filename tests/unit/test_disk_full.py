"""welfare.errors.is_disk_full tells a write that failed for want of space from other failures,
through the wrappers SQLAlchemy and callers put around it."""

import errno
import sqlite3

import pytest
import sqlalchemy as sa

from welfare.errors import is_disk_full


class _PgError(Exception):
    sqlstate = "53100"  # what psycopg puts on PostgreSQL's disk_full


def _wrapped(orig: Exception) -> sa.exc.OperationalError:
    return sa.exc.OperationalError("INSERT ...", {}, orig)


def _chained(inner: Exception) -> RuntimeError:
    try:
        raise inner
    except Exception as exc:
        try:
            raise RuntimeError("while writing") from exc
        except RuntimeError as outer:
            return outer


@pytest.mark.parametrize(
    "exc",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        OSError(errno.EDQUOT, "Disk quota exceeded"),
        _wrapped(sqlite3.OperationalError("database or disk is full")),
        _wrapped(_PgError("could not extend file")),
        _chained(OSError(errno.ENOSPC, "No space left on device")),
        sqlite3.OperationalError("database or disk is full"),  # sqlite3 itself, e.g. an online backup
    ],
)
def test_a_full_disk_is_recognised(exc):
    assert is_disk_full(exc)


@pytest.mark.parametrize(
    "exc",
    [
        None,
        OSError(errno.EACCES, "Permission denied"),
        _wrapped(sqlite3.OperationalError("database is locked")),
        sqlite3.OperationalError("database is locked"),
        ValueError("disk is full"),  # the words alone, from no database or file system
    ],
)
def test_other_failures_are_not(exc):
    assert not is_disk_full(exc)
