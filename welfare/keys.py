"""`flask keys status`, `flask keys rotate` and `flask keys bind`: which key protects how much,
moving to a new key, and binding values from before the row binding to their cells.

Rotation adds a new current key to the keyring file, then re-encrypts every value of every
EncryptedText column that is under an older key, in batches of one transaction each. Each row is
rewritten only if it still holds the value that was read (compare-and-set), so an edit made
meanwhile is never overwritten. Interrupted, it is simply run again: with values still under an
older key it continues instead of adding a key. A value that is not its cell's own (plain text,
moved, changed, or from before the binding) is never re-encrypted: rotation names it and exits 1.

`bind_cells` (migration 0023, and `flask keys bind`) rewrites `enc1:` values, which were bound to
their column only, as `enc2:` values bound to their row too. Plain text is left alone and named,
unless the operator vouches for it with `--include-plain` (text stored before encryption existed).
"""

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from welfare import crypto
from welfare.database import PRIVATE_FILE
from welfare.extensions import db
from welfare.faults import pause_point

keys_cli = AppGroup("keys", help="Encryption keys of the protected free text: status and rotation.")

PLAIN = "(not encrypted)"
LEGACY = "(before the row binding)"


def _raw(column: sa.Column):
    # The stored string itself: comparing through EncryptedText would encrypt the other side.
    return sa.type_coerce(column, sa.Text)


def values_by_key() -> Counter:
    """How many stored values each key protects (PLAIN: stored before encryption was on)."""
    counts: Counter = Counter()
    for _table, column in crypto.encrypted_columns(db.metadata):
        stored = db.session.execute(sa.select(_raw(column)).where(column.is_not(None))).scalars()
        for value in stored:
            kind = crypto.kind_of(value)
            counts[crypto.key_id_of(value) if kind == "bound" else LEGACY if kind == "legacy" else PLAIN] += 1
    db.session.commit()
    return counts


