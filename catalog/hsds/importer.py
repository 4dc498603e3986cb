"""Import an HSDS data package (3.0 or 3.1 CSV or tabular JSON, or a 1.1 CSV package; folder or
.zip). Reading and writing live here; checking the rows in between, in `checking`. A 3.1 package
imports as 3.0 does: the tables 3.1 added (capacity, units, urls) are named in the report's notes
and left out.

All-or-nothing by default: every row is read and checked first (file, row, field, problem);
only a clean package is written, in one transaction, upserting by id. With skip_invalid the
bad rows (and rows that depend on them) are left out and reported; a dangling optional
reference is cleared instead of dropping its row. Either way the check finds everything the
database would refuse, so a write never fails halfway on a constraint.

Each import names its source (default: the package's file name); a re-import of the same
source updates what changed and archives that source's services the package no longer lists.
"""

import csv
import io
import json
import zipfile
import zlib
from pathlib import Path

import sqlalchemy as sa

from catalog.hsds import convert11 as hsds11
from catalog.hsds import sources
from catalog.hsds.checking import check
from catalog.hsds.decoding import decode
from catalog.hsds.tables import (
    BY_NAME,
    BY_PATH,
    NAMES_31,
    NOT_IMPORTED_31,
    NOT_KEPT,
    TABLES,
    ImportReport,
    Issue,
    Row,
    Table,
)
from welfare import clock
from welfare.database import utcnow
from welfare.extensions import db
from welfare.faults import pause_point


class ImportFailed(Exception):
    def __init__(self, report: ImportReport):
        super().__init__(f"{len(report.errors)} problem(s); nothing was imported")
        self.report = report


# ---- reading -------------------------------------------------------------------------------


# An archive's files are read into memory: refuse what no directory export needs (a zip bomb).
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
UNREADABLE_ARCHIVE = (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, OSError)


def _read_files(path: Path) -> dict[str, bytes]:
    """:raise ValueError: an archive that cannot be read or would unpack too large."""
    if path.is_dir():
        return {p.name: p.read_bytes() for p in path.iterdir() if p.suffix in (".csv", ".json")}
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                members = [
                    info
                    for info in archive.infolist()
                    if info.filename.endswith((".csv", ".json")) and not info.filename.startswith("__MACOSX")
                ]
                if sum(info.file_size for info in members) > MAX_UNPACKED_BYTES:
                    raise ValueError(f"unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB")
                return {Path(info.filename).name: archive.read(info) for info in members}
        except UNREADABLE_ARCHIVE as exc:
            raise ValueError(f"not a readable .zip archive ({exc})") from None
    return {path.name: path.read_bytes()}


def _decode(name: str, data: bytes, report: ImportReport) -> str:
    text, encoding = decode(data)
    if encoding not in ("utf-8", "utf-8-sig"):
        report.warn(name, 0, "", f"the file is not UTF-8; read as {encoding} (check its letters)", "not UTF-8")
    return text


