"""Top-level CLI commands: seed-demo and start."""

import secrets

import click
from flask import current_app
from flask.cli import with_appcontext

from welfare import signals
from welfare.auth import services
from welfare.extensions import db
from welfare.models import Role

DEMO_USERS = [
    ("organizator", Role.ORGANIZER, "Ana Organizator"),
    ("pravnik", Role.LAWYER, "Boris Pravnik"),
    ("socialna", Role.SOCIAL_WORKER, "Cvetka Socialna"),
    ("supervizor", Role.SUPERVISOR, "Darko Supervizor"),
    ("admin", Role.ADMIN, "Eva Administratorka"),
]


def seed_demo_users() -> list[tuple[str, str, str]]:
    """Create the demo users that do not exist yet; return (username, role, password) of new ones."""
    created = []
    for username, role, full_name in DEMO_USERS:
        if services.get_user_by_username(username):
            continue
        password = "-".join(secrets.token_urlsafe(4) for _ in range(3))
        services.create_user(username, role, password, full_name)
        created.append((username, role.value, password))
    return created


def seed_demo() -> None:
    """Load all demo data (users, catalog, synthetic cases) that is not there yet."""
    created = seed_demo_users()
    if created:
        click.echo("Demo users (passwords are shown only this once):")
        for username, role, password in created:
            click.echo(f"  {username:12} {role:14} {password}")
    else:
        click.echo("Demo users already exist; passwords were printed when they were created.")
    # Each feature adds its own demo data (catalog first, then cases that refer to it).
    signals.send_seed_demo(current_app._get_current_object(), echo=click.echo)


def upgrade_database() -> None:
    """Bring the schema to the newest migration."""
    from flask_migrate import upgrade

    upgrade(directory=current_app.extensions["migrate"].directory)


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load demo data into the current data dir (idempotent)."""
    upgrade_database()
    seed_demo()


@click.command("start")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@with_appcontext
def start_command(host: str, port: int) -> None:
    """Create or upgrade the database, load demo data on first start, and serve the app."""
    upgrade_database()
    seed_demo()  # idempotent: only what is missing is added, so the data is reused afterwards
    # Release the CLI's own transaction: on SQLite it holds the write lock until it ends.
    db.session.remove()
    app = current_app._get_current_object()
    # The local demo runs over plain HTTP, so cookies cannot be Secure-only here.
    app.config["SESSION_COOKIE_SECURE"] = False
    # The demo's users log in with the printed passwords alone, unless a second factor was
    # asked for (WELFARE_TOTP_REQUIRED=true); production (gunicorn) requires it by default.
    if app.config.get("TOTP_REQUIRED") is None:
        app.config["TOTP_REQUIRED"] = False
        click.echo("Second factor (TOTP) not required in this demo: set WELFARE_TOTP_REQUIRED=true to try it.")
    click.echo(f"Data dir: {app.config['DATA_DIR']}")
    from welfare.config import limiter_store_warning

    if warning := limiter_store_warning(app):
        click.echo(warning, err=True)
    click.echo(f"Serving on http://{host}:{port}/ (Ctrl+C stops)")
    # Flask refuses app.run() inside a CLI command, so serve with Werkzeug directly.
    from werkzeug.serving import run_simple

    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)
