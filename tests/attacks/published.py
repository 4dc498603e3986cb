"""The report CSV in long ("tidy") form, read as an attacker reads it: as constraints on true counts.

One row per published number, with the columns of `COLUMNS`. A count cell becomes the variable
(table, row, period, filters); its shown value bounds it through `support`, and an empty value
(a hidden count) leaves it unknown. Medians (unit "days") constrain no count and are skipped.
"""

import math
from collections.abc import Iterable, Mapping

import pandas as pd

from tests.attacks.solver import Attacker, Support

COLUMNS = [
    "section",
    "table",
    "table_title",
    "row",
    "row_label",
    "period",
    "period_start",
    "period_end",
    "value",
    "unit",
    "additive",
    "filters",
]
MEDIAN_UNITS = {"days"}
TOTAL = "total"


def canonical_filters(filters: str) -> str:
    """The filters "b=2;a=1" as "a=1;b=2", so one filter set always has one spelling."""
    parts = [part.strip() for part in filters.split(";") if part.strip()]
    return ";".join(sorted(parts, key=lambda part: part.split("=", 1)[0]))


def with_filter(filters: str, name: str, value: str) -> str:
    """`filters` narrowed further by name=value, in canonical spelling."""
    return canonical_filters(f"{filters};{name}={value}")


def filter_names(filters: str) -> set[str]:
    return {part.split("=", 1)[0] for part in filters.split(";") if part}


def load(path_or_buffer) -> pd.DataFrame:
    """The report CSV as a DataFrame: `value` numeric (NaN when not shown), the rest text.

    Filters are put in canonical spelling so the cells of a partition can be looked up by name.
    """
    # Every column is read as text first: a period "2026" or a row key "NA" must stay a string.
    df = pd.read_csv(path_or_buffer, dtype=str, keep_default_na=False)
    missing = set(COLUMNS) - set(df.columns)
    if missing:
        raise ValueError(f"report CSV lacks columns {sorted(missing)}")
    shown = df["value"].str.strip()
    df["value"] = pd.to_numeric(shown.mask(shown == ""))
    df["filters"] = df["filters"].map(canonical_filters)
    return df


def counts(df: pd.DataFrame) -> pd.DataFrame:
    """The count cells (shown or hidden) of a report: every row but the medians."""
    return df[~df["unit"].isin(MEDIAN_UNITS)]


def _number(value: float) -> float:
    return int(value) if float(value).is_integer() else value


def add_table_constraints(attacker: Attacker, df: pd.DataFrame, support: Support) -> list[tuple]:
    """Observe every count cell and tie each table's rows to its total, per period and filters.

    Additive tables: total == sum(rows). Non-additive ones (a record may count in several rows):
    each row <= total <= sum(rows). Returns the keys of the cells, in the order read.
    """
    keys = []
    for (table, period, filters), group in counts(df).groupby(["table", "period", "filters"], sort=False):
        rows = {}
        for row, value in zip(group["row"], group["value"], strict=True):
            key = (table, row, period, filters)
            keys.append(key)
            rows[row] = key
            if pd.isna(value):
                attacker.bound(key, 0, math.inf)  # hidden: unknown, but still a count
            else:
                attacker.observe(key, _number(value), support)
        total = rows.pop(TOTAL, None)
        if total is None or not rows:
            continue
        parts = {key: 1 for key in rows.values()}
        additive = set(group["additive"])
        if additive == {"yes"}:
            attacker.equal({total: 1}, parts)
        elif additive == {"no"}:
            attacker.less_equal({total: 1}, parts)
            for key in parts:
                attacker.less_equal({key: 1}, {total: 1})
        else:
            raise ValueError(f"table {table!r} ({period}, {filters!r}) has additive = {sorted(additive)}")
    return keys


def add_period_constraints(
    attacker: Attacker,
    df: pd.DataFrame,
    periods: Mapping[str, list[str]],
    tables: Iterable[str] | None = None,
) -> None:
    """Add whole == sum(sub-periods) for each cell published for a period and one of its parts.

    `periods` maps a period label to the labels of the disjoint sub-periods making it up. Only
    flows add up over time: pass `tables` to leave out snapshots (cases open at the period's end).
    A sub-period not published is still in the sum, as an unknown count: the identity holds for
    true counts whether or not they are shown.
    """
    cells = counts(df)
    if tables is not None:
        cells = cells[cells["table"].isin(set(tables))]
    have: dict[tuple, set[str]] = {}
    for table, row, period, filters in zip(
        cells["table"], cells["row"], cells["period"], cells["filters"], strict=True
    ):
        have.setdefault((table, row, filters), set()).add(period)
    for whole, parts in periods.items():
        for (table, row, filters), published in have.items():
            if whole in published and published.intersection(parts):
                attacker.equal(
                    {(table, row, whole, filters): 1},
                    {(table, row, part, filters): 1 for part in parts},
                )


def add_partition_constraints(
    attacker: Attacker, df: pd.DataFrame, table: str, filter_name: str, values: Iterable[str]
) -> None:
    """Add cell == sum(cell narrowed by filter_name=v for v in values) for each cell of `table`.

    `values` must cover every value a record can have (each record has exactly one). As with
    periods, a narrowed cell not published joins the sum as an unknown count.
    """
    values = list(values)
    cells = counts(df[df["table"] == table])
    have = set(zip(cells["row"], cells["period"], cells["filters"], strict=True))
    for row, period, filters in sorted(have):
        if filter_name in filter_names(filters):
            continue
        parts = {(table, row, period, with_filter(filters, filter_name, value)): 1 for value in values}
        if any(key[1:] in have for key in parts):
            attacker.equal({(table, row, period, filters): 1}, parts)
