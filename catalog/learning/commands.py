"""`flask catalog seed-phrases` and `prune-log`: everyday phrases from the seed file, and the search
log's retention."""

import click

from catalog.cli import catalog_cli


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
