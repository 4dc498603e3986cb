"""Checking an HSDS package before anything is written: every row's values converted to
column values, required fields, duplicate ids, and references to rows that exist (in the
database or earlier in the package). Problems are named as file, row, field: problem.
"""

from collections import defaultdict
from datetime import UTC, date, datetime

import sqlalchemy as sa

from catalog.hsds.tables import TABLES, ImportReport, Issue, Row, Table
from catalog.models import ServiceStatus
from welfare.extensions import db

LINKABLE = {"service", "organization", "location", "service_at_location"}


def convert_value(table: Table, name: str, raw: str):
    """Text -> the column's Python value; raises ValueError with a readable problem."""
    column = table.model.__table__.c[name]
    kind = column.type
    if "\x00" in raw:
        raise ValueError("contains a NUL character, which is not allowed in text")
    if raw == "":
        # Only text columns store "" for "no value"; everything else is NULL (or a default).
        return "" if not column.nullable and isinstance(kind, sa.String) and not isinstance(kind, sa.Enum) else None
    if isinstance(kind, sa.Enum):
        try:
            return ServiceStatus(raw.lower())
        except ValueError:
            raise ValueError(f'"{raw}" is not one of: {", ".join(s.value for s in ServiceStatus)}') from None
    if isinstance(kind, sa.Integer):
        number = float(raw)
        if not number.is_integer():
            raise ValueError(f'"{raw}" is not a whole number')
        return int(number)
    if isinstance(kind, sa.Float):
        return float(raw)
    if isinstance(kind, sa.DateTime):
        moment = datetime.fromisoformat(raw)
        return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
    if isinstance(kind, sa.Date):
        return date.fromisoformat(raw[:10])
    if isinstance(kind, sa.String) and kind.length and len(raw) > kind.length:
        raise ValueError(f"longer than {kind.length} characters")
    return raw


def existing_ids(table: Table) -> set[str]:
    return set(db.session.scalars(sa.select(table.model.__table__.c.id)))


def check(tables: dict[str, list[Row]], report: ImportReport, skip_invalid: bool) -> dict[str, list[dict]]:
    """Convert and check every row; return the rows to write per table (parents first)."""
    checker = _Checker(report, skip_invalid)
    return {table.name: checker.table_rows(table, tables.get(table.name, [])) for table in TABLES}


class _Checker:
    """One check of a package: the ids already in the database, the ids accepted so far (parents
    are checked before their children), and where problems go (errors, or skipped rows)."""

    def __init__(self, report: ImportReport, skip_invalid: bool):
        self.report = report
        self.skip_invalid = skip_invalid
        self.existing = {t.name: existing_ids(t) for t in TABLES}
        self.accepted: dict[str, set[str]] = defaultdict(set)

    def problem(self, row: Row, field_name: str, text: str) -> None:
        issue = Issue(row.file, row.line, field_name, text)
        (self.report.skipped if self.skip_invalid else self.report.errors).append(issue)

    def table_rows(self, table: Table, rows: list[Row]) -> list[dict]:
        """The rows of one table that may be written, as column values."""
        package_ids = {r.values.get("id") for r in rows}
        seen: set[str] = set()
        kept = []
        for row in rows:
            if not self._has_new_id(row, seen):
                continue
            values, bad = self._values(table, row)
            bad = self._dangling_references(table, row, values, package_ids) or bad
            if table.name == "attribute" and not bad:
                bad = self._bad_link(row, values)
            if not bad:
                kept.append(values)
            if not bad or not self.skip_invalid:
                # Without skipping nothing is written anyway: let dependants check against this row,
                # so the report names each root cause once instead of every row that hangs off it.
                self.accepted[table.name].add(row.values["id"])
        return kept

    def _has_new_id(self, row: Row, seen: set[str]) -> bool:
        row_id = row.values.get("id", "")
        if not row_id:
            self.problem(row, "id", "the id is empty")
            return False
        if row_id in seen:
            self.problem(row, "id", f"the id {row_id} appears twice in this table")
            return False
        seen.add(row_id)
        return True

    def _values(self, table: Table, row: Row) -> tuple[dict, bool]:
        """The row's fields as column values, and whether one was missing or unreadable."""
        values, bad = {}, False
        for name in table.fields:
            raw = row.values.get(name, "")
            if name in table.required and raw == "":
                self.problem(row, name, "a value is required")
                bad = True
                continue
            try:
                values[name] = convert_value(table, name, raw)
            except ValueError as exc:
                readable = any(w in str(exc) for w in ("is not", "longer", "NUL"))
                self.problem(row, name, str(exc) if readable else f'"{raw}" is not a valid {_kind(table, name)}')
                bad = True
        return values, bad

    def _dangling_references(self, table: Table, row: Row, values: dict, package_ids: set) -> bool:
        """Report references to rows that do not exist; clear the optional ones. True when the row is bad."""
        bad = False
        for name, target, required in table.references:
            value = values.get(name)
            if (
                not value
                or value in self.accepted[target]
                or value in self.existing[target]
                or (target == table.name and value in package_ids)
            ):
                continue
            missing = f"refers to {target} {value}, which does not exist"
            if required:
                self.problem(row, name, missing + (" or was skipped" if self.skip_invalid else ""))
                bad = True
            else:
                self.problem(row, name, missing + ("; the reference was cleared" if self.skip_invalid else ""))
                values[name] = None
                bad = bad or not self.skip_invalid
        return bad

    def _bad_link(self, row: Row, values: dict) -> bool:
        """An attribute must link a kind of record that takes categories, and one that exists."""
        entity, link = values.get("link_entity"), values.get("link_id")
        if entity not in LINKABLE:
            self.problem(row, "link_entity", f'"{entity}" is not one of: {", ".join(sorted(LINKABLE))}')
            return True
        if link not in self.accepted[entity] and link not in self.existing[entity]:
            self.problem(row, "link_id", f"refers to {entity} {link}, which does not exist")
            return True
        return False


def _kind(table: Table, name: str) -> str:
    kind = table.model.__table__.c[name].type
    for cls, label in (
        (sa.DateTime, "date and time (2026-01-31T08:00:00Z)"),
        (sa.Date, "date (2026-01-31)"),
        (sa.Integer, "whole number"),
        (sa.Float, "number"),
    ):
        if isinstance(kind, cls):
            return label
    return "value"
