"""CSV and XLSX of report tables, with exactly the figures the pages show.

CSV is one long ("tidy") table, one published number per line, that `pandas.read_csv` reads
without options: section, table, table_title, row, row_label, column, period, period_start,
period_end, value, unit, additive, filters. `value` is a whole number (a count) or a median
in days, empty where a median is not shown. XLSX: a first sheet on what the figures are, then
one sheet per table named after its title, in the language of the page.
"""

import csv
import io
import re
from pathlib import Path

import xlsxwriter
from flask_babel import gettext as _

from cases.trends.figures import Filters
from cases.trends.privacy import display
from cases.trends.tables import Table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = (
    "section",
    "table",
    "table_title",
    "row",
    "row_label",
    "column",
    "period",
    "period_start",
    "period_end",
    "value",
    "unit",
    "additive",
    "filters",
)


def _text(value: str) -> str:
    """Spreadsheets run a cell starting with = + - @ as a formula: such labels get a quote."""
    return "'" + value if value.startswith(FORMULA_START) else value


def perturbation_note() -> str:
    return _(
        "To protect the people behind them, the figures are slightly changed (perturbed): each "
        "count may differ from the true one by up to 2, a group of 1 to 4 people is shown as 0 "
        "or 5, and rows need not add up to the total exactly. The same figure always shows the "
        "same number. Only months that have ended are counted."
    )


def long_rows(section_key: str, table: Table, filters: Filters) -> list[list]:
    """The table's published numbers, one per line (`COLUMNS`)."""
    filter_text = ";".join(f"{name}={value}" for name, value in filters.query().items())
    body = table.rows + ([table.total] if table.total else [])
    lines = []
    for row in body:
        for i, cell in enumerate(row.cells):
            period = table.periods[i] if i < len(table.periods) else None
            lines.append(
                [
                    section_key,
                    table.key,
                    _text(table.title),
                    _text(row.key),
                    _text(row.label),
                    _text(table.columns[i]),
                    period.label if period else "",
                    period.start.isoformat() if period else "",
                    period.end.isoformat() if period else "",
                    "" if cell.value is None else cell.value,
                    table.column_units[i] if i < len(table.column_units) else table.unit,
                    "yes" if table.additive else "no",
                    filter_text,
                ]
            )
    return lines


def csv_text(tables: list[tuple], filters: Filters) -> str:
    """(section, table) pairs as one long CSV."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for section, table in tables:
        writer.writerows(long_rows(section.key, table, filters))
    return out.getvalue()


def write_csv_folder(tables: list[tuple], filters: Filters, folder: Path) -> list[Path]:
    """`all.csv` (every table) and one long CSV per table in `folder` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, chosen in [("all", tables)] + [(table.key, [(section, table)]) for section, table in tables]:
        path = folder / f"{name}.csv"
        path.write_text(csv_text(chosen, filters), encoding="utf-8")
        written.append(path)
    return written


def sheet_names(tables: list[Table]) -> list[str]:
    """A sheet name per table from its title: at most 31 characters, none of []:*?/\\, unique."""
    names: list[str] = []
    for table in tables:
        base = re.sub(r"[\[\]:*?/\\]", " ", table.title).strip() or table.key
        name, n = base[:31].strip(), 2
        while name.casefold() in {x.casefold() for x in names}:
            name, n = f"{base[:28].strip()} {n}", n + 1
        names.append(name)
    return names


def xlsx_bytes(tables: list[tuple], title: str) -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    workbook.set_properties({"title": title})
    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    about = workbook.add_worksheet(_("About the figures")[:31])
    about.set_column(0, 0, 100)
    about.write_string(0, 0, title, bold)
    about.write_string(2, 0, perturbation_note(), wrap)
    plain = [table for _section, table in tables]
    for table, name in zip(plain, sheet_names(plain), strict=True):
        sheet = workbook.add_worksheet(name)
        sheet.write_string(0, 0, table.title, bold)
        sheet.write_string(2, 0, _text(table.row_header), bold)
        for c, column in enumerate(table.columns, start=1):
            sheet.write_string(2, c, _text(column), bold)
        body = table.rows + ([table.total] if table.total else [])
        for r, row in enumerate(body, start=3):
            sheet.write_string(r, 0, _text(row.label))
            for c, cell in enumerate(row.cells, start=1):
                if cell.value is None:
                    sheet.write_string(r, c, display(cell))
                else:
                    sheet.write_number(r, c, cell.value)
        if table.note:
            sheet.write_string(len(body) + 4, 0, table.note)
        sheet.set_column(0, 0, 48)
        sheet.set_column(1, len(table.columns), 16)
    workbook.close()
    return out.getvalue()
