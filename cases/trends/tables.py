"""Report tables: labelled rows of display cells, and the helper that builds a count table
from per-month facts through the privacy engine. Shared by every report section."""

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _

from cases.trends import facts
from cases.trends.periods import Period
from cases.trends.privacy import Cell, suppress
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


def min_cell() -> int:
    return int(current_app.config["TREND_MIN_CELL"])


def span(periods: list[Period]) -> facts.Span:
    """The days the periods cover together, overlapping or touching periods merged."""
    ranges: list[list[date]] = []
    for period in sorted(periods, key=lambda p: p.start):
        since, until = period.start, period.end + timedelta(days=1)
        if ranges and since <= ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], until)
        else:
            ranges.append([since, until])
    return facts.Span(tuple((a, b) for a, b in ranges))


def count_table(
    key: str,
    title: str,
    row_header: str,
    categories: list[tuple[Hashable, str]],
    monthly: dict,
    periods: list[Period],
    additive: bool = True,
    monthly_totals: dict[int, int] | None = None,
    note: str = "",
) -> Table:
    """A table of counts: one row per category, one column per period, suppressed."""
    result = suppress(
        monthly,
        [c for c, _label in categories],
        [p.month_indexes for p in periods],
        min_cell(),
        additive=additive,
        monthly_totals=monthly_totals,
    )
    rows = [Row(str(c), label, result.cells[c]) for c, label in categories]
    total_label = _("Total") if additive else _("All (a case may count in several rows)")
    return Table(
        key,
        title,
        row_header,
        [p.label for p in periods],
        rows,
        Row("total", total_label, result.totals),
        note,
    )


def enum_categories(enum_cls) -> list[tuple[str, str]]:
    return [(m.value, m.label) for m in enum_cls]


def domain_categories() -> list[tuple[str, str]]:
    """The top-level life domains of the catalog's taxonomy (shared by cases and services)."""
    return [(term.id, term.name) for term, _n in catalog.domains_with_counts()]


def seen_categories(monthly: dict) -> list[tuple[str, str]]:
    """Free-text-free place names as recorded (municipality, settlement), sorted; 'not recorded' last."""
    keys = sorted(k for k in monthly if k != facts.UNKNOWN)
    return [(k, k) for k in keys] + [(facts.UNKNOWN, _("Not recorded"))]
