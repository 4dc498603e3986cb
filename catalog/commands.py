"""`flask catalog ...`: HSDS import and export."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from catalog.hsds import export as hsds
from catalog.hsds.importer import ImportFailed, import_package, total_rows
from catalog.hsds.problems import summary, write_report
from welfare.errors import is_disk_full

catalog_cli = AppGroup("catalog", help="Catalog data: HSDS import and export.")


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
    """Import an HSDS 3.0 (CSV or JSON) or 1.1 (CSV) data package, folder or .zip."""
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
def export_hsds(directory: Path, as_json: bool) -> None:
    """Export the public catalog as an HSDS 3.0 data package."""
    counts = hsds.write_json(directory / "catalog.json") if as_json else hsds.write_csv_package(directory)
    click.echo(f"Exported to {directory}: " + ", ".join(f"{p}: {n}" for p, n in counts.items() if n))


@catalog_cli.command("reindex")
def reindex() -> None:
    """Rebuild the search index in a new folder and switch to it atomically."""
    from catalog import search as search_index

    total = len(search_index.public_ids())
    try:
        with click.progressbar(length=max(total, 1), label="Indexing", file=sys.stderr) as bar:
            count = search_index.rebuild(progress=bar.update)
    except OSError as exc:
        reason = "the disk is full" if is_disk_full(exc) else str(exc)
        raise click.ClickException(
            f"The search index could not be written ({reason}); the old index keeps serving. "
            "Free space or fix the folder, then run `flask catalog reindex` again."
        ) from exc
    click.echo(f"Indexed {count} public services.")


@catalog_cli.command("catch-up")
def catch_up() -> None:
    """Apply the database's search-index changes this node has not seen (run when a node starts)."""
    from catalog import search as follow

    applied = follow.catch_up(repair=True)
    follow.prune_changes()
    if applied == -1:
        click.echo("Search index rebuilt (missing, or too far behind the change feed).")
    else:
        click.echo(f"Search index up to date: {applied} changed services applied.")


@catalog_cli.command("seed-phrases")
def seed_phrases() -> None:
    """Add the life domains and the seed file's everyday phrases the database lacks (not ones staff
    removed), and remove seeded phrases the file no longer holds (not ones staff added)."""
    from catalog.seed import load_domain_phrases, load_taxonomies, retire_seed_phrases
    from welfare.extensions import db

    load_taxonomies()
    added = load_domain_phrases()
    retired = retire_seed_phrases()
    db.session.commit()
    click.echo(f"Added {added} everyday phrases; removed {retired} the seed file no longer holds.")


@catalog_cli.command("check-index")
def check_index() -> None:
    """Compare the search index with the database; exit 1 on any difference."""
    from catalog import search as search_index

    try:
        indexed = search_index.indexed_ids()
    except Exception as exc:
        click.echo(f"The search index cannot be read: {exc}. Run `flask catalog reindex`.", err=True)
        raise SystemExit(1) from exc
    public = search_index.public_ids()
    missing, extra = public - indexed, indexed - public
    if missing or extra:
        click.echo(
            f"Index differs from the database: {len(missing)} missing, {len(extra)} not public any more.", err=True
        )
        for service_id in sorted(missing)[:20]:
            click.echo(f"  missing: {service_id}", err=True)
        for service_id in sorted(extra)[:20]:
            click.echo(f"  extra:   {service_id}", err=True)
        raise SystemExit(1)
    click.echo(f"Index matches the database: {len(public)} public services.")


@catalog_cli.command("prune-log")
@click.option("--apply", is_flag=True, help="Really prune (without it: only report what would be pruned).")
def prune_log(apply: bool) -> None:
    """Fold raw search queries past their retention into counts of frequent queries (dry run by default)."""
    from catalog.learning.retention import prune_search_log

    plan = prune_search_log(apply=apply)
    verb = "Pruned" if apply else "Would prune"
    click.echo(
        f"{verb} {plan.old_rows} searches older than {plan.cutoff:%Y-%m-%d}: counts kept for "
        f"{plan.kept_queries} frequent queries, {plan.dropped_queries} rare queries dropped."
    )
    if not apply:
        click.echo("Dry run: nothing was changed. Run with --apply to prune.")
