"""`flask reports export`: the trend report for a date range, for scheduled delivery;
`flask trends rebuild` / `check`: the de-identified rows the reports count."""

import time
from datetime import datetime
from pathlib import Path

import click
from flask.cli import AppGroup

from cases.trends import export, reports, units
from cases.trends.figures import NONE
from cases.trends.periods import MAX_CUSTOM_MONTHS, Period, last_reported_month, month_index
from welfare.clock import today
from welfare.extensions import db

reports_cli = AppGroup("reports", help="Anonymized trend reports.")
trends_cli = AppGroup("trends", help="The de-identified rows behind the trend reports.")


def _day(value: str, name: str):
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter("expected YYYY-MM-DD", param_hint=name) from None


@reports_cli.command("export")
@click.option("--from", "from_", required=True, help="First day (YYYY-MM-DD); snapped to its month.")
@click.option("--to", "to", required=True, help="Last day (YYYY-MM-DD); snapped to the end of its month.")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="xlsx", show_default=True)
@click.argument("out", type=click.Path(path_type=Path))
def export_command(from_: str, to: str, fmt: str, out: Path) -> None:
    """Write the whole trend report: XLSX (a sheet per table) or CSV (a folder of long tables)."""
    first, last = month_index(_day(from_, "--from")), month_index(_day(to, "--to"))
    if last < first:
        raise click.BadParameter("must not be before --from", param_hint="--to")
    if last - first + 1 > MAX_CUSTOM_MONTHS:
        raise click.BadParameter(f"a report spans at most {MAX_CUSTOM_MONTHS} months", param_hint="--to")
    # Whole months that have ended, like custom ranges on the pages: the same figures.
    period = Period("custom", first, last - first + 1).until(last_reported_month(today()))
    if period is None:
        raise click.BadParameter("no month of the range has ended yet", param_hint="--from")
    tables = [(section, table) for section in reports.SECTIONS.values() for table in section.build(period, NONE)]
    if fmt == "xlsx":
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(export.xlsx_bytes(tables, f"Trend report {period.label}"))
        click.echo(f"Wrote {len(tables)} tables for {period.start} to {period.end} to {out}")
    else:
        files = export.write_csv_folder(tables, NONE, out)
        click.echo(f"Wrote {len(files)} CSV files for {period.start} to {period.end} to {out}/")


@trends_cli.command("rebuild")
def rebuild_command() -> None:
    """Derive every counted row again from the case tables."""
    started = time.perf_counter()
    cases, referrals = units.rebuild()
    db.session.commit()
    click.echo(f"Derived {cases} cases and {referrals} referrals in {time.perf_counter() - started:.1f} s")


@trends_cli.command("check")
def check_command() -> None:
    """Exit 1 if a counted row differs from what the case tables say (a missed announcement)."""
    found = units.differences()
    for line in found[:20]:
        click.echo(line)
    if found:
        raise SystemExit(f"{len(found)} counted row(s) differ; run `flask trends rebuild`")
    click.echo("The counted rows match the case tables.")
