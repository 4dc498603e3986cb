"""Small-cell suppression: the one engine every report page, chart and export goes through.

A figure arrives as counts per category per *month* (or per snapshot date), and leaves as
display cells for whole periods. The rules, with k = TREND_MIN_CELL:

1. Primary: a count from 1 to k-1 is hidden ("< k"). Zero is shown.
2. Complementary, within each month: a month with a hidden cell hides further cells,
   smallest first, until at least two cells are hidden and together they hold at least k; if
   the cells run out, the total is hidden. So the total minus the shown cells never gives one
   hidden cell, nor a sum below k. This applies also where rows overlap (a case with
   challenges in two domains, a case with assignees in two roles): most cases have one, so
   the total minus the other rows would nearly give a hidden cell away.
3. Periods are built from months: a period's cell is hidden ("x") whenever any of its months
   hid that cell, and a period's total whenever any month hid its total. Every shown number
   is therefore a sum of month cells that are each 0 or >= k, so no subtraction of shown
   numbers (two overlapping custom ranges, a quarter minus its months, a year minus three
   quarters, or the current period against the previous one) can isolate a hidden month.
   Because rule 2 hides two cells in that month, the same category pair is hidden in every
   period containing it, and the period's total cannot single either out.
4. Medians (and any share) over fewer than k cases are hidden.

Figures whose rows overlap are "not additive": their total is counted on its own (cases, not
cases per domain) instead of summing the rows; the rules are the same.
"""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from statistics import median

SMALL = "small"  # 1..k-1
PROTECT = "protect"  # hidden so that a small cell cannot be worked out


@dataclass(frozen=True)
class Cell:
    """One displayed number: `value` is None when hidden (then `mark` says why)."""

    value: int | float | None
    mark: str = ""

    @property
    def shown(self) -> bool:
        return self.value is not None


def is_small(count: int, k: int) -> bool:
    return 0 < count < k


def protect_line(counts: dict[Hashable, int], total: int, k: int, additive: bool) -> tuple[set, bool]:
    """Which cells of one line (a month) to hide, and whether to hide its total (rules 1-2)."""
    hidden = {key for key, n in counts.items() if is_small(n, k)}
    total_hidden = is_small(total, k)
    if not additive or total_hidden or not hidden:
        return hidden, total_hidden
    while len(hidden) < 2 or sum(counts[key] for key in hidden) < k:
        candidates = sorted(
            (key for key in counts if key not in hidden), key=lambda key: (counts[key] == 0, counts[key], str(key))
        )
        if not candidates:
            return hidden, True  # nothing left to hide among the rows: the total goes instead
        hidden.add(candidates[0])
    return hidden, total_hidden


@dataclass
class Suppressed:
    """A figure after suppression: cells[category][column] and totals[column]."""

    cells: dict[Hashable, list[Cell]]
    totals: list[Cell]


def suppress(
    monthly: dict[Hashable, dict[int, int]],
    categories: Iterable[Hashable],
    columns: Sequence[Iterable[int]],
    k: int,
    additive: bool = True,
    monthly_totals: dict[int, int] | None = None,
) -> Suppressed:
    """Suppress a figure given per-month counts (`monthly[category][month]`) for display in
    `columns` (each a set of months, e.g. the current and the comparison periods).

    `monthly_totals` is needed when the figure is not additive (the total is then counted on
    its own, e.g. cases rather than cases per domain); additive figures total their rows.
    """
    if not additive and monthly_totals is None:
        raise ValueError("a figure whose rows overlap needs its own monthly totals")
    categories = list(categories)
    columns = [list(months) for months in columns]
    months = sorted({m for months_ in columns for m in months_})
    hidden: dict[int, set] = {}
    total_hidden: dict[int, bool] = {}
    month_totals: dict[int, int] = {}
    for month in months:
        counts = {c: monthly.get(c, {}).get(month, 0) for c in categories}
        if monthly_totals is None:
            month_totals[month] = sum(counts.values())
        else:
            month_totals[month] = monthly_totals.get(month, 0)
        hidden[month], total_hidden[month] = protect_line(counts, month_totals[month], k, additive=True)

    def cell(value: int, hide: bool) -> Cell:
        if not hide:
            return Cell(value)
        return Cell(None, SMALL if is_small(value, k) else PROTECT)

    cells = {
        c: [cell(sum(monthly.get(c, {}).get(m, 0) for m in ms), any(c in hidden[m] for m in ms)) for ms in columns]
        for c in categories
    }
    totals = [cell(sum(month_totals[m] for m in ms), any(total_hidden[m] for m in ms)) for ms in columns]
    return Suppressed(cells, totals)


def snapshot(
    counts: Sequence[dict[Hashable, int]], categories: Iterable[Hashable], k: int, totals: Sequence[int] | None = None
):
    """Suppress counts taken at points in time (e.g. cases open at the end of each period):
    each column is its own line, since snapshots do not add up over time. `totals` (one per
    column) when the rows overlap; otherwise the rows are summed."""
    categories = list(categories)
    monthly = {c: {i: column.get(c, 0) for i, column in enumerate(counts)} for c in categories}
    columns = [[i] for i in range(len(counts))]
    if totals is None:
        return suppress(monthly, categories, columns, k)
    return suppress(monthly, categories, columns, k, additive=False, monthly_totals=dict(enumerate(totals)))


def median_cell(values: Sequence[float], k: int) -> Cell:
    """The median of at least k values, else hidden (a median of 2 cases is nearly a person)."""
    if len(values) < k:
        return Cell(None, SMALL if values else "")
    return Cell(round(median(values), 1))


def display(cell: Cell, k: int) -> str:
    """The text of a cell in tables, charts and exports alike."""
    if cell.value is None:
        return f"< {k}" if cell.mark == SMALL else ("x" if cell.mark == PROTECT else "–")
    if isinstance(cell.value, float):
        return f"{cell.value:g}"
    return str(cell.value)
