"""Import an HSDS data package (3.0 CSV or tabular JSON, or a 1.1 CSV package; folder or .zip).
Reading and writing live here; checking the rows in between, in `checking`.

All-or-nothing by default: every row is read and checked first (file, row, field, problem);
only a clean package is written, in one transaction, upserting by id. With skip_invalid the
bad rows (and rows that depend on them) are left out and reported; a dangling optional
reference is cleared instead of dropping its row.
"""

import csv
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from catalog.hsds import convert11 as hsds11
from catalog.hsds.checking import check, existing_ids
from catalog.hsds.tables import BY_NAME, BY_PATH, NOT_KEPT, TABLES, ImportReport, Issue, Row, Table
from welfare.database import utcnow
from welfare.extensions import db


class ImportFailed(Exception):
    def __init__(self, report: ImportReport):
        super().__init__(f"{len(report.errors)} problem(s); nothing was imported")
        self.report = report


# ---- reading -------------------------------------------------------------------------------


def _read_files(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        return {p.name: p.read_bytes() for p in path.iterdir() if p.suffix in (".csv", ".json")}
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return {
                Path(n).name: archive.read(n)
                for n in archive.namelist()
                if n.endswith((".csv", ".json")) and not n.startswith("__MACOSX")
            }
    return {path.name: path.read_bytes()}


def _decode(name: str, data: bytes, report: ImportReport) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        report.errors.append(Issue(name, line, "", "the file is not UTF-8 text (save it as UTF-8 and import again)"))
        return None


def _csv_rows(name: str, text: str, report: ImportReport) -> tuple[list[str], list[Row]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    rows = []
    try:
        for record in reader:
            if None in record:
                report.errors.append(Issue(name, reader.line_num, "", "the row has more cells than the header"))
                continue
            rows.append(Row(name, reader.line_num, {k: (v or "").strip() for k, v in record.items()}))
    except csv.Error as exc:
        report.errors.append(Issue(name, reader.line_num, "", f"not readable as CSV: {exc}"))
    return header, rows


def read_package(path: Path, report: ImportReport) -> dict[str, list[Row]]:
    """Rows per HSDS 3.0 table name, from whatever form the package has."""
    files = _read_files(path)
    texts = {n: t for n, data in files.items() if (t := _decode(n, data, report)) is not None}
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
    result = {}
    for name, (header, rows) in tables.items():
        table = BY_PATH.get(name)
        if table is None:
            if name in NOT_KEPT:
                report.notes.append(f"{name}: this catalog does not keep this table; not imported")
            continue
        missing = [f for f in ("id", *table.required) if f not in header]
        for column in missing:
            report.errors.append(Issue(name, 1, column, "required column is missing"))
        result[table.name] = rows
    return result


def _from_tabular_json(name: str, text: str, report: ImportReport) -> dict[str, list[Row]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        report.errors.append(Issue(name, exc.lineno, "", f"not valid JSON: {exc.msg}"))
        return {}
    if not isinstance(data, dict):
        report.errors.append(Issue(name, 0, "", 'expected an object of tables, e.g. {"services.csv": [...]}'))
        return {}
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


def _local_defaults(table: Table, source: str, publish: bool) -> dict:
    if table.name in ("organization", "service"):
        now = utcnow()
        return {
            "is_published": publish,
            "source_note": source,
            "needs_verification": False,
            "created_at": now,
            "last_modified": now,
            "version_id": 1,
            "archived_at": None,
        }
    return {}


def write(rows: dict[str, list[dict]], source: str, publish: bool, progress=None) -> dict[str, int]:
    """Upsert all checked rows by id; the caller commits."""
    written = {}
    for table in TABLES:
        batch = rows.get(table.name, [])
        if not batch:
            continue
        sql_table = table.model.__table__
        existing = existing_ids(table)
        inserts = [
            {
                **_local_defaults(table, source, publish),
                **{k: v for k, v in r.items() if v is not None or k != "last_modified"},
            }
            for r in batch
            if r["id"] not in existing
        ]
        updates = [r for r in batch if r["id"] in existing]
        if "last_modified" in table.fields:
            for r in updates:
                r["last_modified"] = r.get("last_modified") or utcnow()
        for start in range(0, len(inserts), 1000):
            db.session.execute(sql_table.insert(), inserts[start : start + 1000])
        if updates:
            fields = [f for f in table.fields if f != "id"]
            statement = (
                sql_table.update()
                .where(sql_table.c.id == sa.bindparam("b_id"))
                .values({f: sa.bindparam(f"b_{f}") for f in fields})
            )
            if "version_id" in sql_table.c:
                statement = statement.values(version_id=sql_table.c.version_id + 1)
            db.session.execute(statement, [{f"b_{k}": r.get(k) for k in ("id", *fields)} for r in updates])
        written[table.name] = len(batch)
        if progress:
            progress(len(batch))
    return written


def import_package(
    path: Path, *, skip_invalid: bool = False, publish: bool = True, progress=None, actor_name: str = "cli"
) -> ImportReport:
    """Read, check and (when clean, or with skip_invalid) write a package in one transaction.

    :raise ImportFailed: problems were found and skip_invalid is off; the database is unchanged.
    """
    from welfare import audit

    report = ImportReport()
    tables = read_package(Path(path), report)
    if report.errors and not skip_invalid:
        raise ImportFailed(report)
    checked = check(tables, report, skip_invalid)
    if report.errors:
        raise ImportFailed(report)
    source = f"HSDS {report.version} import from {Path(path).name} on {date.today().isoformat()}"
    try:
        report.written = write(checked, source, publish, progress)
        audit.record(
            "catalog_import",
            object_type="hsds_package",
            object_id=Path(path).name[:64],
            actor_name=actor_name,
            detail=", ".join(f"{k}={v}" for k, v in report.written.items()),
        )
        _record_index_changes(checked)
        db.session.commit()  # the search index follows the change rows after the commit
    except Exception:
        db.session.rollback()
        raise
    return report


def _record_index_changes(checked: dict[str, list[dict]]) -> None:
    """Bulk writes bypass the ORM hooks, so name the services whose search documents change
    (or, for a large or organization-wide import, ask every node to rebuild its index)."""
    from catalog.search import follow

    touched = {r["id"] for r in checked.get("service", [])}
    for name in ("service_area", "cost_option", "language", "required_document", "schedule", "phone"):
        touched |= {r["service_id"] for r in checked.get(name, []) if r.get("service_id")}
    touched |= {r["link_id"] for r in checked.get("attribute", []) if r.get("link_entity") == "service"}
    rebuild = checked.get("organization") or checked.get("taxonomy_term") or len(touched) > 500
    follow.record_changes(db.session, None if rebuild else touched)


def total_rows(path: Path) -> int:
    """Rows in a package, for sizing a progress bar (cheap line count)."""
    files = _read_files(Path(path))
    return sum(max(data.count(b"\n") - 1, 0) for name, data in files.items() if name.endswith(".csv")) or 1
