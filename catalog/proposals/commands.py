"""`flask catalog remind-partners`: e-mail partners about entries they have not confirmed lately."""

import click

from catalog.cli import catalog_cli


@catalog_cli.command("remind-partners")
def remind_partners() -> None:
    """Remind partners of entries not confirmed for CATALOG_CONFIRM_MONTHS (once per entry per period)."""
    from catalog.proposals.reminders import send_reminders

    entries, mails = send_reminders()
    click.echo(f"Reminded of {entries} entries in {mails} e-mails (`flask mail send` delivers what is still queued).")
