"""`flask catalog import-hsds` and `export-hsds`: Open Referral packages in and out."""

import sys
from pathlib import Path

import click
from flask import current_app

from catalog.cli import catalog_cli
from catalog.hsds import export as hsds
from catalog.hsds.importer import ImportFailed, import_package, total_rows
from catalog.hsds.problems import summary, write_report


def _print_report(report, outcome: str) -> None:
    """Counts per kind of problem with a few examples; every problem goes to a file in DATA_DIR/imports."""
    if not report.issues:
        return
    path = write_report(report, Path(current_app.config["DATA_DIR"]) / "imports", outcome)
    for title, issues in (
        ("Problems found; nothing was imported", report.errors),
        ("Skipped or corrected", report.skipped),
        ("Warnings (imported as they are)", report.warnings),
    ):
        if issues:
            click.echo(f"{title} ({len(issues)}):", err=True)
            for line in summary(issues):
                click.echo(line, err=True)
    click.echo(f"Full list of problems: {path}", err=True)


@catalog_cli.command("import-hsds")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--skip-invalid", is_flag=True, help="Import the valid rows and report the rest.")
@click.option("--draft", is_flag=True, help="Create new organizations and services unpublished.")
@click.option("--source", help="Name of the directory the package comes from (default: its file name).")
@click.option("--dry-run", is_flag=True, help="Check and say what would change; write nothing.")
def import_hsds(path: Path, skip_invalid: bool, draft: bool, source: str | None, dry_run: bool) -> None:
    """Import an HSDS 3.0 or 3.1 (CSV or JSON) or 1.1 (CSV) data package, folder or .zip."""
    with click.progressbar(length=total_rows(path), label="Importing", file=sys.stderr) as bar:
        try:
            report = import_package(
                path, skip_invalid=skip_invalid, publish=not draft, progress=bar.update, source=source, dry_run=dry_run
            )
        except ImportFailed as exc:
            _print_report(exc.report, "refused, nothing was imported")
            raise SystemExit(1) from exc
    for note in report.notes:
        click.echo(f"Note: {note}")
    _print_report(report, "dry run" if dry_run else "imported")
    changes = report.changes
    click.echo(f"Source {report.source} ({'dry run' if dry_run else 'imported'}): {changes.summary(dry_run)}.")
    for example in changes.examples:
        click.echo(f"  {example}")
    if dry_run:
        click.echo("Dry run: nothing was written.")
        return
    written = ", ".join(f"{table}: {n}" for table, n in report.written.items()) or "nothing"
    click.echo(f"Imported HSDS {report.version} package: {written}.")


@catalog_cli.command("export-hsds")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Write tabular JSON (catalog.json) instead of CSV files.")
@click.option(
    "--version",
    "version",
    type=click.Choice(sorted(hsds.VERSIONS)),
    default="3.0",
    show_default=True,
    help="HSDS version; 3.1 adds the capacity residents may see (service_capacity, units).",
)
def export_hsds(directory: Path, as_json: bool, version: str) -> None:
    """Export the public catalog as an HSDS 3.0 or 3.1 data package."""
    if as_json:
        counts = hsds.write_json(directory / "catalog.json", version)
    else:
        counts = hsds.write_csv_package(directory, version)
    click.echo(f"Exported to {directory}: " + ", ".join(f"{p}: {n}" for p, n in counts.items() if n))
