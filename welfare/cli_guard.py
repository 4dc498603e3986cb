"""Every `flask` command stops with one clear line, not a traceback, when the disk is full.

A command that fails for want of space (the data dir's file system, SQLite's file, or
PostgreSQL's disk) has written nothing half: its transaction rolls back, and each command that
writes files does so under a temporary name first. What the operator needs then is the cause
and the next step, so the error is caught at the command's edge, for every command at once.
"""

import functools

import click
from flask import Flask

from welfare.errors import is_disk_full
from welfare.schema_guard import wrap_commands

DISK_FULL = (
    "The disk is full (the data directory's or the database's): the command stopped and "
    "wrote nothing half. Free some space and run the same command again."
)


def guard_disk_full(app: Flask) -> None:
    """Wrap every command under app.cli, groups recursively (call after all are registered)."""
    wrap_commands(app.cli, _stop_clearly, "_welfare_disk_guarded")


def _stop_clearly(callback):
    @functools.wraps(callback)
    def run(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except (click.exceptions.Exit, click.Abort, click.ClickException):
            raise
        except Exception as exc:
            if is_disk_full(exc):
                raise click.ClickException(DISK_FULL) from None
            raise

    return run
