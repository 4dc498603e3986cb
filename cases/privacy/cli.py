"""`flask cases retention [--apply]`: anonymize cases closed more than CASE_RETENTION_YEARS ago.

Meant to run monthly (cron or a systemd timer). Without --apply it only lists what would
change. With --apply each case is its own transaction, so an interrupted run loses nothing
and the next run continues where it stopped.
"""

import sys

import click
from flask.cli import AppGroup

from cases import drafts, events, places
from cases.models import Case
from cases.privacy import copies, retention
from welfare import clock
from welfare.extensions import db

cases_cli = AppGroup("cases", help="Case data: retention of closed cases, settlements typed before the list.")


def _describe(plan: retention.CasePlan) -> str:
    parts = [f"{count} {kind}" for kind, count in plan.counts.items()] or ["no free text"]
    identity = "identity removed" if plan.person_identity else "identity kept (another case is within retention)"
    return f"{plan.number}: {', '.join(parts)}; {identity}"


@cases_cli.command("retention")
@click.option("--apply", "apply_changes", is_flag=True, help="Anonymize (without it: a dry run that changes nothing).")
def retention_command(apply_changes: bool) -> None:
    """Anonymize cases closed more than CASE_RETENTION_YEARS ago (dry run by default)."""
    years = retention.retention_years()
    today = clock.today()
    ids = retention.due_case_ids(today, years)
    click.echo(f"Retention {years} years: cases closed before {retention.cutoff(today, years).isoformat()}.")
    if not apply_changes:
        for case_id in ids:
            click.echo(_describe(retention.inspect(db.session.get(Case, case_id))))
        click.echo(f"{drafts.count_expired()} unsaved draft(s) older than the draft period would be deleted.")
        click.echo(f"Dry run: {len(ids)} case(s) would be anonymized. Nothing was changed; add --apply to do it.")
        db.session.rollback()
        return
    click.echo(f"Deleted {drafts.delete_expired()} unsaved draft(s) older than the draft period.")
    leftovers = copies.remove_orphaned_outbox_files()  # of a run or an erasure killed after its commit
    if leftovers:
        click.echo(f"Removed {leftovers} e-mail file(s) left by an interrupted run.")
    done = []
    with click.progressbar(ids, label="Anonymizing", file=sys.stderr) as bar:
        for case_id in bar:
            plan = retention.anonymize(case_id, years)
            if plan is not None:
                done.append(plan)
    for plan in done:
        click.echo(_describe(plan))
    click.echo(f"Anonymized {len(done)} case(s).")


@cases_cli.command("map-settlements")
def map_settlements_command() -> None:
    """Map settlements typed before the official list to its names, or to "other"."""
    changed = places.remap_stored(db.session)
    if changed:
        events.many_changed()  # the trend reports count settlements
    db.session.commit()
    click.echo(f"{changed} persons' settlements mapped to the official list.")


@cases_cli.command("verify-access-log")
@click.option("--head", "expect_head", help="A head hash from a backup's manifest that must still be in the log.")
def verify_access_log_command(expect_head: str | None) -> None:
    """Check the access log's hash chain; report the first broken link (exit 1)."""
    from cases.access_log import verify_chain

    report = verify_chain(db.session, expect_head)
    db.session.rollback()
    if report.problem:
        where = f"row {report.broken_at} " if report.broken_at else ""
        click.echo(f"BROKEN after {report.rows - (1 if report.broken_at else 0)} good row(s): {where}{report.problem}.")
        raise SystemExit(1)
    click.echo(f"The access log is intact: {report.rows} row(s), head {report.head or '(empty)'}.")
