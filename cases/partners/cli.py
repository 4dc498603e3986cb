"""`flask partners send-statements`: mail each organization its monthly statement, once."""

import click
from flask.cli import AppGroup

from cases.partners import statement_mail
from cases.trends import statements as statement
from cases.trends.periods import PeriodError
from welfare.clock import today

partners_cli = AppGroup("partners", help="Organizations as partners.")


@partners_cli.command("send-statements")
@click.option("--month", default=None, help="The month as YYYY-MM; default: the last month that has ended.")
def send_statements_command(month: str | None) -> None:
    """Mail each organization its statement for a month that has ended; a second run sends nothing."""
    try:
        period = statement.month_period(month, today())
    except PeriodError:
        raise click.BadParameter(
            "expected a month as YYYY-MM between 2000-01 and 2100-12", param_hint="--month"
        ) from None
    if not statement.has_ended(period, today()):
        raise click.BadParameter(f"{period.label} has not ended yet", param_hint="--month")
    results = statement_mail.send_statements(period, today())
    for result in results:
        if result.state == "sent":
            click.echo(f"sent      {result.organization} -> {', '.join(result.recipients)}")
        elif result.state == "already_sent":
            click.echo(f"earlier   {result.organization}")
        else:
            click.echo(f"no e-mail {result.organization}")
    sent = sum(1 for r in results if r.state == "sent")
    click.echo(f"{period.label}: {sent} statement(s) sent, {len(results) - sent} not sent now.")
