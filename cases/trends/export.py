"""CSV and XLSX of report tables, with exactly the cells the pages show (same suppression).

CSV: a page downloads one file with its tables one after another (title line, header, rows,
blank line); the CLI writes a folder with one file per table (`<table key>.csv`). XLSX: one
sheet per table (XlsxWriter), shown numbers as numbers, hidden cells as their "< k"/"x" text.
"""

import csv
import io
from pathlib import Path

import xlsxwriter

from cases.trends.privacy import display
from cases.trends.tables import Table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    """Spreadsheets run a cell starting with = + - @ as a formula: such labels get a quote."""
    return "'" + value if value.startswith(FORMULA_START) else value


def table_rows(table: Table, k: int, numbers: bool = False) -> list[list]:
    """Header and body rows of a table; `numbers` keeps shown values numeric (for XLSX)."""

    def value(cell):
        return cell.value if numbers and cell.value is not None else display(cell, k)

    rows = [[_text(table.row_header), *(_text(c) for c in table.columns)]]
    body = table.rows + ([table.total] if table.total else [])
    rows += [[_text(row.label), *(value(c) for c in row.cells)] for row in body]
    return rows


def csv_text(tables: list[Table], k: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for table in tables:
        writer.writerow([_text(table.title)])
        writer.writerows(table_rows(table, k))
        if table.note:
            writer.writerow([_text(table.note)])
        writer.writerow([])
    return out.getvalue()


def write_csv_folder(tables: list[Table], k: int, folder: Path) -> list[Path]:
    """One UTF-8 CSV per table in `folder` (created); returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables:
        path = folder / f"{table.key}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(table_rows(table, k))
        written.append(path)
    return written


def xlsx_bytes(tables: list[Table], k: int, title: str) -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    workbook.set_properties({"title": title})
    bold = workbook.add_format({"bold": True})
    for table in tables:
        sheet = workbook.add_worksheet(table.key[:31])
        sheet.write_string(0, 0, table.title, bold)
        for r, row in enumerate(table_rows(table, k, numbers=True), start=2):
            for c, value in enumerate(row):
                if isinstance(value, int | float):
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, str(value), bold if r == 2 else None)
        if table.note:
            sheet.write_string(len(table.rows) + 5, 0, table.note)
        sheet.set_column(0, 0, 48)
        sheet.set_column(1, len(table.columns), 16)
    workbook.close()
    return out.getvalue()
