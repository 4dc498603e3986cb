"""The attacker finds the classic disclosures in exact tables, and none under cell-key perturbation."""

import io
import math

import pandas as pd
import pytest

from tests.attacks.published import (
    COLUMNS,
    add_partition_constraints,
    add_period_constraints,
    add_table_constraints,
    load,
)
from tests.attacks.solver import Attacker, Infeasible


def exact(y):
    """Unperturbed publication: the shown value is the true count."""
    return (y, y)


def cell_key(y):
    """The published perturbation table: the true counts that can be shown as y."""
    if y == 0:
        return (0, 4)
    if y == 5:
        return (1, 7)
    if y >= 6:
        return (max(5, y - 2), y + 2)
    raise ValueError(f"{y} is never published")


def report(cells, additive="yes"):
    """A report CSV from (table, row, period, value, filters) tuples; value None is not shown."""
    out = io.StringIO()
    rows = [
        {
            "section": "cases",
            "table": table,
            "table_title": table.title(),
            "row": row,
            "row_label": row.title(),
            "period": period,
            "period_start": "",
            "period_end": "",
            "value": "" if value is None else value,
            "unit": "cases",
            "additive": additive,
            "filters": filters,
        }
        for table, row, period, value, filters in cells
    ]
    pd.DataFrame(rows, columns=COLUMNS).to_csv(out, index=False)
    out.seek(0)
    return out


def table(name, period, values, filters="", additive="yes"):
    return report([(name, row, period, value, filters) for row, value in values.items()], additive)


def attack(csv, support):
    attacker = Attacker()
    df = load(csv)
    add_table_constraints(attacker, df, support)
    return attacker, df


def test_the_csv_reads_without_options():
    csv = table("opened", "2026", {"a": 7, "b": None, "total": 9})
    df = pd.read_csv(csv)
    assert list(df.columns) == COLUMNS and len(df) == 3


def test_differencing_pins_a_hidden_cell_of_an_exact_additive_table():
    attacker, _ = attack(table("opened", "2026-Q1", {"a": 12, "b": 9, "c": None, "total": 23}), exact)
    assert attacker.range_of(("opened", "c", "2026-Q1", "")) == (2, 2)
    assert attacker.pinned(("opened", "c", "2026-Q1", ""))


def test_at_least_one_pins_three_hidden_cells_that_hold_three():
    cells = {"a": 10, "b": 10, "x": None, "y": None, "z": None, "total": 23}
    attacker, _ = attack(table("opened", "2026-Q1", cells), exact)
    for row in "xyz":
        attacker.bound(("opened", row, "2026-Q1", ""), 1, 4)  # shown as "< 5": at least one
    for row in "xyz":
        assert attacker.range_of(("opened", row, "2026-Q1", "")) == (1, 1)


@pytest.mark.parametrize(("shown", "expected"), [(5, (1, 7)), (0, (0, 4))])
def test_cell_key_perturbation_leaves_a_small_cell_unpinned(shown, expected):
    # True counts a=2, b=10, c=20, total=32; a is published as 0 or 5, the rest moved by up to 2.
    attacker, _ = attack(table("opened", "2026-Q1", {"a": shown, "b": 11, "c": 19, "total": 33}), cell_key)
    assert attacker.range_of(("opened", "a", "2026-Q1", "")) == expected
    assert not attacker.pinned(("opened", "a", "2026-Q1", ""))


@pytest.mark.parametrize(
    ("support", "published", "expected"),
    [(exact, (40, 12, None, 49), (3, 3)), (cell_key, (41, 11, 5, 50), (1, 7))],
)
def test_the_flow_identity_pins_closed_only_when_exact(support, published, expected):
    # True counts: 40 open before, 12 opened, 3 closed, 49 open after.
    rows = dict(zip(("open_before", "opened", "closed", "open_after"), published, strict=True))
    attacker, _ = attack(table("flow", "2026-Q1", rows, additive="no"), support)
    key = {row: ("flow", row, "2026-Q1", "") for row in rows}
    attacker.equal({key["closed"]: 1, key["open_after"]: 1}, {key["open_before"]: 1, key["opened"]: 1})
    assert attacker.range_of(key["closed"]) == expected


def test_a_year_and_three_quarters_pin_the_fourth():
    quarters = {"2026-Q1": 20, "2026-Q2": 30, "2026-Q3": None, "2026-Q4": 25}
    csv = report([("opened", "total", period, value, "") for period, value in {"2026": 78, **quarters}.items()])
    attacker, df = attack(csv, exact)
    add_period_constraints(attacker, df, {"2026": list(quarters)})
    assert attacker.range_of(("opened", "total", "2026-Q3", "")) == (3, 3)


def test_a_filtered_table_summed_over_gender_gives_the_unfiltered_one():
    # The CSV spells the filters in any order; the attacker matches them whatever the order.
    cells = [
        ("opened", "total", "2026", 12, "domain=violence"),
        ("opened", "total", "2026", 9, "gender=F;domain=violence"),
        ("opened", "total", "2026", None, "gender=M;domain=violence"),
    ]
    attacker, df = attack(report(cells), exact)
    add_partition_constraints(attacker, df, "opened", "gender", ["F", "M"])
    assert attacker.range_of(("opened", "total", "2026", "domain=violence;gender=M")) == (3, 3)


def test_a_non_additive_total_bounds_a_hidden_row_from_both_sides():
    # A case may count in both rows: total <= a + b gives b >= 3, b <= total gives b <= 10.
    attacker, _ = attack(table("domains", "2026", {"a": 7, "b": None, "total": 10}, additive="no"), exact)
    assert attacker.range_of(("domains", "b", "2026", "")) == (3, 10)


def test_contradictions_and_unbounded_counts_are_reported():
    attacker = Attacker()
    attacker.equal({"x": 1}, {"y": 1, "z": 1})
    assert attacker.range_of("y") == (0, math.inf)
    attacker.observe("x", 5, exact)
    assert attacker.range_of("y") == (0, 5)
    attacker.observe("y", 6, exact)
    assert attacker.infeasible()
    with pytest.raises(Infeasible):
        attacker.range_of("z")


def test_counts_are_integers_not_just_non_negative():
    # As a linear program 2x = y with y in [1, 3] lets x run from 0.5 to 1.5; only x = 1 is whole.
    attacker = Attacker()
    attacker.bound("y", 1, 3)
    attacker.equal({"x": 2}, {"y": 1})
    assert attacker.range_of("x") == (1, 1)
    assert attacker.range_of("y") == (2, 2)
