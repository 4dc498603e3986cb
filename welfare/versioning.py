"""Optimistic locking, shared by every feature that edits a record two people may open at once.

Versioned models carry a `version_id` (SQLAlchemy's version counter). Forms carry the version
they were loaded with; `check_version` refuses a form older than the record, and a save that
loses a race with another (PostgreSQL: the loser's UPDATE matches no row) becomes a Conflict
through `conflict_if_stale`. The view then shows the form again with what the user typed.
"""

import contextlib

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from welfare.errors import Conflict
from welfare.extensions import db

STALE = _l("Someone else saved this record in the meantime. Your text is still in the form: compare and save again.")


@contextlib.contextmanager
def conflict_if_stale(message=None):
    """Turn a versioned row someone else changed into Conflict (rolled back).

    On PostgreSQL two requests can both pass check_version; the loser's UPDATE then waits for
    the winner's commit and matches no row, a StaleDataError at any flush (an autoflush in the
    middle of a service too), not only at the commit.

    :raise Conflict: a versioned row changed since it was loaded.
    """
    try:
        yield
    except StaleDataError:
        db.session.rollback()
        raise Conflict(str(message or STALE)) from None


def commit_or_conflict(message=None) -> None:
    """Commit the user's action; a record someone else saved meanwhile raises Conflict (rolled back).

    :raise Conflict: a versioned row changed since the form was loaded.
    """
    with conflict_if_stale(message):
        db.session.commit()


def check_version(record, submitted_version: int | str | None, message=None) -> None:
    """Refuse a save made from a form loaded before the record last changed.

    Comparing the form's version here catches a stale form even when the two saves do not
    overlap in time. A missing or unreadable version is not checked (a form of a new record).

    :raise Conflict: the record changed since the form was loaded.
    """
    try:
        submitted = int(submitted_version) if submitted_version not in (None, "") else None
    except (TypeError, ValueError):
        submitted = None
    if submitted is not None and submitted != record.version_id:
        raise Conflict(str(message or STALE))
