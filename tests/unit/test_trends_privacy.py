"""The suppression engine and report periods, by hand and by property.

The property tests play the attacker: every month-aligned range is queried, and every number
shown (cells and totals) becomes a linear equation over the month cells. A small count must
never be a linear combination of those equations: not from row/column totals, not from
another period, and not by subtracting two overlapping custom ranges.
"""

import csv
import io
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.trends.export import csv_text
from cases.trends.periods import Period, PeriodError, make_period, month_index
from cases.trends.privacy import PROTECT, SMALL, Cell, display, median_cell, protect_line, suppress
from cases.trends.tables import Row, Table
from welfare.config import check_trend_min_cell

K = 5


# ---- by hand -----------------------------------------------------------------------------


def test_a_small_cell_hides_the_next_smallest_so_the_total_does_not_give_it_away():
    hidden, total_hidden = protect_line({"a": 3, "b": 9, "c": 12, "d": 0}, 24, K, additive=True)
    assert hidden == {"a", "b"} and not total_hidden  # 3 alone (24-9-12) would be exposed


def test_two_small_cells_summing_below_k_hide_a_third():
    hidden, _total = protect_line({"a": 1, "b": 2, "c": 7, "d": 30}, 40, K, additive=True)
    assert hidden == {"a", "b", "c"}  # a+b=3 < k would pin both down


def test_zero_cells_are_shown_and_hidden_only_when_nothing_else_is_left():
    hidden, total_hidden = protect_line({"a": 4, "z": 0}, 4, K, additive=True)
    assert total_hidden and hidden == {"a"}  # the total 4 is itself small


def test_non_additive_figures_hide_only_small_cells():
    hidden, _total = protect_line({"a": 3, "b": 9}, 11, K, additive=False)
    assert hidden == {"a"}


def test_a_period_hides_a_cell_that_was_small_in_any_of_its_months():
    monthly = {"a": {0: 6, 1: 2, 2: 7}, "b": {0: 10, 1: 10, 2: 10}, "c": {0: 5, 1: 6, 2: 5}}
    result = suppress(monthly, ["a", "b", "c"], [[0], [1], [2], [0, 1, 2]], K)
    assert [c.value for c in result.cells["a"]] == [6, None, 7, None]
    assert result.cells["a"][1].mark == SMALL and result.cells["a"][3].mark == PROTECT
    # February's second hidden cell (c: 6, the next smallest) is hidden in every period holding February.
    assert [c.value for c in result.cells["c"]] == [5, None, 5, None]
    assert [c.value for c in result.totals] == [21, 18, 22, 61]
    assert [c.value for c in result.cells["b"]] == [10, 10, 10, 30]


def test_medians_need_k_values_and_display_marks():
    assert median_cell([1, 2, 3, 4], K).value is None
    assert median_cell([1, 2, 3, 4, 10], K).value == 3
    assert display(Cell(None, SMALL), K) == "< 5" and display(Cell(None, PROTECT), K) == "x"
    assert display(Cell(None, ""), K) == "–" and display(Cell(2.5), K) == "2.5"


def test_periods_snap_to_whole_months_quarters_and_years():
    today = date(2026, 8, 17)
    assert make_period("quarter", None, None, today) == Period("quarter", month_index(date(2026, 7, 1)), 3)
    assert make_period("year", "2025-05-20", None, today).start == date(2025, 1, 1)
    custom = make_period("custom", "2025-02-14", "2025-04-02", today)
    assert (custom.start, custom.end, custom.months) == (date(2025, 2, 1), date(2025, 4, 30), 3)
    quarter = make_period("quarter", "2026-05", None, today)
    assert [p.label for p in quarter.comparisons()] == ["2026-Q2", "2026-Q1", "2025-Q2"]
    assert [p.label for p in make_period("year", "2026-01", None, today).comparisons()] == ["2026", "2025"]
    assert quarter.previous().query() == {"period": "quarter", "start": "2026-01"}


