"""Checking an HSDS package before anything is written: every row's values converted to
column values, required fields, duplicate ids and links, references to rows that exist (in the
database or in the package), trees in parents-first order, and rows another source owns.
Whatever the database would refuse is found here. Problems are named as file, row, field: problem.
"""

import math
import re
from collections import defaultdict
from datetime import UTC, date, datetime

import sqlalchemy as sa

from catalog.hsds import sources
from catalog.hsds.ordering import PARENT_FIELD, parents_first
from catalog.hsds.tables import TABLES, ImportReport, Row, Table
from catalog.models import ServiceAtLocation, ServiceStatus, TaxonomyTerm
from welfare.extensions import db

LINKABLE = {"service", "organization", "location", "service_at_location"}
# Records that only exist as part of another (a phone of a service, ...): none left attached, none kept.
DETAILS = {"phone", "contact", "schedule", "language", "service_area", "required_document", "accessibility"}
INT_RANGE = (-(2**31), 2**31 - 1)  # PostgreSQL's integer
TIME = re.compile(r"^([01]?\d|2[0-4]):[0-5]\d(:[0-5]\d)?(Z|[+-]\d\d:?\d\d)?$")


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
        if not INT_RANGE[0] <= number <= INT_RANGE[1]:
            raise ValueError(f'"{raw}" is not a number this catalog can store (too large)')
        return int(number)
    if isinstance(kind, sa.Float):
        number = float(raw)
        if not math.isfinite(number):
            raise ValueError(f'"{raw}" is not a finite number')
        return number
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


def check(tables: dict[str, list[Row]], report: ImportReport, source: str = "") -> dict[str, list[dict]]:
    """Convert and check every row; return the rows to write per table (parents first)."""
    checker = _Checker(report, source)
    return {table.name: checker.table_rows(table, tables.get(table.name, [])) for table in TABLES}


class _Checker:
    """One check of a package: the ids already in the database, the ids accepted so far (parents
    are checked before their children), and where problems go (the report routes them to errors
    or, with skip_invalid, to skipped rows)."""

    def __init__(self, report: ImportReport, source: str):
        self.report = report
        self.skip_invalid = report.skip_invalid
        self.source = source
        self.existing = {t.name: existing_ids(t) for t in TABLES}
        self.accepted: dict[str, set[str]] = defaultdict(set)
        self.shared_terms = 0

    def problem(self, row: Row, field_name: str, text: str, kind: str = "invalid value") -> None:
        self.report.problem(row.file, row.line, field_name, text, kind)

    def table_rows(self, table: Table, rows: list[Row]) -> list[dict]:
        """The rows of one table that may be written, as column values."""
        package_ids = {r.values.get("id") for r in rows}
        owners = sources.owners(table) if table.name in sources.OWNED else {}
        extra = _ROW_CHECKS.get(table.name)
        state: dict = {}
        seen: set[str] = set()
        kept, origin = [], {}
        for row in rows:
            if not self._has_new_id(row, seen):
                continue
            if table.name == "schedule":
                row = _schedule_text_to_description(self, row)
            values, bad = self._values(table, row)
            bad = self._dangling_references(table, row, values, package_ids) or bad
            if table.name == "attribute" and not bad:
                bad = self._bad_link(row, values)
            if extra and not bad:
                bad = extra(self, row, values, state)
            if not bad or not self.skip_invalid:
                # Without skipping nothing is written anyway: let dependants check against this row,
                # so the report names each root cause once instead of every row that hangs off it.
                self.accepted[table.name].add(row.values["id"])
            if bad or not self._may_write(table, row, owners):
                continue
            kept.append(values)
            origin[values["id"]] = row
        if table.name in PARENT_FIELD:
            kept = self._parents_first(table, kept, origin)
        if self.shared_terms and table.name == "taxonomy_term":
            self.report.notes.append(f"{self.shared_terms} taxonomy terms belong to another source; left as they are")
        return kept

    def _may_write(self, table: Table, row: Row, owners: dict) -> bool:
        """A stored row of another source, or made by staff, is left alone (it still counts as existing)."""
        row_id = row.values["id"]
        if row_id not in owners:
            return True
        owner, note = owners[row_id]
        if sources.may_update(table.name, owner, note, self.source):
            return True
        if table.name == "taxonomy_term":  # shared vocabularies (AIRS, 211 LA) are used by many sources
            self.shared_terms += 1
            return False
        whose = f"the source {owner}" if owner else "staff"
        self.problem(row, "id", f"the id {row_id} belongs to a record of {whose}; left unchanged", "owned elsewhere")
        return False

    def _parents_first(self, table: Table, kept: list[dict], origin: dict[str, Row]) -> list[dict]:
        parent_field = PARENT_FIELD[table.name]
        columns = table.model.__table__.c
        stored = {i: p for i, p in db.session.execute(sa.select(columns.id, columns[parent_field]))}
        # Without skipping, a refused parent still counts (its own problem is already reported).
        known = {i: None for i in self.accepted[table.name]} | stored

        def report(values: dict, text: str, kind: str) -> None:
            self.problem(origin[values["id"]], parent_field, text, kind)

        return parents_first(kept, parent_field, known, report)

    def _has_new_id(self, row: Row, seen: set[str]) -> bool:
        row_id = row.values.get("id", "")
        if not row_id:
            self.problem(row, "id", "the id is empty", "missing id")
            return False
        if row_id in seen:
            self.problem(row, "id", f"the id {row_id} appears twice in this table", "duplicate id")
            return False
        seen.add(row_id)
        return True

    def _values(self, table: Table, row: Row) -> tuple[dict, bool]:
        """The row's fields as column values, and whether one was missing or unreadable."""
        values, bad = {}, False
        for name in table.fields:
            raw = row.values.get(name, "")
            if name in table.required and raw == "":
                self.problem(row, name, "a value is required", "required value missing")
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
        """Report references to rows that do not exist; clear the optional ones. True when the row is bad.

        A detail (phone, schedule, ...) whose every reference is dangling belongs to nothing: skipped.
        """
        dangling = []
        for name, target, required in table.references:
            value = values.get(name)
            if (
                not value
                or value in self.accepted[target]
                or value in self.existing[target]
                or (target == table.name and value in package_ids)
            ):
                continue
            dangling.append((name, target, required, value))
        if not dangling:
            return False
        orphan = table.name in DETAILS and all(
            not values.get(name) or name in {d[0] for d in dangling} for name, _, _ in table.references
        )
        bad = False
        for name, target, required, value in dangling:
            missing = f"refers to {target} {value}, which does not exist"
            kind = "service without organization" if name == "organization_id" and required else "missing reference"
            if required or orphan:
                self.problem(row, name, missing + (" or was skipped" if self.skip_invalid else ""), kind)
                bad = True
                continue
            cleared = "; made top-level" if target == table.name else "; the reference was cleared"
            kind = "missing parent" if target == table.name else kind
            self.problem(row, name, missing + (cleared if self.skip_invalid else ""), kind)
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
            self.problem(row, "link_id", f"refers to {entity} {link}, which does not exist", "missing reference")
            return True
        return False


