"""Attacks on the published trend reports, as a supervisor mounts them (tests/functional/test_trends_attacks.py).

Two halves kept apart:
- the attacker's side reads only what a supervisor downloads (the long CSV, the XLSX, the
  page) and turns it into constraints with the harness in tests/attacks/;
- `Truth` counts the same cells straight from the case tables, so a test can say which cells
  hide a true count of 1 to 4. The attacker never sees it.
"""

import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd
import sqlalchemy as sa
from openpyxl import load_workbook

from tests.attacks.published import add_period_constraints, add_table_constraints, counts, load
from tests.attacks.solver import Attacker

K = 5
MAX_SHIFT = 2

# Tables whose rows leave out categories that show 0 in every column (their note says so):
# the rows left out still count in the total, as an unknown the attacker cannot see.
SHOWN_ROWS_ONLY = {"cases_municipality", "cases_settlement", "referrals_organization"}
# Non-additive tables whose total may hold records in none of the rows (a case with no
# challenge, a contact with no domain, an open case assigned to a supervisor only).
TOTAL_MAY_EXCEED_ROWS = {"cases_domain", "contacts_domain", "referrals_domain", "flow_caseload"}
DEMAND = "demand_supply"
OMITTED = "__omitted__"
# Counts over a stretch of months (flows); not snapshots at the period's end.
SNAPSHOTS = {"flow_caseload"}


def support(shown: float) -> tuple[int, int]:
    """The published rule as a reader learns it from the page: a group of 1 to 4 shows as 0 or
    5, any other count moves by at most 2 and never below 5, and a true 5 always shows 5 (it
    has no room below). The least and greatest true counts that can be shown as `shown`."""
    shown = int(shown)
    if shown == 0:
        return (0, K - 1)
    if shown == K:
        return (1, K + MAX_SHIFT)
    if shown < K:
        raise AssertionError(f"a count of {shown} was published")
    return (max(K + 1, shown - MAX_SHIFT), shown + MAX_SHIFT)


# ---- downloads ---------------------------------------------------------------------------------


def get_csv_text(client, **query) -> str:
    response = client.get("/trends/export.csv", query_string=query)
    assert response.status_code == 200, (query, response.status_code)
    return response.get_data(as_text=True)


def frame(text: str) -> pd.DataFrame:
    return load(io.StringIO(text.lstrip("\ufeff")))


def get_csv(client, **query) -> pd.DataFrame:
    return frame(get_csv_text(client, **query))


