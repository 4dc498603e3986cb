"""Report tables: labelled rows of published cells, built from figures through `privacy`.

A table's cell for a period is the sum of the perturbed figures of the period's aligned
blocks (`periods.Period.blocks`); its total is a cell of its own, counted on the union of the
rows' records (the rows' sum where each record is in one row, the distinct records where a
record may be in several), so it is perturbed once and never hidden.
"""

from collections.abc import Hashable
from dataclasses import dataclass, field

from flask import current_app, g
from flask_babel import gettext as _

from cases.trends.figures import Figure
from cases.trends.periods import Period
from cases.trends.privacy import Cell, Count, cell
from cases.trends.units import UNKNOWN
from catalog import services as catalog


@dataclass
class Row:
    key: str
    label: str
    cells: list[Cell]


@dataclass
class Table:
    key: str  # a file and sheet name: ASCII, short
    title: str
    row_header: str
    columns: list[str]
    rows: list[Row]
    total: Row | None = None
    note: str = ""
    unit: str = "count"  # or "days" (medians)
    flagged: set[str] = field(default_factory=set)  # row keys marked on the page
    additive: bool = True  # the rows partition the total's records
    periods: list[Period] = field(default_factory=list)  # one per column, where columns are periods
    column_units: list[str] = field(default_factory=list)  # per column, where they differ from `unit`


def min_cell() -> int:
    return int(current_app.config["TREND_MIN_CELL"])


def months_of(periods: list[Period]) -> list[int]:
    return sorted({m for p in periods for m in p.month_indexes})


def period_cell(by_month: dict[int, Count], period: Period, k: int) -> Cell:
    blocks = [sum((by_month.get(m, Count()) for m in block), Count()) for block in period.blocks()]
    return cell(blocks, k)


def summed(figure: Figure) -> dict[int, Count]:
    """The rows of a figure whose rows partition its records, added up per month."""
    total: dict[int, Count] = {}
    for months in figure.values():
        for month, count in months.items():
            total[month] = total.get(month, Count()) + count
    return total


def count_table(
    key: str,
    title: str,
    row_header: str,
    categories: list[tuple[Hashable, str]],
    figure: Figure,
    periods: list[Period],
    *,
    total: dict[int, Count] | None = None,
    note: str = "",
    shown_rows_only: bool = False,
) -> Table:
    """A table of counts: one row per category, one column per period, perturbed. `total` is
    given when a record may count in several rows (the distinct records per month); otherwise
    the rows partition the records and are added up. `shown_rows_only` drops rows that show 0
    in every column (long lists such as organizations), judged on published values only."""
    k = min_cell()
    additive = total is None
    rows = [Row(str(c), label, [period_cell(figure.get(c, {}), p, k) for p in periods]) for c, label in categories]
    if shown_rows_only:
        rows = [row for row in rows if any(c.value for c in row.cells) or row.key in (UNKNOWN, "other")]
    total_counts = summed(figure) if additive else total
    total_label = _("Total") if additive else _("All (a case may count in several rows)")
    return Table(
        key,
        title,
        row_header,
        [p.label for p in periods],
        rows,
        Row("total", total_label, [period_cell(total_counts, p, k) for p in periods]),
        note,
        additive=additive,
        periods=list(periods),
    )


def enum_categories(enum_cls) -> list[tuple[str, str]]:
    return [(m.value, m.label) for m in enum_cls]


def domain_categories() -> list[tuple[str, str]]:
    """The top-level life domains of the catalog's taxonomy (shared by cases and services),
    read once per request: every section's tables list them."""
    if "trend_domains" not in g:
        g.trend_domains = [(term.id, term.name) for term, _n in catalog.domains_with_counts()]
    return g.trend_domains


def place_categories(figure: Figure, other_label: str) -> list[tuple[str, str]]:
    """The places seen in a figure, sorted; 'other' and 'not recorded' last."""
    keys = sorted(k for k in figure if k not in (UNKNOWN, "other"))
    return [(k, k) for k in keys] + [("other", other_label), (UNKNOWN, _("Not recorded"))]
