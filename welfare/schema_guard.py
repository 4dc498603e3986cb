"""Every `flask` command of the app finds the schema it was written for.

A command run on a fresh data dir (before `start` or `db upgrade`), or on a database whose
schema is older than the code, would otherwise die in a traceback such as "no such table".
`guard_commands(app)` (called once by the factory, after every feature added its commands)
wraps each command of `app.cli` so it first upgrades the schema as `start` does, or stops
with one clear line when it cannot (database unreachable, schema newer than the code, tables
made without migrations).

Commands that must see the database exactly as it is opt out with `@no_schema_upgrade`
(put it above `@<group>.command(...)`): backups and restores, deployment checks, and anything
that reports on a schema rather than uses it. Flask's own `shell` and `routes` and
Flask-Migrate's `db` are not in `app.cli`, so they are never wrapped; EXEMPT names them
anyway, with the commands other branches add, so a name alone is enough to stay out.
"""

import functools

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import ScriptInfo

from welfare.extensions import db

EXEMPT = frozenset({"db", "shell", "routes", "backup", "restore", "check-deploy"})
_OPT_OUT = "_welfare_no_schema_upgrade"


class SchemaError(Exception):
    """The schema cannot be brought to the code's version; the message is one line for the user."""


def no_schema_upgrade(command):
    """Mark a click command (or its callback) so `guard_commands` leaves it alone."""
    setattr(command, _OPT_OUT, True)
    callback = getattr(command, "callback", None)
    if callback is not None:
        setattr(callback, _OPT_OUT, True)
    return command


def _exempt(name: str, command: click.Command) -> bool:
    return (
        name in EXEMPT
        or getattr(command, _OPT_OUT, False)
        or getattr(getattr(command, "callback", None), _OPT_OUT, False)
    )


def guard_commands(app: Flask) -> None:
    """Wrap every non-exempt command under app.cli (groups recursively) with the schema check."""
    wrap_commands(app.cli, _with_schema, "_welfare_guarded", skip=_exempt)


def wrap_commands(group: click.Group, wrap, mark: str, skip=lambda name, command: False) -> None:
    """Replace the callback of every command under `group` (groups recursively) with
    `wrap(callback)`, once: the wrapper carries `mark`, since features share command objects
    between the apps a process creates."""
    for name, command in list(group.commands.items()):
        if skip(name, command):
            continue
        if isinstance(command, click.Group):
            wrap_commands(command, wrap, mark, skip)
        elif command.callback is not None and not getattr(command.callback, mark, False):
            command.callback = wrap(command.callback)
            setattr(command.callback, mark, True)


def _with_schema(callback):
    @functools.wraps(callback)
    def run(*args, **kwargs):
        app = click.get_current_context().ensure_object(ScriptInfo).load_app()
        with app.app_context():
            try:
                done = ensure_schema()
            except SchemaError as exc:
                raise click.ClickException(str(exc)) from None
            finally:
                db.session.remove()
        if done:
            click.echo(
                f"Database schema {done} (it was {'empty' if done == 'created' else 'older than the code'}).", err=True
            )
        return callback(*args, **kwargs)

    return run


def ensure_schema() -> str | None:
    """Upgrade the schema to the newest migration when it is missing or older; return what was done.

    :raise SchemaError: the database cannot be reached, its schema is newer than this code, or it
        holds tables that no migration made (then upgrading would try to create them again).
    """
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from flask_migrate import upgrade

    directory = current_app.extensions["migrate"].directory
    script = ScriptDirectory(directory)
    heads = set(script.get_heads())
    try:
        with db.engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
            tables = set(sa.inspect(connection).get_table_names())
    except sa.exc.OperationalError as exc:
        reason = str(exc.orig).splitlines()[0] if exc.orig else str(exc).splitlines()[0]
        raise SchemaError(f"The database cannot be opened: {reason}") from None
    if current == heads:
        return None
    known = {rev.revision for rev in script.walk_revisions()}
    if current - known:
        newer = ", ".join(sorted(current - known))
        raise SchemaError(f"The database schema ({newer}) is newer than this code: update the code first.")
    if not current and tables & set(db.metadata.tables):
        raise SchemaError(
            "The database has tables but no migration record: run `flask --app welfare db stamp head` "
            "if they were made from these models, or use an empty database."
        )
    try:
        upgrade(directory=directory)
    except Exception as exc:  # a failed migration leaves its own transaction rolled back
        raise SchemaError(f"Upgrading the database schema failed: {str(exc).splitlines()[0]}") from None
    return "created" if not current else "upgraded"
