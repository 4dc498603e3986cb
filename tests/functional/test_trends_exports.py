"""Trend downloads, the export command, the SVG charts under the CSP, periods and roles."""

import re
from datetime import date
from io import BytesIO

import openpyxl
import pandas as pd
import pytest

from tests.trends_factories import add_cases
from tests.trends_helpers import cells, frame, published
from welfare.extensions import db
from welfare.models import Role
from welfare.security import CONTENT_SECURITY_POLICY

Q1_2025 = {"period": "quarter", "start": "2025-01"}


@pytest.fixture
def small_register(app):
    """Jan 2025: 6 debt cases aged 41-64; Feb 2025: 7 more and 2 aged 65+."""
    with app.app_context():
        add_cases(6, date(2025, 1, 10))
        add_cases(7, date(2025, 2, 3))
        add_cases(2, date(2025, 2, 14), domain="zdravje", birth_year=1950)
        db.session.commit()
    return app


def _sheet_rows(book, name):
    return [[c for c in row] for row in book[name].iter_rows(min_row=3, values_only=True)]


def _all_cases():
    from cases.models import Case

    return list(db.session.scalars(db.select(Case).order_by(Case.id)))


def test_xlsx_has_a_sheet_per_table_named_by_its_title_with_the_page_figures(small_register, login_as):
    client = login_as(Role.SUPERVISOR)
    response = client.get("/trends/export.xlsx", query_string=Q1_2025)
    assert response.status_code == 200
    assert "attachment; filename=trends-all-2025-01-3m.xlsx" in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(BytesIO(response.data))
    assert book.sheetnames[0] == "About the figures"
    assert "perturbed" in book["About the figures"]["A3"].value
    assert {"Case flow", "Median days", "New cases by age band at openin"} <= set(book.sheetnames)
    assert all(len(name) <= 31 for name in book.sheetnames) and len(set(book.sheetnames)) == len(book.sheetnames)
    ages = {row[0]: tuple(row[1:]) for row in _sheet_rows(book, "New cases by age band at openin")}
    assert ages["Age band"] == ("2025-Q1", "2024-Q4", "2024-Q1")
    page = frame(client, "people", **Q1_2025)
    assert list(ages["41-64"]) == cells(page, "cases_age", "41-64")
    assert list(ages["Total"]) == cells(page, "cases_age", "total")
    for name in book.sheetnames[1:]:
        for row in _sheet_rows(book, name):
            assert not any(isinstance(v, int) and 0 < v < 5 for v in row), (name, row)


def test_xlsx_speaks_the_language_of_the_page(small_register, login_as):
    from tests.conftest import csrf_token

    client = login_as(Role.SUPERVISOR)
    client.post("/language", data={"csrf_token": csrf_token(client, "/trends/"), "lang": "sl", "next": "/trends/"})
    book = openpyxl.load_workbook(BytesIO(client.get("/trends/export.xlsx", query_string=Q1_2025).data))
    assert book.sheetnames[0] == "O podatkih"
    assert "Nove obravnave po starostnih sk" in book.sheetnames
    assert _sheet_rows(book, book.sheetnames[1])[0][0] == "Življenjsko področje"


def test_csv_is_one_long_table_pandas_reads_without_options(small_register, login_as):
    df = frame(login_as(Role.SUPERVISOR), "all", **Q1_2025)
    assert list(df.columns) == [
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
    ]
    assert set(df["section"]) == {"people", "flow", "referrals", "demand"}
    assert df["value"].dtype.kind == "f" and set(df["unit"]) == {"count", "days", "services"}
    ages = df[(df["table"] == "cases_age") & (df["period"] == "2025-Q1")]
    assert list(ages["period_start"].unique()) == ["2025-01-01"] and list(ages["period_end"].unique()) == ["2025-03-31"]
    assert set(df[df["table"] == "cases_domain"]["additive"]) == {"no"}
    assert set(df[df["table"] == "cases_age"]["additive"]) == {"yes"}


