"""`flask catalog reindex`, `catch-up` and `check-index`: this server's search index."""

import sys

import click

from catalog.cli import catalog_cli
from welfare.errors import is_disk_full


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
    from catalog import search

    applied = search.catch_up(repair=True)
    search.prune_changes()
    if applied == -1:
        click.echo("Search index rebuilt (missing, or too far behind the change feed).")
    else:
        click.echo(f"Search index up to date: {applied} changed services applied.")


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
