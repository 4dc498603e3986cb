"""`flask users ...`: manage accounts from the command line."""

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from welfare.auth import services
from welfare.errors import DomainError
from welfare.extensions import db
from welfare.models import Role, User

users_cli = AppGroup("users", help="Manage staff accounts.")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--full-name", default="")
@click.option("--password", help="Prompted for (hidden) when not given.")
def create(username: str, role: str, full_name: str, password: str | None) -> None:
    """Create a user with a role."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = services.create_user(username, Role(role), password, full_name)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"Created {user.username} ({user.role.value}).")


@users_cli.command("disable")
@click.argument("username")
def disable(username: str) -> None:
    """Disable a user and end their sessions."""
    user = services.get_user_by_username(username)
    if user is None:
        raise click.ClickException(f"No user named {username!r}.")
    services.set_enabled(user, False)
    click.echo(f"Disabled {user.username}; their sessions have ended.")


@users_cli.command("enable")
@click.argument("username")
def enable(username: str) -> None:
    """Enable a disabled user."""
    user = services.get_user_by_username(username)
    if user is None:
        raise click.ClickException(f"No user named {username!r}.")
    services.set_enabled(user, True)
    click.echo(f"Enabled {user.username}.")


@users_cli.command("list")
def list_users() -> None:
    """List all users."""
    for user in db.session.scalars(sa.select(User).order_by(User.username)):
        state = "enabled" if user.is_enabled else "disabled"
        click.echo(f"{user.username:20} {user.role.value:14} {state:9} {user.full_name}")
