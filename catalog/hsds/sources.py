"""Imported directories as sources: which rows a source owns, what a (re-)import changes.

Rows keep their HSDS ids as primary keys, so children refer to them directly; `import_source`
on organizations, services, locations and taxonomy terms names the directory a row came from
(None: made by staff). A re-import of the same source updates the rows that changed, only in
the fields the package carries (staff edits to other fields stay), and archives that source's
services missing from the package. Rows of another source, or made by staff, are never touched.
"""

from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from catalog.hsds.tables import TABLES, Table
from catalog.models import Service
from welfare.database import utcnow
from welfare.extensions import db

OWNED = ("organization", "service", "location", "taxonomy_term")
LEGACY_NOTE = "HSDS "  # source_note of rows imported before sources were tracked
EXAMPLES = 5


def default_source(path: Path) -> str:
    """The package's folder or file name without extension (`211-dolenjska.zip` -> `211-dolenjska`)."""
    name = Path(path).name
    for suffix in (".zip", ".json", ".csv"):
        name = name.removesuffix(suffix)
    return name[:200] or "hsds"


def owners(table: Table) -> dict[str, tuple[str | None, str]]:
    """id -> (import_source, source_note) of the stored rows of an owned table."""
    columns = table.model.__table__.c
    note = columns.source_note if "source_note" in columns else sa.literal("")
    return {r[0]: (r[1], r[2] or "") for r in db.session.execute(sa.select(columns.id, columns.import_source, note))}


def may_update(table_name: str, owner: str | None, note: str, source: str) -> bool:
    """Whether this source may write over a stored row: its own, or one imported before sources
    were tracked (a location or term is only ever made by staff under a fresh uuid)."""
    if owner == source:
        return True
    if owner is None:
        return table_name in ("location", "taxonomy_term") or note.startswith(LEGACY_NOTE)
    return False


@dataclass
class Changes:
    """What an import adds, updates and archives (filled before writing, so a dry run can tell)."""

    new: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    archived: list[str] = field(default_factory=list)  # service ids
    examples: list[str] = field(default_factory=list)
    inserts: dict[str, list[dict]] = field(default_factory=dict, repr=False)
    updates: dict[str, list[dict]] = field(default_factory=dict, repr=False)

    def summary(self, dry_run: bool = False) -> str:
        new, updated, unchanged = (sum(counts.values()) for counts in (self.new, self.updated, self.unchanged))
        if dry_run:
            return (
                f"would add {new}, update {updated} and leave {unchanged} rows unchanged; "
                f"would archive {len(self.archived)} services"
            )
        return f"{new} new, {updated} updated, {unchanged} unchanged rows; {len(self.archived)} services archived"


def _same(old, new) -> bool:
    if old is None or new is None:
        return old is None and new is None
    return getattr(old, "value", old) == getattr(new, "value", new)


def plan(checked: dict[str, list[dict]], carried: dict[str, set[str]], source: str, listed_services: set[str]):
    """Split the checked rows into inserts and real updates, and find the services to archive.

    carried: the fields each table's file had (only those are compared and written on update).
    listed_services: every service id in the package, valid or not (a skipped row is not gone).
    """
    changes = Changes()
    for table in TABLES:
        batch = checked.get(table.name, [])
        if not batch:
            continue
        compared = [f for f in table.fields if f in carried.get(table.name, ()) and f not in ("id", "last_modified")]
        columns = table.model.__table__.c
        owned = table.name in OWNED
        selected = [columns.id, *(columns[f] for f in compared)] + ([columns.import_source] if owned else [])
        stored = {r[0]: r for r in db.session.execute(sa.select(*selected))}
        inserts, updates = [], []
        for row in batch:
            old = stored.get(row["id"])
            if old is None:
                inserts.append(row)
                _example(changes, table.name, "new", row)
                continue
            differs = any(not _same(old[i + 1], row.get(f)) for i, f in enumerate(compared))
            if differs or (owned and old[-1] != source):
                updates.append({k: row.get(k) for k in ("id", *compared)} | {"_changed": differs})
                if differs:
                    _example(changes, table.name, "updated", row)
        changes.inserts[table.name] = inserts
        changes.updates[table.name] = updates
        changes.new[table.name] = len(inserts)
        changes.updated[table.name] = sum(1 for u in updates if u["_changed"])
        changes.unchanged[table.name] = len(batch) - len(inserts) - changes.updated[table.name]
    if listed_services:
        current = sa.select(Service.id, Service.name).where(
            Service.import_source == source, Service.archived_at.is_(None)
        )
        # Filtered here, not with NOT IN: a directory lists thousands of ids.
        for service_id, name in db.session.execute(current):
            if service_id in listed_services:
                continue
            changes.archived.append(service_id)
            if sum(e.startswith("archived") for e in changes.examples) < EXAMPLES:
                changes.examples.append(f"archived service {service_id}: {name}")
    return changes


def _example(changes: Changes, table: str, what: str, row: dict) -> None:
    if table in ("service", "organization") and sum(e.startswith(what) for e in changes.examples) < EXAMPLES:
        changes.examples.append(f"{what} {table} {row['id']}: {row.get('name') or ''}")


def archive(service_ids: list[str]) -> None:
    """Archive the services a source no longer lists (staff can restore them; nothing is deleted)."""
    now = utcnow()
    table = Service.__table__
    for start in range(0, len(service_ids), 500):
        db.session.execute(
            table.update()
            .where(table.c.id.in_(service_ids[start : start + 500]))
            .values(archived_at=now, last_modified=now, version_id=table.c.version_id + 1)
        )