@pytest.mark.parametrize(
    ("start", "end", "reason"),
    [
        ("2025-13", None, "range"),
        ("25-01", None, "format"),
        ("2025-02-30", None, "range"),
        ("2025-03", "2025-01", "order"),
    ],
)
def test_bad_periods_are_refused_with_a_reason(start, end, reason):
    with pytest.raises(PeriodError) as error:
        make_period("custom", start, end, date(2026, 1, 1))
    assert str(error.value) == reason


def test_the_threshold_is_never_below_three():
    assert check_trend_min_cell("5") == 5 and check_trend_min_cell(3) == 3
    for bad in (2, 0, "-5", "five", 2.5):
        with pytest.raises(ValueError, match="at least 3"):
            check_trend_min_cell(bad)


# ---- by property -------------------------------------------------------------------------


def _in_row_space(rows: list[list[Fraction]], target: list[Fraction]) -> bool:
    """Whether `target` is a linear combination of `rows` (exact Gaussian elimination)."""
    basis: list[tuple[int, list[Fraction]]] = []

    def reduce(vector):
        vector = vector[:]
        for pivot, row in basis:
            if vector[pivot]:
                factor = vector[pivot] / row[pivot]
                vector = [a - factor * b for a, b in zip(vector, row, strict=True)]
        return vector

    for row in rows:
        row = reduce(row)
        pivot = next((i for i, a in enumerate(row) if a), None)
        if pivot is not None:
            basis.append((pivot, row))
    return not any(reduce(target))


counts = st.one_of(st.integers(0, 0), st.integers(1, 4), st.integers(5, 25))
tables = st.integers(2, 4).flatmap(
    lambda n_categories: st.integers(1, 4).flatmap(
        lambda n_months: st.lists(
            st.lists(counts, min_size=n_months, max_size=n_months), min_size=n_categories, max_size=n_categories
        )
    )
)


@settings(max_examples=150, deadline=None)
@given(tables, st.integers(3, 6))
def test_no_shown_number_is_small_and_no_small_count_can_be_derived(grid, k):
    categories = list(range(len(grid)))
    n_months = len(grid[0])
    monthly = {c: dict(enumerate(grid[c])) for c in categories}
    ranges = [list(range(a, b + 1)) for a in range(n_months) for b in range(a, n_months)]  # every custom range
    result = suppress(monthly, categories, ranges, k)

    def variable(c, m):
        return c * n_months + m

    size = len(categories) * n_months
    equations = []
    for column, months in enumerate(ranges):
        shown = [c for c in categories if result.cells[c][column].shown] + (
            ["total"] if result.totals[column].shown else []
        )
        for c in shown:
            value = result.totals[column].value if c == "total" else result.cells[c][column].value
            assert not 0 < value < k  # nothing between 1 and k-1 is ever displayed
            row = [Fraction(0)] * size
            for cat in categories if c == "total" else [c]:
                for m in months:
                    row[variable(cat, m)] = Fraction(1)
            equations.append(row)
    for c in categories:
        for months in ranges:
            true = sum(grid[c][m] for m in months)
            if 0 < true < k:
                target = [Fraction(0)] * size
                for m in months:
                    target[variable(c, m)] = Fraction(1)
                assert not _in_row_space(equations, target), (grid, k, c, months)


@settings(max_examples=60, deadline=None)
@given(tables, st.integers(3, 6))
def test_exports_carry_the_same_suppressed_cells(grid, k):
    categories = list(range(len(grid)))
    monthly = {c: dict(enumerate(grid[c])) for c in categories}
    ranges = [list(range(len(grid[0]))), [0]]
    result = suppress(monthly, categories, ranges, k)
    table = Table(
        "t",
        "T",
        "Row",
        ["all", "first"],
        [Row(str(c), f"r{c}", result.cells[c]) for c in categories],
        Row("total", "Total", result.totals),
    )
    for line in csv.reader(io.StringIO(csv_text([table], k))):
        for text in line[1:]:
            if text.isdigit():
                assert not 0 < int(text) < k
            else:
                assert text in ("", f"< {k}", "x", "all", "first")