def _csv_rows(name: str, text: str, report: ImportReport) -> tuple[list[str], list[Row]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    rows = []
    try:
        for record in reader:
            if None in record:
                report.problem(name, reader.line_num, "", "the row has more cells than the header", "unreadable row")
                continue
            rows.append(Row(name, reader.line_num, {k: (v or "").strip() for k, v in record.items() if k}))
    except csv.Error as exc:
        report.problem(name, reader.line_num, "", f"not readable as CSV: {exc}", "unreadable row")
    return header, rows


def read_package(path: Path, report: ImportReport) -> dict[str, list[Row]]:
    """Rows per HSDS 3.0 table name, from whatever form the package has."""
    try:
        files = _read_files(path)
    except ValueError as exc:
        # Nothing in it can be imported, with or without skip_invalid: always a refusal.
        report.errors.append(Issue(path.name, 0, "", str(exc), "unreadable file"))
        return {}
    texts = {n: _decode(n, data, report) for n, data in files.items()}
    json_files = [n for n in texts if n.endswith(".json") and n != "datapackage.json"]
    if json_files:
        return _from_tabular_json(json_files[0], texts[json_files[0]], report)
    tables = {}
    for name, text in texts.items():
        if name.endswith(".csv"):
            tables[name] = _csv_rows(name, text, report)
    if hsds11.looks_like_11(tables):
        report.version = "1.1"
        return hsds11.convert(tables, report)
    _note_31(tables, report)
    result = {}
    for name, (header, rows) in tables.items():
        table = BY_PATH.get(name)
        if table is None:
            if name in NOT_KEPT:
                report.notes.append(f"{name}: this catalog does not keep this table; not imported")
            continue
        missing = [f for f in ("id", *table.required) if f not in header]
        for column in missing:
            skipped = f"; its {len(rows)} rows were skipped" if report.skip_invalid else ""
            report.problem(name, 1, column, f"required column is missing{skipped}", "missing column")
        result[table.name] = [] if missing else rows
    return result


def _note_31(names, report: ImportReport) -> None:
    """A package with tables only HSDS 3.1 has is a 3.1 one; say which of them are left out."""
    paths = {name if name.endswith(".csv") else NAMES_31.get(name) for name in names}
    for path in sorted(paths & set(NOT_IMPORTED_31)):
        report.version = "3.1"
        report.notes.append(f"{path}: {NOT_IMPORTED_31[path]}")


def _from_tabular_json(name: str, text: str, report: ImportReport) -> dict[str, list[Row]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        report.problem(name, exc.lineno, "", f"not valid JSON: {exc.msg}", "unreadable row")
        return {}
    if not isinstance(data, dict):
        report.problem(name, 0, "", 'expected an object of tables, e.g. {"services.csv": [...]}', "unreadable row")
        return {}
    _note_31(data, report)
    result = {}
    for key, rows in data.items():
        table = BY_PATH.get(key) or BY_NAME.get(key)
        if table is None:
            continue
        result[table.name] = [
            Row(f"{name}:{key}", i + 1, {k: "" if v is None else str(v) for k, v in row.items()})
            for i, row in enumerate(rows or [])
            if isinstance(row, dict)
        ]
    return result


# ---- writing ---------------------------------------------------------------------------------


def _local_defaults(table: Table, note: str, source: str, publish: bool) -> dict:
    defaults = {"import_source": source} if table.name in sources.OWNED else {}
    if table.name in ("organization", "service"):
        now = utcnow()
        defaults |= {
            "is_published": publish,
            "source_note": note,
            "needs_verification": False,
            "created_at": now,
            "last_modified": now,
            "version_id": 1,
            "archived_at": None,
        }
    return defaults


def write(changes: sources.Changes, note: str, source: str, publish: bool, progress=None) -> dict[str, int]:
    """Insert the new rows and update the changed ones (only the fields the package carries); the caller commits."""
    written = {}
    for table in TABLES:
        inserts = changes.inserts.get(table.name, [])
        updates = changes.updates.get(table.name, [])
        if not inserts and not updates:
            continue
        sql_table = table.model.__table__
        defaults = _local_defaults(table, note, source, publish)
        rows = [{**defaults, **{k: v for k, v in r.items() if v is not None or k != "last_modified"}} for r in inserts]
        for start in range(0, len(rows), 1000):
            db.session.execute(sql_table.insert(), rows[start : start + 1000])
        _update(table, updates, source)
        written[table.name] = len(inserts) + len(updates)
        pause_point("hsds.write")  # fault tests kill the import here, halfway through the tables
        if progress:
            progress(len(inserts) + len(updates))
    sources.archive(changes.archived)
    return written


def _update(table: Table, updates: list[dict], source: str) -> None:
    """Batched UPDATEs, grouped by the set of fields (all rows of a table carry the same ones)."""
    if not updates:
        return
    sql_table = table.model.__table__
    fields = [f for f in updates[0] if f not in ("id", "_changed")]
    values = {f: sa.bindparam(f"b_{f}") for f in fields}
    if table.name in sources.OWNED:
        values["import_source"] = source
    statement = sql_table.update().where(sql_table.c.id == sa.bindparam("b_id")).values(values)
    if "version_id" in sql_table.c:
        # Only a real change bumps the version (a row only adopted by its source keeps it).
        statement = statement.values(
            version_id=sql_table.c.version_id + sa.bindparam("b_bump", type_=sa.Integer),
            last_modified=sa.case(
                (sa.bindparam("b_bump", type_=sa.Integer) > 0, utcnow()), else_=sql_table.c.last_modified
            ),
        )
    params = [{f"b_{k}": r.get(k) for k in ("id", *fields)} | {"b_bump": int(r["_changed"])} for r in updates]
    if "version_id" not in sql_table.c:
        params = [{k: v for k, v in p.items() if k != "b_bump"} for p in params]
    db.session.execute(statement, params)


def carried_fields(tables: dict[str, list[Row]]) -> dict[str, set[str]]:
    """Per table, the fields the package's files have (an update writes only those)."""
    return {name: {k for r in rows for k in r.values} for name, rows in tables.items()}


def import_package(
    path: Path,
    *,
    skip_invalid: bool = False,
    publish: bool = True,
    progress=None,
    actor_name: str = "cli",
    source: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Read, check and (when clean, or with skip_invalid) write a package in one transaction.

    dry_run: check and work out the changes (report.changes), write nothing.
    :raise ImportFailed: problems were found and skip_invalid is off; the database is unchanged.
    """
    from welfare import audit

    path = Path(path)
    report = ImportReport(skip_invalid=skip_invalid, source=source or sources.default_source(path))
    tables = read_package(path, report)
    if report.errors:
        raise ImportFailed(report)
    checked = check(tables, report, report.source)
    if report.errors:
        raise ImportFailed(report)
    listed = {r.values.get("id") for r in tables.get("service", []) if r.values.get("id")}
    report.changes = changes = sources.plan(checked, carried_fields(tables), report.source, listed)
    if dry_run:
        db.session.rollback()
        return report
    note = f"HSDS {report.version} import from {path.name} on {clock.today().isoformat()}"
    try:
        report.written = write(changes, note, report.source, publish, progress)
        audit.record(
            "catalog_import",
            object_type="hsds_package",
            object_id=path.name[:64],
            actor_name=actor_name,
            detail=f"source {report.source}: {changes.summary()}"[:500],
        )
        _record_index_changes(changes)
        db.session.commit()  # the search index follows the change rows after the commit
    except Exception:
        db.session.rollback()
        raise
    return report


def _record_index_changes(changes: sources.Changes) -> None:
    """Bulk writes bypass the ORM hooks, so name the services whose search documents change,
    only what the import really changed (a re-import of an unchanged package touches nothing);
    for a large or organization-wide import, ask every node to rebuild its index instead."""
    from catalog import search

    written = {
        table.name: changes.inserts.get(table.name, [])
        + [u for u in changes.updates.get(table.name, []) if u["_changed"]]
        for table in TABLES
    }
    touched = {r["id"] for r in written["service"]} | set(changes.archived)
    for name in ("service_area", "cost_option", "language", "required_document", "schedule", "phone"):
        touched |= {r["service_id"] for r in written[name] if r.get("service_id")}
    touched |= {r["link_id"] for r in written["attribute"] if r.get("link_entity") == "service"}
    # What many services show (their organization, terms, places) is cheaper to rebuild than to trace.
    shared = ("organization", "taxonomy_term", "location", "address", "service_at_location")
    rebuild = any(written[name] for name in shared) or len(touched) > 500
    if rebuild or touched:
        search.record_changes(db.session, None if rebuild else touched)


def total_rows(path: Path) -> int:
    """Rows in a package, for sizing a progress bar (cheap line count)."""
    try:
        files = _read_files(Path(path))
    except ValueError:
        return 1
    return sum(max(data.count(b"\n") - 1, 0) for name, data in files.items() if name.endswith(".csv")) or 1
