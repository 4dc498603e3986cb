"""Attacks on the published trend reports, mounted on what a supervisor downloads.

Every attack reads only the published files (CSV, XLSX, the page, the CLI's CSV) and turns them
into integer constraints (tests/attacks/); the test alone counts the truth from the case tables
and asserts that no cell with a true count of 1 to 4 is pinned to one value and that no
published count is 1 to 4. The demo register (about 300 cases over 18 months, referrals,
needs, contacts) is seeded once for the module; the one attack that adds records (downloading
the same period again) runs last.
"""

import io
import re
from datetime import date, timedelta

import pandas as pd
import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from tests.attack_helpers import (
    DEMAND,
    Truth,
    add_demand,
    attacker_for,
    blocks,
    combine,
    frame,
    get_csv,
    get_csv_text,
    html_numbers,
    month_index,
    month_label,
    month_of,
    same_cells,
    support,
    verdict,
    xlsx_frame,
)
from tests.attacks.published import add_partition_constraints, counts
from tests.attacks.solver import Attacker
from tests.conftest import CSRF_RE, app_with_empty_database, close_database, create_user, login
from welfare.models import Role

GENDERS = ("female", "male", "other", "unknown")
AGE_BANDS = ("0-17", "18-25", "26-40", "41-64", "65+", "unknown")
PEOPLE_TABLES = (
    "cases_age",
    "cases_gender",
    "cases_municipality",
    "cases_settlement",
    "challenges_per_case",
    "challenges_urgency",
)