def combine(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Many downloads as one report: a cell published in several (a month is also the month
    before of the next) is one cell; it must show the same value each time."""
    df = pd.concat(list(frames), ignore_index=True)
    keys = ["table", "row", "column", "period", "filters"]
    values = df.groupby(keys, dropna=False)["value"].agg(lambda v: len(set(v.dropna())) <= 1)
    assert values.all(), f"one cell shown with two values: {list(values[~values].index)[:5]}"
    return df.drop_duplicates(keys).reset_index(drop=True)


def xlsx_frame(content: bytes, csv_df: pd.DataFrame) -> pd.DataFrame:
    """The XLSX read back as the long table: each sheet's (row label, column) cell joined to the
    CSV's row keys by table title, row label and column heading; every number must be there."""
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    sheets = workbook.worksheets[1:]  # the first sheet says what the figures are
    lines = []
    for sheet in sheets:
        rows = list(sheet.iter_rows(values_only=True))
        title, header = rows[0][0], rows[2]
        for row in rows[3:]:
            if not row or row[0] is None or all(v is None for v in row[1:]):
                continue
            for column, value in zip(header[1:], row[1:], strict=False):
                if column is None:
                    continue
                lines.append((title, row[0], column, value))
    got = pd.DataFrame(lines, columns=["table_title", "row_label", "column", "xlsx_value"])
    merged = csv_df.merge(got, on=["table_title", "row_label", "column"], how="outer", indicator=True)
    assert set(merged["_merge"]) == {"both"}, merged[merged["_merge"] != "both"].head()
    xlsx_numbers = pd.to_numeric(merged["xlsx_value"].mask(merged["xlsx_value"] == "–"))
    out = merged.drop(columns=["value", "xlsx_value", "_merge"])
    out["value"] = xlsx_numbers
    return out


TD = re.compile(r"<td>([^<]*)</td>")


def html_numbers(html: str) -> list[str]:
    """The cells of every figure table on a report page, in page order."""
    return TD.findall(html)


# ---- the attacker ----------------------------------------------------------------------------------


def _with_omitted_rows(df: pd.DataFrame) -> pd.DataFrame:
    """An unknown, unpublished row for each table and period whose rows may not cover the total."""
    tables = SHOWN_ROWS_ONLY | TOTAL_MAY_EXCEED_ROWS
    groups = df[df["table"].isin(tables)].drop_duplicates(["table", "period", "filters"]).copy()
    groups["row"] = OMITTED
    groups["row_label"] = OMITTED
    groups["value"] = math.nan
    return pd.concat([df, groups], ignore_index=True)


def cell_key(table: str, row: str, period: str, filters: str, column: str | None = None) -> tuple:
    """The attacker's variable for a cell (the demand table's columns share one period)."""
    if table == DEMAND:
        return (table, row, column, period, filters)
    return (table, row, period, filters)


def add_demand(attacker: Attacker, df: pd.DataFrame) -> list[tuple]:
    """The demand-and-supply table, one variable per (row, column): each column's total bounds
    its rows; challenges and unmet needs partition by domain, so there total = sum(rows)."""
    cells = df[(df["table"] == DEMAND) & (df["unit"] == "count")]
    keys = []
    for (column, period, filters), group in cells.groupby(["column", "period", "filters"], sort=False):
        rows = {}
        for row, value in zip(group["row"], group["value"], strict=True):
            key = cell_key(DEMAND, row, period, filters, column)
            keys.append(key)
            rows[row] = key
            if pd.isna(value):
                attacker.bound(key, 0, math.inf)
            else:
                attacker.observe(key, int(value), support)
        total = rows.pop("total")
        for key in rows.values():
            attacker.less_equal({key: 1}, {total: 1})
        if column.startswith(("Challenges", "Unmet")) and not filters:
            attacker.equal({total: 1}, {key: 1 for key in rows.values()})
    return keys


def single_block(start: str, end: str) -> bool:
    """A calendar month, quarter or year: published from one cell key. Any other range shows the
    sum of its blocks' published figures, which `support` does not describe (5 + 5 may hide 2)."""
    first, last = month_index(date.fromisoformat(start)), month_index(date.fromisoformat(end))
    size = last - first + 1
    return size == 1 or (size in (3, 12) and first % size == 0)


def attacker_for(df: pd.DataFrame, periods: dict[str, list[str]] | None = None) -> Attacker:
    """Every table of the report as constraints (sound ones only), and sub-period sums.

    A cell of a range made of several blocks is left unknown: it only repeats its blocks' figures,
    which the attacker reads where they are published (and ties to it by `periods`)."""
    attacker = Attacker()
    plain = _with_omitted_rows(df[(df["table"] != DEMAND) & (df["unit"] == "count")])
    blocks = [single_block(s, e) for s, e in zip(plain["period_start"], plain["period_end"], strict=True)]
    plain = plain.assign(value=plain["value"].where(blocks))
    add_table_constraints(attacker, plain, support)
    add_demand(attacker, df)
    if periods:
        rows = plain[plain["row"] != OMITTED]  # what a period leaves out is not what its parts do
        flows = set(counts(rows)["table"]) - SNAPSHOTS - {"flow_summary"}
        add_period_constraints(attacker, rows, periods, flows)
        summary = rows[(rows["table"] == "flow_summary") & (rows["row"] != "open_at_end")]
        add_period_constraints(attacker, summary, periods, {"flow_summary"})
    return attacker


def same_cells(attacker: Attacker, df: pd.DataFrame, a: tuple[str, str], b: tuple[str, str]) -> int:
    """Cells of table/row a and table/row b count the same records: tie them, per period and filters."""
    added = 0
    cells = counts(df)
    first = cells[(cells["table"] == a[0]) & (cells["row"] == a[1])]
    second = cells[(cells["table"] == b[0]) & (cells["row"] == b[1])]
    common = set(zip(first["period"], first["filters"], strict=True)) & set(
        zip(second["period"], second["filters"], strict=True)
    )
    for period, filters in common:
        attacker.equal({(a[0], a[1], period, filters): 1}, {(b[0], b[1], period, filters): 1})
        added += 1
    return added


# ---- periods as labelled in the reports ---------------------------------------------------------------


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_of(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def month_label(index: int) -> str:
    return f"{index // 12}-{index % 12 + 1:02d}"


def quarter_label(index: int) -> str:
    return f"{index // 12}-Q{index % 12 // 3 + 1}"


def period_tree(months: Iterable[int]) -> dict[str, list[str]]:
    """{year: its quarters, quarter: its months} for the whole quarters and years among `months`."""
    months = set(months)
    tree = {}
    for m in months:
        if m % 3 == 0 and {m, m + 1, m + 2} <= months:
            tree[quarter_label(m)] = [month_label(m + i) for i in range(3)]
        if m % 12 == 0 and set(range(m, m + 12)) <= months:
            tree[str(m // 12)] = [quarter_label(m + 3 * i) for i in range(4)]
    return tree


def blocks(first: int, last: int) -> list[tuple[str, str]]:
    """The documented rule: a range is its aligned years, then quarters, then months, as
    (period kind, start) pairs that download each block on its own."""
    parts, m = [], first
    while m <= last:
        size = 12 if m % 12 == 0 and m + 11 <= last else 3 if m % 3 == 0 and m + 2 <= last else 1
        parts.append(({12: "year", 3: "quarter", 1: "month"}[size], month_label(m)))
        m += size
    return parts


# ---- truth: counted from the case tables (the attacker never sees this) ------------------------------------


@dataclass
class Truth:
    """The records behind the figures, one DataFrame each, read from the case tables."""

    cases: pd.DataFrame  # one row per case
    challenges: pd.DataFrame  # one row per challenge, with its case's facts
    referrals: pd.DataFrame  # one row per sent referral, with its case's facts

    @classmethod
    def read(cls) -> "Truth":
        from cases.models import Case, Challenge, Person
        from cases.referrals.models import Referral, ReferralStatus
        from catalog.models import TaxonomyTerm
        from welfare.extensions import db

        parent = dict(db.session.execute(sa.select(TaxonomyTerm.id, TaxonomyTerm.parent_id)).all())
        rows = db.session.execute(
            sa.select(
                Case.id,
                Case.opened_on,
                Case.closed_on,
                Case.outcome,
                Person.birth_year,
                Person.birth_date,
                Person.gender,
                Person.municipality,
                Person.settlement,
            ).join(Person, Person.id == Case.person_id)
        ).all()
        cases = pd.DataFrame(
            [
                {
                    "case_id": r.id,
                    "opened": month_index(r.opened_on),
                    "closed": month_index(r.closed_on) if r.closed_on else None,
                    "outcome": r.outcome.value if r.outcome else None,
                    "age_band": _age_band(r.opened_on, r.birth_year or (r.birth_date.year if r.birth_date else None)),
                    "gender": r.gender.value if r.gender else "unknown",
                    "municipality": r.municipality or "unknown",
                    "settlement": r.settlement or "unknown",
                }
                for r in rows
            ]
        )
        challenges = pd.DataFrame(
            [
                {"case_id": case_id, "domain": parent.get(domain) or domain, "urgency": urgency.value}
                for case_id, domain, urgency in db.session.execute(
                    sa.select(Challenge.case_id, Challenge.domain_id, Challenge.urgency)
                )
            ]
        )
        per_case = challenges.groupby("case_id").size()
        cases["challenges"] = cases["case_id"].map(per_case).fillna(0).astype(int)
        cases["bucket"] = cases["challenges"].map(lambda n: "4+" if n >= 4 else str(n))
        domains = challenges.groupby("case_id")["domain"].agg(frozenset)
        cases["domains"] = cases["case_id"].map(domains).map(lambda d: d if isinstance(d, frozenset) else frozenset())
        challenges = challenges.merge(cases.drop(columns=["domains"]), on="case_id")
        challenges["domains"] = challenges["domain"].map(lambda d: frozenset([d]))
        states = {
            ReferralStatus.SENT: "waiting",
            ReferralStatus.ACCEPTED: "accepted",
            ReferralStatus.IN_PROGRESS: "accepted",
        }
        referrals = pd.DataFrame(
            [
                {
                    "case_id": r.case_id,
                    "sent": month_index(r.sent_at),
                    "state": states.get(r.status, r.status.value),
                    "decline_reason": r.decline_reason.value if r.decline_reason else None,
                    "referral_outcome": r.outcome.value if r.outcome else None,
                    "organization": r.organization_id,
                }
                for r in db.session.scalars(sa.select(Referral).where(Referral.sent_at.is_not(None)))
            ]
        )
        if len(referrals):
            referrals = referrals.merge(cases.drop(columns=["outcome"]), on="case_id")
        return cls(cases, challenges, referrals)

    # What each table counts: (records, month column, row column)
    TABLES = {
        "cases_age": ("cases", "opened", "age_band"),
        "cases_gender": ("cases", "opened", "gender"),
        "cases_municipality": ("cases", "opened", "municipality"),
        "cases_settlement": ("cases", "opened", "settlement"),
        "challenges_per_case": ("cases", "opened", "bucket"),
        "challenges_urgency": ("challenges", "opened", "urgency"),
        "flow_closed": ("cases", "closed", "outcome"),
        "referrals_state": ("referrals", "sent", "state"),
        "referrals_declined": ("referrals", "sent", "decline_reason"),
        "referrals_outcome": ("referrals", "sent", "referral_outcome"),
        "referrals_organization": ("referrals", "sent", "organization"),
    }

    def _narrowed(self, records: pd.DataFrame, filters: str) -> pd.DataFrame:
        for part in filter(None, filters.split(";")):
            name, value = part.split("=", 1)
            if name == "domain":
                records = records[records["domains"].map(lambda d, v=value: v in d)]
            else:
                records = records[records[name] == value]
        return records

    def count(self, table: str, row: str, start: str, end: str, filters: str = "") -> int | None:
        """The true count of a cell (None for a table this does not know)."""
        first, last = month_index(date.fromisoformat(start)), month_index(date.fromisoformat(end))
        if table == "flow_summary":
            return self.flow(row, first, last, filters)
        if table not in self.TABLES:
            return None
        kind, month, column = self.TABLES[table]
        records = getattr(self, kind)
        if not len(records):
            return 0
        records = self._narrowed(records, filters)
        months = records[month]
        records = records[(months >= first) & (months <= last)]
        if row == "total":  # referral figures leave out a referral with no value; case figures do not
            return int(records[column].notna().sum()) if kind == "referrals" else len(records)
        return int((records[column] == row).sum())

    def flow(self, row: str, first: int, last: int, filters: str = "") -> int:
        cases = self._narrowed(self.cases, filters)
        if row == "opened":
            return int(((cases["opened"] >= first) & (cases["opened"] <= last)).sum())
        closed = cases["closed"].fillna(10**9)
        if row == "closed":
            return int(((closed >= first) & (closed <= last)).sum())
        assert row == "open_at_end", row
        return int(((cases["opened"] <= last) & (closed > last)).sum())

    def of(self, df: pd.DataFrame) -> pd.Series:
        """The true count of every count cell of a report (NaN where unknown here)."""
        values = [
            self.count(t, r, s, e, f)
            for t, r, s, e, f in zip(
                df["table"], df["row"], df["period_start"], df["period_end"], df["filters"], strict=True
            )
        ]
        return pd.Series([math.nan if v is None else v for v in values], index=df.index, dtype=float)


def _age_band(opened: date, year: int | None) -> str:
    if year is None:
        return "unknown"
    age = opened.year - year
    for band, below in (("0-17", 18), ("18-25", 26), ("26-40", 41), ("41-64", 65)):
        if age < below:
            return band
    return "65+"


# ---- the verdict ------------------------------------------------------------------------------------


def small_cells(df: pd.DataFrame, truth: Truth, tables: Iterable[str] | None = None) -> pd.DataFrame:
    """The count cells (of `tables`) whose true count is 1 to 4, with their truth."""
    cells = df[(df["unit"] == "count") & (df["table"] != DEMAND) & (df["row"] != OMITTED)].copy()
    if tables is not None:
        cells = cells[cells["table"].isin(set(tables))]
    cells["truth"] = truth.of(cells)
    return cells[(cells["truth"] >= 1) & (cells["truth"] <= K - 1)]


def verdict(attacker: Attacker, df: pd.DataFrame, truth: Truth, tables: Iterable[str] | None = None) -> dict:
    """Assert what the attack must not achieve; return figures for the test to check it ran.

    - no published count is 1 to 4;
    - every cell with a true count the attack could read is consistent with it (the attacker's
      constraints are sound: the truth lies in its range);
    - every cell with a true count of 1 to 4 keeps more than one possible value.
    """
    shown = df[df["unit"] == "count"]["value"].dropna()
    assert not shown.between(1, K - 1).any(), shown[shown.between(1, K - 1)]
    small = small_cells(df, truth, tables)
    pinned, checked = [], 0
    for table, row, period, filters, true in zip(
        small["table"], small["row"], small["period"], small["filters"], small["truth"], strict=True
    ):
        low, high = attacker.range_of((table, row, period, filters))
        assert low <= true <= high, (table, row, period, filters, true, low, high)
        checked += 1
        if low == high:
            pinned.append((table, row, period, filters, true))
    assert not pinned, f"small counts pinned: {pinned}"
    return {"small": checked}


def sound(attacker: Attacker, df: pd.DataFrame, truth: Truth, tables: Iterable[str]) -> int:
    """Every known true count lies in the attacker's range (a check of the attack, not of the method)."""
    cells = df[df["table"].isin(set(tables)) & (df["row"] != OMITTED)].copy()
    cells["truth"] = truth.of(cells)
    checked = 0
    for table, row, period, filters, true in zip(
        cells["table"], cells["row"], cells["period"], cells["filters"], cells["truth"], strict=True
    ):
        if math.isnan(true):
            continue
        low, high = attacker.range_of((table, row, period, filters))
        assert low <= true <= high, (table, row, period, filters, true, low, high)
        checked += 1
    return checked