def add_key_to_file() -> str:
    """Append a new key (it becomes current) to the keyring file, atomically; return its id."""
    app = current_app._get_current_object()
    if app.config.get("ENCRYPTION_KEY"):
        raise click.ClickException(
            "The keyring comes from WELFARE_ENCRYPTION_KEY, which this command cannot change. Append this entry "
            f"to it (last = current), restart the app, then run `flask keys rotate` again:\n  {crypto.new_key_entry()}"
        )
    path = crypto.key_file(app)
    entry = crypto.new_key_entry()
    partial = Path(f"{path}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(fd, "w") as fh:
        fh.write(path.read_text().rstrip("\n") + "\n" + entry + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    pause_point("keys.partial")
    os.replace(partial, path)
    _fsync_directory(path.parent)  # the rename itself must be on disk before any value uses the key
    pause_point("keys.saved")
    return entry.split(":", 1)[0]


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def reencrypt(batch: int = 500, progress=None) -> tuple[int, list[str]]:
    """Bring every value under the current key; return (rewritten, values that failed authentication:
    never re-encrypted, whatever they hold)."""
    ring = crypto.keyring()
    current = f"{crypto.PREFIX}:{ring.current_id}:"
    rewritten, failed = 0, []
    for table, column in crypto.encrypted_columns(db.metadata):
        [pk] = table.primary_key.columns
        raw, last_id = _raw(column), 0
        while True:
            rows = db.session.execute(
                sa.select(pk, raw)
                .where(pk > last_id, column.is_not(None), sa.not_(raw.startswith(current, autoescape=True)))
                .order_by(pk)
                .limit(batch)
            ).all()
            if not rows:
                break
            for row_id, stored in rows:
                try:
                    plain = crypto.decrypt(stored, column.type.purpose, row_id, ring)
                except crypto.TamperedValue as exc:
                    failed.append(f"{table.name}.{column.name} id {row_id} ({exc.reason})")
                    continue
                fresh = crypto.encrypt(plain, column.type.purpose, row_id, ring)
                done = db.session.execute(
                    sa.update(table)
                    .where(pk == row_id, raw == stored)
                    .values({column.name: sa.bindparam("fresh", fresh, type_=sa.Text)})
                )
                rewritten += done.rowcount
            db.session.commit()  # one batch, one transaction: an interruption loses nothing done
            pause_point("keys.batch")
            last_id = rows[-1][0]
            if progress:
                progress(len(rows))
    return rewritten, failed


@keys_cli.command("status")
def status_command() -> None:
    """Show the current key and how many stored values each key protects."""
    ring = crypto.keyring()
    click.echo(f"Keyring: {ring.source}; current key {ring.current_id}; keys {', '.join(ring.keys)}")
    for key_id, count in sorted(values_by_key().items()):
        click.echo(f"  {key_id:16} {count}")


@keys_cli.command("rotate")
@click.option("--batch", default=500, show_default=True, help="Rows per transaction.")
def rotate_command(batch: int) -> None:
    """Add a new key and re-encrypt all protected text with it (run again to resume)."""
    db.session.remove()  # the CLI's own transaction would hold SQLite's write lock
    ring = crypto.keyring()
    # Values under an older key mean an unfinished rotation; plain text is encrypted either way.
    behind = {k: n for k, n in values_by_key().items() if k not in (ring.current_id, PLAIN, LEGACY)}
    if behind:
        click.echo(f"Continuing: {sum(behind.values())} values are not under the current key {ring.current_id} yet.")
    else:
        click.echo(f"New current key {add_key_to_file()}.")
    rewritten, failed = reencrypt(batch)
    click.echo(f"Re-encrypted {rewritten} values.")
    if failed:
        click.echo(
            f"{len(failed)} values are not their cell's own and were NOT re-encrypted (they stay unreadable): "
            f"{', '.join(failed[:20])}. Plain text or a moved value is tampering; values from before the row "
            "binding need `flask keys bind`.",
            err=True,
        )
        raise SystemExit(1)
    old = [k for k in crypto.keyring().keys if k != crypto.keyring().current_id]
    if old:
        click.echo(
            f"Older keys {', '.join(old)} protect nothing in the database any more; keep them only as long as you "
            "keep backups made before this rotation."
        )


@dataclass(frozen=True)
class Cell:
    """One encrypted column as a migration knows it: table, column, primary key, purpose."""

    table: str
    column: str
    pk: str = "id"

    @property
    def purpose(self) -> str:
        return f"{self.table}.{self.column}"


def bind_cells(connection, cells: list[Cell], *, include_plain: bool = False, app=None) -> tuple[int, list[str]]:
    """Rewrite each `enc1:` value (and, with include_plain, each plain text) as a value bound to its
    row; return (rewritten, values left as they are). The keyring is read only when there is work."""
    rewritten, left, ring = 0, [], None
    for cell in cells:
        pk, column = sa.column(cell.pk), sa.column(cell.column, sa.Text)
        table = sa.table(cell.table, pk, column)
        rows = connection.execute(
            sa.select(pk, column).where(column.is_not(None), sa.not_(column.startswith(f"{crypto.PREFIX}:")))
        ).all()
        for row_id, stored in rows:
            ring = ring or crypto.keyring(app)
            kind = crypto.kind_of(stored)
            try:
                if kind == "legacy":
                    plain = crypto.decrypt_legacy(stored, cell.purpose, ring)
                elif include_plain:
                    plain = stored
                else:
                    raise crypto.TamperedValue(cell.purpose, "plain text in an encrypted column", row_id)
            except crypto.TamperedValue as exc:
                left.append(f"{cell.purpose} id {row_id} ({exc.reason})")
                continue
            fresh = crypto.encrypt(plain, cell.purpose, row_id, ring)
            done = connection.execute(
                sa.update(table).where(pk == row_id, column == stored).values({cell.column: fresh})
            )
            rewritten += done.rowcount
    return rewritten, left


def schema_cells() -> list[Cell]:
    """The encrypted columns of the current schema."""
    return [
        Cell(table.name, column.name, table.primary_key.columns[0].name)
        for table, column in crypto.encrypted_columns(db.metadata)
    ]


@keys_cli.command("bind")
@click.option(
    "--include-plain",
    is_flag=True,
    help="Also encrypt plain text found in encrypted columns (only for text stored before encryption existed).",
)
def bind_command(include_plain: bool) -> None:
    """Bind values encrypted before the row binding (enc1) to their rows; migration 0023 runs it."""
    db.session.remove()
    with db.engine.begin() as connection:
        rewritten, left = bind_cells(connection, schema_cells(), include_plain=include_plain)
    click.echo(f"Bound {rewritten} values to their rows.")
    if left:
        click.echo(
            f"{len(left)} values were left as they are and stay unreadable: {', '.join(left[:20])}. Plain text here "
            "was either stored before encryption existed (run again with --include-plain once you are sure) or "
            "written into the database by hand.",
            err=True,
        )
        raise SystemExit(1)