class Office:
    def __init__(self, app, client, seed_output: str):
        from welfare.clock import today

        self.app, self.client = app, client
        self.passwords = dict(re.findall(r"^\s+(\w+)\s+\w+\s+(\S+)\s*$", seed_output, re.M))
        self.today = today()
        self.last = month_index(self.today) - 1  # the last month that has ended
        with app.app_context():
            self.truth = Truth.read()
        self.first = int(self.truth.cases["opened"].min())

    def months(self) -> range:
        """Every ended month of the last two years."""
        return range(self.last - 23, self.last + 1)

    def periods(self) -> list[dict]:
        """Every month, quarter and year of the last two years (as query parameters)."""
        months = self.months()
        quarters = sorted({m - m % 3 for m in months})
        years = sorted({m // 12 for m in months})
        return (
            [{"period": "month", "start": month_label(m)} for m in months]
            + [{"period": "quarter", "start": month_label(q)} for q in quarters]
            + [{"period": "year", "start": f"{y}-01"} for y in years]
        )


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    app = app_with_empty_database(tmp_path_factory.mktemp("trend-attacks"))
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    create_user(app, Role.SUPERVISOR, "attacker")
    client = app.test_client()
    assert login(client, "attacker").status_code == 302
    yield Office(app, client, result.output)
    close_database(app)


def period_parts(df: pd.DataFrame) -> dict[str, list[str]]:
    """Each published period longer than a month as the labels of its parts: a whole quarter as
    its months; anything else as the whole quarters in it and the months left over."""
    parts = {}
    for label, start, end in set(zip(df["period"], df["period_start"], df["period_end"], strict=True)):
        first, last = month_index(date.fromisoformat(start)), month_index(date.fromisoformat(end))
        if last == first:
            continue
        if first % 3 == 0 and last == first + 2:
            parts[label] = [month_label(m) for m in range(first, last + 1)]
            continue
        pieces, m = [], first
        while m <= last:
            if m % 3 == 0 and m + 2 <= last:
                pieces.append(f"{m // 12}-Q{m % 12 // 3 + 1}")
                m += 3
            else:
                pieces.append(month_label(m))
                m += 1
        parts[label] = pieces
    return parts


# ---- 1. a cell shown in another table -------------------------------------------------------------


def test_declines_shown_in_two_referral_tables_pin_no_small_count(office):
    """The state table's "declined" row and the declines-by-reason total count the same records;
    with each table's total = sum of its rows, the old "< 5" suppression gave three cells of 1.
    Mounted on the XLSX (checked cell for cell against the CSV) and the page."""
    csvs, xlsxs = [], []
    for m in office.months():
        query = {"section": "referrals", "period": "month", "start": month_label(m)}
        df = get_csv(office.client, **query)
        response = office.client.get("/trends/export.xlsx", query_string=query)
        assert response.status_code == 200
        from_xlsx = xlsx_frame(response.get_data(), df)
        merged = df.merge(from_xlsx, on=["table", "row", "column", "period", "filters"], suffixes=("", "_x"))
        assert len(merged) == len(df)
        assert merged["value"].fillna(-1).equals(merged["value_x"].fillna(-1))
        csvs.append(df)
        xlsxs.append(from_xlsx)
    # The page shows the same numbers as the download, in order.
    query = {"period": "month", "start": month_label(office.last - 1)}
    page = office.client.get("/trends/referrals", query_string=query).get_data(as_text=True)
    df = get_csv(office.client, section="referrals", **query)
    assert html_numbers(page) == ["–" if pd.isna(v) else str(int(v)) for v in df["value"]]

    published = combine(xlsxs)
    attacker = attacker_for(published)
    assert same_cells(attacker, published, ("referrals_state", "declined"), ("referrals_declined", "total")) >= 24
    tables = ("referrals_state", "referrals_declined", "referrals_outcome", "referrals_organization")
    assert verdict(attacker, published, office.truth, tables)["small"] >= 10


# ---- 2. "< 5 means at least 1" over every month, quarter and year -------------------------------------


@pytest.fixture(scope="module")
def every_period(office):
    return combine(
        get_csv(office.client, section=section, **period)
        for section in ("people", "referrals")
        for period in office.periods()
    )


def test_a_shown_five_means_at_least_one_yet_pins_no_small_count(office, every_period):
    """Settlements, organizations, age bands, urgency and challenges per case, every month,
    quarter and year of the last two years: a row shown 5 holds at least one, a row shown 0 at
    most four, and each table's total is the sum of its rows."""
    tables = PEOPLE_TABLES + ("referrals_organization",)
    attacker = attacker_for(every_period)
    assert verdict(attacker, every_period, office.truth, tables)["small"] >= 200


def test_adding_that_a_year_is_its_quarters_and_a_quarter_its_months_pins_no_small_count(office, every_period):
    tables = ("cases_settlement", "cases_age", "challenges_urgency", "challenges_per_case", "referrals_organization")
    df = every_period[every_period["table"].isin(tables)]
    parts = period_parts(df)
    assert sum(1 for label in parts if re.fullmatch(r"\d{4}", label)) >= 1  # a whole year and its quarters
    attacker = attacker_for(df, parts)
    assert verdict(attacker, df, office.truth, tables)["small"] >= 200


# ---- 3. the flow identity -------------------------------------------------------------------------------


def test_the_flow_identity_across_consecutive_months_pins_no_small_count(office):
    """closed(P) = open_at_end(P-1) + opened(P) - open_at_end(P) holds for true counts; with the
    outcome table's total = closed and the caseload total = open at the end, over 24 months."""
    df = combine(get_csv(office.client, section="flow", period="month", start=month_label(m)) for m in office.months())
    attacker = attacker_for(df)
    assert same_cells(attacker, df, ("flow_summary", "closed"), ("flow_closed", "total")) >= 24
    assert same_cells(attacker, df, ("flow_summary", "open_at_end"), ("flow_caseload", "total")) >= 24
    for m in office.months():
        now, before = month_label(m), month_label(m - 1)
        key = {row: ("flow_summary", row, now, "") for row in ("opened", "closed", "open_at_end")}
        attacker.equal(
            {key["closed"]: 1, key["open_at_end"]: 1},
            {("flow_summary", "open_at_end", before, ""): 1, key["opened"]: 1},
        )
    assert verdict(attacker, df, office.truth, ("flow_summary", "flow_closed"))["small"] >= 10


# ---- 5. averaging overlapping custom ranges ------------------------------------------------------------


def test_averaging_overlapping_custom_ranges_converges_to_the_published_month(office):
    """For a month m with small true counts (the first of a quarter): [a, m] minus [a, m-1] for
    twelve starts a average exactly to the published figure of m (each difference is it). Every
    difference of [a, m] / [a, m-1] and [m, b] / [m+1, b], for any m, is a sum of block figures
    downloaded on their own: overlapping ranges add nothing to average."""
    m = office.last - 1 - (office.last - 1) % 3
    month = get_csv(office.client, section="people", period="month", start=month_label(m))
    month = counts(month[(month["period"] == month_label(m)) & (month["table"] != DEMAND)])
    published = dict(zip(zip(month["table"], month["row"], strict=True), month["value"], strict=True))
    small = [
        (t, r)
        for t, r, s, e in zip(month["table"], month["row"], month["period_start"], month["period_end"], strict=True)
        if 1 <= (office.truth.count(t, r, s, e) or 0) <= 4
    ]
    assert len(small) >= 5
    block_figures: dict = {}

    def block(kind: str, start: str) -> dict:
        if (kind, start) not in block_figures:
            df = get_csv(office.client, section="people", period=kind, start=start)
            df = counts(df[(df["period_start"] == f"{start}-01") & (df["table"] != DEMAND)])
            block_figures[kind, start] = dict(zip(zip(df["table"], df["row"], strict=True), df["value"], strict=True))
        return block_figures[kind, start]

    def first_column(first: int, last: int) -> dict:
        df = get_csv(office.client, section="people", period="custom", start=month_label(first), end=month_label(last))
        df = counts(df[(df["period_start"] == month_of(first).isoformat()) & (df["table"] != DEMAND)])
        assert set(df["period_end"]) == {(month_of(last + 1) - timedelta(days=1)).isoformat()}
        figures = dict(zip(zip(df["table"], df["row"], strict=True), df["value"], strict=True))
        # What the attacker predicts from the blocks alone: the range shows nothing else.
        parts = [block(kind, start) for kind, start in blocks(first, last)]
        for cell, value in figures.items():
            assert value == sum(part.get(cell, 0) for part in parts), (first, last, cell)
        return figures

    differences = []
    for a in range(m - 12, m):
        longer, shorter = first_column(a, m), first_column(a, m - 1)
        differences.append({cell: longer.get(cell, 0) - shorter.get(cell, 0) for cell in published})
    for cell, value in published.items():
        average = sum(d[cell] for d in differences) / len(differences)
        assert average == value, (cell, average, value)
    for b in range(m + 1, office.last + 1):  # forward: [m, b] holds a quarter block, [m+1, b] does not
        first_column(m, b), first_column(m + 1, b)
    assert any(published[cell] != office.truth.count(*cell, *_span(m)) for cell in small)


def _span(m: int) -> tuple[str, str]:
    return month_of(m).isoformat(), (month_of(m + 1) - timedelta(days=1)).isoformat()


# ---- 6. combining filters -------------------------------------------------------------------------------


def test_filtered_downloads_summed_over_a_partition_pin_no_small_count(office):
    """A quarter unfiltered, by each gender, by each age band, and for the two commonest domains
    by each municipality: every cell = the sum of its cells narrowed by each value."""
    from tests.attack_helpers import month_index as index

    quarter = (office.last - 3) - (office.last - 3) % 3
    period = {"section": "people", "period": "quarter", "start": month_label(quarter)}
    with office.app.app_context():
        from catalog.seed import reference_data

        municipalities = reference_data()["service_areas"]["municipalities"]
    unfiltered = get_csv(office.client, **period)
    # The domains and municipalities the unfiltered tables show the most of (what an attacker sees).
    shown = unfiltered[unfiltered["period"] == unfiltered["period"].iloc[0]]
    by_domain = shown[(shown["table"] == "cases_domain") & (shown["row"] != "total")]
    domains = list(by_domain.sort_values("value", ascending=False)["row"][:2])
    places = shown[(shown["table"] == "cases_municipality") & shown["row"].isin(municipalities)]
    places = list(places[places["value"] > 0]["row"])
    frames = [unfiltered]
    frames += [get_csv(office.client, gender=g, **period) for g in GENDERS]
    frames += [get_csv(office.client, age_band=a, **period) for a in AGE_BANDS]
    for domain in domains:
        frames.append(get_csv(office.client, domain=domain, **period))
        frames += [get_csv(office.client, domain=domain, municipality=m, **period) for m in places]
    df = combine(frames)
    assert index(date.fromisoformat(df["period_start"].min())) >= quarter - 12
    attacker = attacker_for(df)
    for table in PEOPLE_TABLES:
        add_partition_constraints(attacker, df, table, "gender", GENDERS)
        add_partition_constraints(attacker, df, table, "age_band", AGE_BANDS)
        add_partition_constraints(attacker, df, table, "municipality", municipalities)
    tables = ("cases_age", "cases_gender", "cases_settlement", "challenges_urgency")
    assert verdict(attacker, df, office.truth, tables)["small"] >= 50


# ---- 7. more --------------------------------------------------------------------------------------------


def test_the_demand_table_tied_to_the_urgency_table_pins_no_small_domain(office):
    """Demand and supply per month: each column's total bounds its rows, challenges add up over
    domains, and its challenges total counts the same records as the urgency table's total."""
    small = 0
    for m in office.months():
        attacker = Attacker()
        query = {"period": "month", "start": month_label(m)}
        df = combine(get_csv(office.client, section=section, **query) for section in ("demand", "people"))
        demand = df[df["table"] == DEMAND]
        assert set(demand["unit"]) == {"count", "services"}
        add_demand(attacker, df)
        total = demand[(demand["row"] == "total") & demand["column"].str.startswith("Challenges")]
        same = df[(df["table"] == "challenges_urgency") & (df["row"] == "total") & (df["period"] == month_label(m))]
        assert list(total["value"]) == list(same["value"])  # the same records: the same figure
        challenges = office.truth.challenges
        for row, value in zip(demand["row"], demand["value"], strict=True):
            key = (DEMAND, row, total["column"].iloc[0], total["period"].iloc[0], "")
            true = int(((challenges["opened"] == m) & (challenges["domain"] == row)).sum())
            if row != "total" and 1 <= true <= 4:
                low, high = attacker.range_of(key)
                assert low <= true <= high and low < high, (m, row, true, low, high, value)
                small += 1
    assert small >= 20


def test_the_cli_custom_ranges_are_sums_of_published_blocks(office, tmp_path):
    """A custom range from the CLI (February to November of last year) is exactly the sum of the
    published February, March, Q2, Q3, October and November: it adds no new equation."""
    year = office.today.year - 1
    out = tmp_path / "report"
    runner = office.app.test_cli_runner()
    result = runner.invoke(
        args=["reports", "export", "--from", f"{year}-02-01", "--to", f"{year}-11-30", "--format", "csv", str(out)]
    )
    assert result.exit_code == 0, result.output
    cli = counts(frame((out / "all.csv").read_text(encoding="utf-8")))
    cli = cli[(cli["period_start"] == f"{year}-02-01") & ~cli["table"].isin({DEMAND, "flow_caseload"})]
    cli = cli[~((cli["table"] == "flow_summary") & (cli["row"] == "open_at_end"))]
    assert len(cli) > 100
    blocks = [
        ("month", f"{year}-02"),
        ("month", f"{year}-03"),
        ("quarter", f"{year}-04"),
        ("quarter", f"{year}-07"),
        ("month", f"{year}-10"),
        ("month", f"{year}-11"),
    ]
    published: dict = {}
    for kind, start in blocks:
        df = counts(get_csv(office.client, section="all", period=kind, start=start))
        df = df[df["period_start"] == f"{start}-01"]
        for cell, value in zip(zip(df["table"], df["row"], strict=True), df["value"], strict=True):
            published[cell] = published.get(cell, 0) + value
    for table, row, value in zip(cli["table"], cli["row"], cli["value"], strict=True):
        assert value == published.get((table, row), 0), (table, row, value, published.get((table, row)))


def test_the_attackers_reading_of_the_published_rule_is_the_methods(office):
    from cases.trends.privacy import possible_true

    for shown in [0, *range(5, 80)]:
        assert support(shown) == possible_true(shown, 5), shown


# ---- 4. downloading the same period again (adds records: runs last) ------------------------------------


def _snapshot(office) -> dict:
    client, files = office.client, {}
    this_month = month_label(office.last + 1)
    periods = [
        ("month", this_month),
        ("month", month_label(office.last)),
        ("quarter", this_month),
        ("year", this_month),
    ]
    for section in ("people", "flow", "referrals", "demand", "all"):
        for kind, start in periods:
            query = {"section": section, "period": kind, "start": start}
            files[("csv", section, kind, start)] = get_csv_text(client, **query)
            content = client.get("/trends/export.xlsx", query_string=query).get_data()
            workbook = load_workbook(io.BytesIO(content), read_only=True)
            files[("xlsx", section, kind, start)] = [
                (sheet.title, list(sheet.iter_rows(values_only=True))) for sheet in workbook.worksheets
            ]
    report = client.get("/trends/report", query_string={"period": "quarter", "start": this_month})
    files["report"] = html_numbers(report.get_data(as_text=True))
    return files


def test_downloading_the_same_periods_after_an_intake_and_a_closure_gives_the_same_files(office, tmp_path):
    from cases.models import Case, CaseStatus, case_assignment
    from welfare.extensions import db
    from welfare.models import User

    before = _snapshot(office)
    runner = office.app.test_cli_runner()
    args = ["reports", "export", "--from", f"{office.today.year}-01-01", "--to", office.today.isoformat()]
    assert runner.invoke(args=[*args, "--format", "csv", str(tmp_path / "before")]).exit_code == 0

    worker = office.app.test_client()
    assert login(worker, "socialna", office.passwords["socialna"]).status_code == 302
    html = worker.get("/cases/new").get_data(as_text=True)
    with office.app.app_context():
        from catalog.models import TAXONOMY_DOMAINS
        from catalog.seed import term_id

        violence = term_id(TAXONOMY_DOMAINS, "nasilje")
        me = db.session.scalar(sa.select(User.id).where(User.username == "socialna"))
        open_case = db.session.scalar(
            sa.select(Case.number)
            .join(case_assignment, case_assignment.c.case_id == Case.id)
            .where(case_assignment.c.user_id == me, Case.status != CaseStatus.CLOSED)
            .order_by(Case.id)
            .limit(1)
        )
        cases_before = db.session.scalar(sa.select(sa.func.count(Case.id)))
    intake = {
        "csrf_token": CSRF_RE.search(html).group(1),
        "first_name": "Janez",
        "last_name": "Novak",
        "birth_year": "1938",
        "gender": "male",
        "municipality": "Semič",
        "settlement": "Semič",
        "legal_basis": "social_care",
        "assignees": str(me),
        "challenges-0-domain_id": violence,
        "challenges-0-urgency": "low",
        "challenges-0-description": "Zaupno.",
    }
    assert worker.post("/cases/new", data=intake).status_code == 302
    page = worker.get(f"/cases/{open_case}/close").get_data(as_text=True)
    close = {
        "csrf_token": CSRF_RE.search(page).group(1),
        "version_id": re.search(r'name="version_id" type="hidden" value="(\d+)"', page).group(1),
        "outcome": "resolved",
        "closed_on": office.today.isoformat(),
        "open_work": "keep",  # the case may have open plan steps or referrals: keep them
    }
    assert worker.post(f"/cases/{open_case}/close", data=close).status_code == 302
    with office.app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Case.id))) == cases_before + 1
        closed = db.session.scalar(sa.select(Case).where(Case.number == open_case))
        assert closed.status == CaseStatus.CLOSED and closed.closed_on == office.today

    after = _snapshot(office)
    assert after.keys() == before.keys()
    for key in before:
        assert after[key] == before[key], key
    assert runner.invoke(args=[*args, "--format", "csv", str(tmp_path / "after")]).exit_code == 0
    for name in sorted(p.name for p in (tmp_path / "before").iterdir()):
        assert (tmp_path / "after" / name).read_bytes() == (tmp_path / "before" / name).read_bytes(), name
