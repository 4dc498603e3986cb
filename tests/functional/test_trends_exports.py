"""Trend downloads, the export command, the SVG charts under the CSP, periods and roles."""

import re
from datetime import date
from io import BytesIO

import openpyxl
import pytest

from tests.trends_factories import add_cases
from welfare.extensions import db
from welfare.models import Role
from welfare.security import CONTENT_SECURITY_POLICY

Q1_2025 = {"period": "quarter", "start": "2025-01"}


@pytest.fixture
def small_register(app):
    """Jan 2025: 6 debt cases aged 41-64; Feb 2025: 7 more and 2 aged 65+ (k = 5)."""
    with app.app_context():
        add_cases(6, date(2025, 1, 10))
        add_cases(7, date(2025, 2, 3))
        add_cases(2, date(2025, 2, 14), domain="zdravje", birth_year=1950)
        db.session.commit()
    return app


def _sheet_rows(book, name):
    return [[c for c in row] for row in book[name].iter_rows(min_row=3, values_only=True)]


def test_xlsx_has_one_sheet_per_table_with_the_page_cells(small_register, login_as):
    response = login_as(Role.SUPERVISOR).get("/trends/export.xlsx", query_string=Q1_2025)
    assert response.status_code == 200
    assert "attachment; filename=trends-all-2025-01-3m.xlsx" in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(BytesIO(response.data))
    assert {"cases_domain", "cases_age", "flow_summary", "flow_medians", "demand_supply"} <= set(book.sheetnames)
    ages = {row[0]: tuple(row[1:]) for row in _sheet_rows(book, "cases_age")}
    assert ages["Age band"] == ("2025-Q1", "2024-Q4", "2024-Q1")
    assert ages["41-64"] == ("x", 0, 0) and ages["65+"] == ("< 5", 0, 0) and ages["Total"] == (15, 0, 0)
    for name in book.sheetnames:
        for row in _sheet_rows(book, name):
            assert not any(isinstance(v, int) and 0 < v < 5 for v in row), (name, row)


def test_export_command_writes_csv_files_and_xlsx(small_register, tmp_path):
    runner = small_register.test_cli_runner()
    folder = tmp_path / "csv"
    result = runner.invoke(
        args=["reports", "export", "--from", "2025-01-15", "--to", "2025-02-02", "--format", "csv", str(folder)]
    )
    assert result.exit_code == 0, result.output
    assert "2025-01-01 to 2025-02-28" in result.output  # whole months
    ages = (folder / "cases_age.csv").read_text(encoding="utf-8").splitlines()
    assert ages[0] == "Age band,2025-01 – 2025-02,2024-11 – 2024-12,2024-01 – 2024-02"
    assert "41-64,x,0,0" in ages and "65+,< 5,0,0" in ages
    out = tmp_path / "report.xlsx"
    result = runner.invoke(
        args=["reports", "export", "--from", "2025-01-01", "--to", "2025-03-31", "--format", "xlsx", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "cases_settlement" in openpyxl.load_workbook(out).sheetnames
    bad = runner.invoke(args=["reports", "export", "--from", "2025-03-01", "--to", "2025-01-01", str(out)])
    assert bad.exit_code != 0 and "--to" in bad.output


def test_charts_are_inline_svg_inside_the_csp_and_draw_only_shown_cells(small_register, login_as):
    response = login_as(Role.SUPERVISOR).get("/trends/", query_string=Q1_2025)
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    html = response.get_data(as_text=True)
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(svgs) == 9
    for svg in svgs:
        assert "<script" not in svg and "<style" not in svg and " style=" not in svg
        assert "href" not in svg and "url(" not in svg and "<foreignObject" not in svg
        assert 'role="img"' in svg and "<title" in svg
    age_chart = next(svg for svg in svgs if "New cases by age band at opening" in svg)
    assert "&lt; 5" in age_chart and ">x<" in age_chart  # the hidden cells' text, no bar value
    assert ">2<" not in age_chart and ">7<" not in age_chart and ">13<" not in age_chart


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