def test_export_command_writes_long_csv_files_and_xlsx(small_register, tmp_path):
    runner = small_register.test_cli_runner()
    folder = tmp_path / "csv"
    result = runner.invoke(
        args=["reports", "export", "--from", "2025-01-15", "--to", "2025-02-02", "--format", "csv", str(folder)]
    )
    assert result.exit_code == 0, result.output
    assert "2025-01-01 to 2025-02-28" in result.output  # whole months
    ages = pd.read_csv(folder / "cases_age.csv")
    assert list(ages["column"].unique()) == ["2025-01 – 2025-02", "2024-11 – 2024-12", "2024-01 – 2024-02"]
    everything = pd.read_csv(folder / "all.csv")
    assert set(ages["table"]) == {"cases_age"} and "flow_summary" in set(everything["table"])
    with small_register.app_context():
        cases = _all_cases()
        january = [c for c in cases if c.opened_on.month == 1]
        february_41_64 = [c for c in cases if c.opened_on.month == 2 and c.person.birth_year == 1980]
        row = ages[(ages["row"] == "41-64") & (ages["column"] == "2025-01 – 2025-02")]
        assert int(row["value"].iloc[0]) == published(january, february_41_64)  # month + month
    out = tmp_path / "report.xlsx"
    result = runner.invoke(
        args=["reports", "export", "--from", "2025-01-01", "--to", "2025-03-31", "--format", "xlsx", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "New cases by settlement" in openpyxl.load_workbook(out).sheetnames
    bad = runner.invoke(args=["reports", "export", "--from", "2025-03-01", "--to", "2025-01-01", str(out)])
    assert bad.exit_code != 0 and "--to" in bad.output
    future = runner.invoke(args=["reports", "export", "--from", "2099-01-01", "--to", "2099-02-01", str(out)])
    assert future.exit_code != 0 and "ended" in future.output


def test_charts_are_inline_svg_inside_the_csp_and_draw_the_table_figures(small_register, login_as):
    client = login_as(Role.SUPERVISOR)
    response = client.get("/trends/", query_string=Q1_2025)
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    html = response.get_data(as_text=True)
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(svgs) == 9
    for svg in svgs:
        assert "<script" not in svg and "<style" not in svg and " style=" not in svg
        assert "href" not in svg and "url(" not in svg and "<foreignObject" not in svg
        assert 'role="img"' in svg and "<title" in svg
    age_chart = next(svg for svg in svgs if "New cases by age band at opening" in svg)
    shown = cells(frame(client, "people", **Q1_2025), "cases_age", "65+")
    assert f">{shown[0]}<" in age_chart and ">2<" not in age_chart  # the published figure, never the true 2


def test_pages_never_link_to_a_case_or_show_identity(small_register, login_as):
    client = login_as(Role.SUPERVISOR)
    for url in ("/trends/", "/trends/flow", "/trends/demand", "/trends/report"):
        html = client.get(url, query_string=Q1_2025).get_data(as_text=True)
        assert "/cases/" not in html and "Tajna" not in html and "Oseba" not in html
        assert "Zaupno" not in html and "2025-0001" not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"period": "month", "start": "2025-13"}, "between 2000-01 and 2100-12"),
        ({"period": "custom", "start": "2025-05", "end": "2025-01"}, "cannot come before its start"),
        ({"period": "custom", "start": "2020-01", "end": "2026-01"}, "at most 60 months"),
        ({"period": "year", "start": "next year"}, "written as YYYY-MM"),
    ],
)
def test_bad_periods_get_a_clear_400(app, login_as, query, message):
    response = login_as(Role.SUPERVISOR).get("/trends/flow", query_string=query)
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_an_unknown_period_kind_falls_back_to_a_quarter_and_unknown_section_is_404(app, login_as):
    client = login_as(Role.ADMIN)
    assert "-Q" in client.get("/trends/?period=fortnight").get_data(as_text=True)
    assert client.get("/trends/nothing-here").status_code == 404


def test_supervisors_see_trends_and_never_a_case(small_register, login_as):
    client = login_as(Role.SUPERVISOR)
    assert client.get("/trends/report").status_code == 200
    assert client.get("/cases/").status_code == 403
    assert client.get("/cases/1").status_code == 403
    assert login_as(Role.LAWYER).get("/trends/export.csv?section=flow").status_code == 200
    assert small_register.test_client().get("/trends/flow").status_code == 302  # anonymous: to login


def test_the_threshold_below_three_stops_the_app(tmp_path):
    from tests.conftest import make_app

    with pytest.raises(ValueError, match="TREND_MIN_CELL must be a whole number of at least 3"):
        make_app(tmp_path, TREND_MIN_CELL=2)
