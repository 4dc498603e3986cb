"""A supervisor's trend-report journey in Slovenian, in a real browser: the quarterly report,
the previous quarter, demand and supply, the CSV download, and a refused case URL."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from babel.support import Translations
from playwright.sync_api import expect

from cases.trends.periods import make_period
from tests.conftest import PASSWORD, create_user
from tests.trends_factories import add_cases
from welfare import PROJECT_ROOT
from welfare.extensions import db
from welfare.models import Role

SL = Translations.load(str(Path(PROJECT_ROOT) / "welfare" / "translations"), ["sl"])


def t(text: str) -> str:
    return SL.gettext(text)


@pytest.fixture(scope="module")
def last_quarter(live_app, demo_catalog):
    """Six debt cases and two housing cases on the first day of the previous quarter."""
    previous = make_period("quarter", None, None, date.today()).previous()
    with live_app.app_context():
        add_cases(6, previous.start, settlement="Ločna")
        add_cases(2, previous.start, domain="stanovanje", settlement="Ločna")
        db.session.commit()
    return previous


def expected_cells(live_app, section: str, period, table_key: str, row_key: str) -> list[str]:
    """The cells the server's report builder gives (other modules may have seeded demo cases
    into this shared live app, so the journey compares with the builder, not fixed numbers)."""
    from cases.trends.privacy import display
    from cases.trends.reports import SECTIONS

    with live_app.test_request_context():
        table = next(tb for tb in SECTIONS[section].build(period) if tb.key == table_key)
        row = next(r for r in table.rows if r.key == row_key)
        return [display(c, live_app.config["TREND_MIN_CELL"]) for c in row.cells]


@pytest.mark.browser
def test_supervisor_reads_the_quarter_before_and_demand_and_supply(live_app, base_url, page, last_quarter):
    create_user(live_app, Role.SUPERVISOR, "trends-supervisor")
    page.goto(base_url + "/login")
    page.get_by_label("Uporabniško ime").fill("trends-supervisor")
    page.get_by_label("Geslo").fill(PASSWORD)
    page.get_by_role("button", name="Prijava").click()
    page.wait_for_url(base_url + "/trends/")
    this_quarter = last_quarter.next()
    assert t("Trend reports") in page.get_by_role("heading", level=1).inner_text()
    domains = page.get_by_role("table", name=t("New cases by life domain"))
    expect(domains.get_by_role("columnheader").nth(1)).to_have_text(this_quarter.label)

    # Each click navigates; the expect() assertions wait for the new page (reading cells
    # straight after a click can catch the old page or none at all).
    page.get_by_role("link", name=f"{t('Previous period')}: {last_quarter.label}").click()
    domains = page.get_by_role("table", name=t("New cases by life domain"))
    expect(domains.get_by_role("columnheader").nth(1)).to_have_text(last_quarter.label)
    debts = domains.get_by_role("row", name="Dolgovi in plačila").get_by_role("cell")
    expected = expected_cells(live_app, "people", last_quarter, "cases_domain", "pisarna-zivljenjska-podrocja:dolgovi")
    assert expected[0] not in ("0", "< 5")  # our six are there
    expect(debts).to_have_text(expected)

    page.get_by_role("navigation", name=t("Report sections")).get_by_role("link", name=t("Demand and supply")).click()
    page.wait_for_url("**/trends/demand?**")
    title = t("Demand and supply by life domain, %(period)s") % {"period": last_quarter.label}
    table = page.get_by_role("table", name=title)
    expected = expected_cells(live_app, "demand", last_quarter, "demand_supply", "pisarna-zivljenjska-podrocja:dolgovi")
    expect(table.get_by_role("row", name="Dolgovi in plačila").get_by_role("cell")).to_have_text(expected)
    expect(page.locator("svg.chart")).to_have_count(1)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=t("Download CSV")).click()
    download = download_info.value
    assert download.suggested_filename.startswith("trends-demand-")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    assert title in text and "Dolgovi in plačila," + ",".join(expected) + "\n" in text.replace("\r\n", "\n")
    for row in csv.reader(io.StringIO(text)):  # the last column counts services, not people
        assert not any(cell.isdigit() and 0 < int(cell) < 5 for cell in row[1:-1]), row
    assert "Ločna" not in text  # demand and supply never lists places

    response = page.goto(base_url + "/cases/")
    assert response.status == 403
    response = page.goto(base_url + "/cases/" + f"{last_quarter.start.year}-0001")
    assert response.status == 403
