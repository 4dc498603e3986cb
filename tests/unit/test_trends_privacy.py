"""The perturbation table, cell keys and report periods, without a database."""

import random
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.models import RECORD_KEY_BOUND
from cases.trends.periods import Period, PeriodError, make_period, month_index
from cases.trends.privacy import (
    MAX_SHIFT,
    MEDIAN_MIN,
    Cell,
    Count,
    display,
    distribution,
    median_cell,
    perturb,
    possible_true,
)
from welfare.config import check_trend_min_cell

K = 5


@pytest.mark.parametrize("k", [3, 5, 8])
def test_every_row_of_the_table_is_unbiased_bounded_and_never_shows_a_small_count(k):
    for n in range(0, 60):
        row = distribution(n, k)
        assert sum(p for _v, p in row) == pytest.approx(1)
        assert sum(v * p for v, p in row) == pytest.approx(n), n  # the expected figure is the truth
        for value, p in row:
            assert p > 0
            assert value == 0 or value >= k, (n, value)  # 1..k-1 is never published
            assert abs(value - n) <= (k - 1 if n < k else MAX_SHIFT)


def test_possible_true_is_exactly_the_counts_the_table_can_publish_as_the_value():
    for shown in range(0, 40):
        producing = [n for n in range(0, 60) if any(v == shown for v, _p in distribution(n, K))]
        if not producing:
            with pytest.raises(ValueError):
                possible_true(shown, K)
            continue
        lo, hi = possible_true(shown, K)
        assert (lo, hi) == (min(producing), max(producing))
        assert producing == list(range(lo, hi + 1))  # an interval: an attacker's bound is exact
    assert possible_true(0, K) == (0, 4) and possible_true(5, K) == (1, 7)


def test_the_same_cell_key_always_gives_the_same_figure_and_one_record_more_redraws_it():
    rng = random.Random(7)
    keys = [rng.randrange(RECORD_KEY_BOUND) for _ in range(12)]
    cell = sum((Count(1, key) for key in keys), Count())
    assert cell.n == 12 and cell.key == sum(keys) % RECORD_KEY_BOUND
    assert {perturb(cell, K) for _ in range(5)} == {perturb(cell, K)}
    # Over many possible newcomers, the figure moves both ways and sometimes not at all:
    # seeing it change does not tell by how much, or even in which direction, the count did.
    moves = {perturb(cell + Count(1, rng.randrange(RECORD_KEY_BOUND)), K) - perturb(cell, K) for _ in range(400)}
    assert min(moves) < 0 < max(moves) and 0 in moves


def test_small_counts_show_as_zero_or_k_in_the_proportions_that_keep_them_unbiased():
    rng = random.Random(1)
    shown = [perturb(Count(1, rng.randrange(RECORD_KEY_BOUND)), K) for _ in range(5000)]
    assert set(shown) == {0, K}
    assert shown.count(K) / len(shown) == pytest.approx(1 / K, abs=0.02)
    assert perturb(Count(0, 0), K) == 0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, RECORD_KEY_BOUND - 1), min_size=1, max_size=40))
def test_a_cell_key_does_not_depend_on_the_order_or_grouping_of_its_records(keys):
    one_by_one = sum((Count(1, k) for k in keys), Count())
    middle = len(keys) // 2
    halves = sum((Count(1, k) for k in keys[:middle]), Count()) + sum((Count(1, k) for k in keys[middle:]), Count())
    reversed_ = sum((Count(1, k) for k in reversed(keys)), Count())
    assert one_by_one == halves == reversed_
    assert perturb(one_by_one, K) in {v for v, _p in distribution(len(keys), K)}


def test_medians_need_enough_values():
    assert median_cell(list(range(MEDIAN_MIN - 1))).value is None
    assert median_cell([1] * 5 + [3] * 5).value == 2
    assert display(median_cell([1])) == "–" and display(Cell(2.5)) == "2.5" and display(Cell(7)) == "7"


def test_periods_snap_to_whole_months_and_default_to_the_last_month_that_ended():
    today = date(2026, 8, 17)
    assert make_period("quarter", None, None, today) == Period("quarter", month_index(date(2026, 7, 1)), 3)
    assert make_period("month", None, None, today).label == "2026-07"
    assert make_period("quarter", None, None, date(2026, 10, 2)).label == "2026-Q3"  # September ended
    assert make_period("year", "2025-05-20", None, today).start == date(2025, 1, 1)
    custom = make_period("custom", "2025-02-14", "2025-04-02", today)
    assert (custom.start, custom.end, custom.months) == (date(2025, 2, 1), date(2025, 4, 30), 3)
    quarter = make_period("quarter", "2026-05", None, today)
    assert [p.label for p in quarter.comparisons()] == ["2026-Q2", "2026-Q1", "2025-Q2"]
    assert quarter.previous().query() == {"period": "quarter", "start": "2026-01"}


def test_a_period_is_reported_up_to_the_last_month_that_ended():
    year = make_period("year", "2026-01", None, date(2026, 12, 7))
    shown = year.until(month_index(date(2026, 11, 1)))
    assert (shown.start, shown.end, shown.label) == (date(2026, 1, 1), date(2026, 11, 30), "2026 (2026-01 – 2026-11)")
    assert [p.label for p in shown.comparisons()] == ["2026 (2026-01 – 2026-11)", "2025 (2025-01 – 2025-11)"]
    assert make_period("month", "2026-12", None, date(2026, 12, 7)).until(month_index(date(2026, 11, 1))) is None
    assert year.whole().next().label == "2027"


@pytest.mark.parametrize(
    ("start", "end", "blocks"),
    [
        ("2025-01", "2025-12", [(2025, 1, 12)]),
        ("2025-02", "2025-12", [(2025, 2, 1), (2025, 3, 1), (2025, 4, 3), (2025, 7, 3), (2025, 10, 3)]),
        ("2024-11", "2026-02", [(2024, 11, 1), (2024, 12, 1), (2025, 1, 12), (2026, 1, 1), (2026, 2, 1)]),
        ("2025-04", "2025-06", [(2025, 4, 3)]),
    ],
)
def test_a_custom_range_is_made_of_aligned_months_quarters_and_years(start, end, blocks):
    period = make_period("custom", start, end, date(2027, 1, 1))
    found = [(b.start // 12, b.start % 12 + 1, len(b)) for b in period.blocks()]
    assert found == blocks
    assert [m for b in period.blocks() for m in b] == list(period.month_indexes)


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
