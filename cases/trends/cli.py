"""`flask reports export`: the trend report for a date range, for scheduled delivery."""

import time
from datetime import datetime
from pathlib import Path

import click
from flask.cli import AppGroup

from cases.trends import export, reports, store
from cases.trends.periods import MAX_CUSTOM_MONTHS, Period, month_index
from cases.trends.tables import min_cell

reports_cli = AppGroup("reports", help="Anonymized trend reports.")
trends_cli = AppGroup("trends", help="The monthly fact table behind the trend reports.")


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
    """Write the whole trend report: XLSX (one sheet per table) or CSV (a folder, one file per table)."""
    first, last = month_index(_day(from_, "--from")), month_index(_day(to, "--to"))
    if last < first:
        raise click.BadParameter("must not be before --from", param_hint="--to")
    if last - first + 1 > MAX_CUSTOM_MONTHS:
        raise click.BadParameter(f"a report spans at most {MAX_CUSTOM_MONTHS} months", param_hint="--to")
    # Whole months, like custom ranges on the pages: the same cells, the same suppression.
    period = Period("custom", first, last - first + 1)
    tables = [table for section in reports.SECTIONS.values() for table in section.build(period)]
    k = min_cell()
    if fmt == "xlsx":
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(export.xlsx_bytes(tables, k, f"Trend report {period.label}"))
        click.echo(f"Wrote {len(tables)} tables for {period.start} to {period.end} to {out}")
    else:
        files = export.write_csv_folder(tables, k, out)
        click.echo(f"Wrote {len(files)} CSV files for {period.start} to {period.end} to {out}/")


@trends_cli.command("refresh")
@click.option("--full", is_flag=True, help="Rebuild every month, not only the changed ones.")
def refresh_command(full: bool) -> None:
    """Recompute the report figures of the months changed since the last refresh."""
    started = time.perf_counter()
    months = store.refresh(full=full)
    what = "Rebuilt every month" if months == -1 else f"Recomputed {months} changed month(s)"
    click.echo(f"{what} in {time.perf_counter() - started:.1f} s")
