"""`flask mail send` (deliver what is due; run it from cron) and `flask mail list`."""

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from welfare.extensions import db
from welfare.mail import MailState, OutgoingMail

mail_cli = AppGroup("mail", help="Outgoing mail: deliver due messages, list the queue.")


@mail_cli.command("send")
@click.option("--limit", default=500, show_default=True, help="At most this many messages.")
def send_command(limit: int) -> None:
    """Deliver the messages that are due (new ones and retries); schedule every few minutes."""
    from welfare.mail.delivery import deliver_pending

    db.session.remove()  # the CLI's own transaction would hold SQLite's write lock
    result = deliver_pending(limit)
    click.echo(f"Backend {current_app.config['MAIL_BACKEND']}: {result}.")


@mail_cli.command("list")
def list_command() -> None:
    """Count messages per state and list the failed ones (address, subject, error; never the body)."""
    counts = dict(db.session.execute(sa.select(OutgoingMail.state, sa.func.count()).group_by(OutgoingMail.state)).all())
    for state in MailState:
        click.echo(f"{state.value:8} {counts.get(state.value, 0)}")
    failed = db.session.scalars(
        sa.select(OutgoingMail).where(OutgoingMail.state == MailState.FAILED.value).order_by(OutgoingMail.id)
    ).all()
    for mail in failed:
        click.echo(
            f"failed #{mail.id} {mail.created_at:%Y-%m-%d %H:%M} to {mail.to_addr} "
            f"({mail.attempts} tries): {mail.subject} | {mail.last_error or ''}"
        )


@mail_cli.command("retry")
@click.argument("ids", nargs=-1, type=int)
@click.option("--all-failed", is_flag=True, help="Every failed message.")
def retry_command(ids: tuple[int, ...], all_failed: bool) -> None:
    """Send failed messages again (after the mail server or an address was fixed)."""
    if not ids and not all_failed:
        raise click.UsageError("Name the messages (ids from `flask mail list`) or pass --all-failed.")
    from welfare.mail import requeue_failed

    count = requeue_failed(None if all_failed else list(ids))
    db.session.commit()
    click.echo(f"{count} message(s) queued again; `flask mail send` (or the next request) delivers them.")