def _schedule_text_to_description(checker: _Checker, row: Row) -> Row:
    """Opening times must be times; text ("by appointment") goes to the description instead."""
    values = dict(row.values)
    for name in ("opens_at", "closes_at"):
        text = values.get(name, "")
        if text and not TIME.match(text):
            fix = "; kept in the description" if checker.skip_invalid else ""
            checker.problem(row, name, f'"{text}" is not a time (HH:MM){fix}', "schedule text instead of times")
            values["description"] = "; ".join(p for p in (values.get("description"), text) if p)
            values[name] = ""
    return Row(row.file, row.line, values)


def _address_postal_code(checker: _Checker, row: Row, values: dict, state: dict) -> bool:
    """Stored without one (the column allows it), but staff should know which to complete."""
    if not values.get("postal_code"):
        checker.report.warn(row.file, row.line, "postal_code", "no postal code", "address without postal code")
    return False


def _unique_link(checker: _Checker, row: Row, values: dict, state: dict) -> bool:
    """One service at one location once: a second link would show the place twice."""
    if "pairs" not in state:
        table = ServiceAtLocation.__table__
        state["pairs"] = {
            (s, loc): i
            for i, s, loc in db.session.execute(sa.select(table.c.id, table.c.service_id, table.c.location_id))
        }
    pair = (values["service_id"], values["location_id"])
    first = state["pairs"].setdefault(pair, values["id"])
    if first != values["id"]:
        checker.problem(
            row, "location_id", f"links service {pair[0]} to location {pair[1]} again (as {first})", "duplicate link"
        )
        return True
    return False


def _unique_code(checker: _Checker, row: Row, values: dict, state: dict) -> bool:
    """A code names one term per taxonomy (the database refuses a second)."""
    if "codes" not in state:
        table = TaxonomyTerm.__table__
        state["codes"] = {
            (t, c): i
            for i, t, c in db.session.execute(sa.select(table.c.id, table.c.taxonomy_id, table.c.code))
            if c is not None
        }
    if values.get("code") is None:
        return False
    key = (values.get("taxonomy_id"), values["code"])
    first = state["codes"].setdefault(key, values["id"])
    if first != values["id"]:
        fix = "; the code was cleared" if checker.skip_invalid else ""
        checker.problem(row, "code", f"the code {key[1]} is already used by term {first}{fix}", "duplicate code")
        values["code"] = None
        return not checker.skip_invalid
    return False


_ROW_CHECKS = {
    "address": _address_postal_code,
    "service_at_location": _unique_link,
    "taxonomy_term": _unique_code,
}


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
