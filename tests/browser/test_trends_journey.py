"""A supervisor's trend-report journey in Slovenian, in a real browser: the report of the last
ended months, the note on how figures protect people, the previous quarter narrowed by life
domain and municipality, demand and supply, the CSV and XLSX downloads, and a refused case URL."""

from io import BytesIO

import openpyxl
import pandas as pd
import pytest
from playwright.sync_api import expect

from cases.trends.figures import NONE, Filters
from cases.trends.periods import make_period
from tests.browser_helpers import t
from tests.conftest import PASSWORD, create_user
from tests.trends_factories import add_cases
from welfare.clock import today
from welfare.extensions import db
from welfare.models import Role

DEBTS = "pisarna-zivljenjska-podrocja:dolgovi"


@pytest.fixture(scope="module")
def last_quarter(live_app, demo_catalog):
    """Six debt cases in Novo mesto and two housing cases in Metlika, early in the quarter before
    the one the report opens on."""
    previous = make_period("quarter", None, None, today()).previous()
    with live_app.app_context():
        add_cases(6, previous.start, municipality="Novo mesto", settlement="Novo mesto")
        add_cases(2, previous.start, domain="stanovanje", municipality="Metlika", settlement="Metlika")
        db.session.commit()
    return previous


def expected_cells(live_app, section: str, period, table_key: str, row_key: str, filters=NONE) -> list[str]:
    """The cells the server's report builder gives (other modules may have seeded demo cases
    into this shared live app, so the journey compares with the builder, not fixed numbers)."""
    from cases.trends.privacy import display
    from cases.trends.reports import SECTIONS

    with live_app.test_request_context():
        table = next(tb for tb in SECTIONS[section].build(period, filters) if tb.key == table_key)
        row = next(r for r in [*table.rows, table.total] if r.key == row_key)
        return [display(c) for c in row.cells]


@pytest.mark.browser
def test_supervisor_narrows_the_report_reads_the_note_and_downloads_it(live_app, base_url, page, last_quarter):
    create_user(live_app, Role.SUPERVISOR, "trends-supervisor")
    page.goto(base_url + "/login")
    page.get_by_label("Uporabniško ime").fill("trends-supervisor")
    page.get_by_label("Geslo").fill(PASSWORD)
    page.get_by_role("button", name="Prijava").click()
    page.wait_for_url(base_url + "/trends/")
    assert t("Trend reports") in page.get_by_role("heading", level=1).inner_text()
    note = page.locator("#perturbation-note")
    expect(note).to_contain_text(t("How the figures protect people."))
    expect(note).to_contain_text("nekoliko spremenjeni")

    # Each click navigates; the expect() assertions wait for the new page.
    page.get_by_role("link", name=f"{t('Previous period')}: {last_quarter.label}").click()
    domains = page.get_by_role("table", name=t("New cases by life domain"))
    expect(domains.get_by_role("columnheader").nth(1)).to_have_text(last_quarter.label)

    page.get_by_label(t("Life domain"), exact=True).select_option(DEBTS)
    page.get_by_label(t("Municipality"), exact=True).select_option("Novo mesto")
    page.get_by_role("button", name=t("Show")).click()
    page.wait_for_url("**municipality=Novo+mesto**")
    narrowed = Filters(domain=DEBTS, municipality="Novo mesto")
    genders = page.get_by_role("table", name=t("New cases by gender"))
    expected = expected_cells(live_app, "people", last_quarter, "cases_gender", "female", narrowed)
    assert expected[0] not in ("0",)  # our six are there, shown as a figure of at least 5
    expect(genders.get_by_role("row", name=t("Female")).get_by_role("cell")).to_have_text(expected)
    places = page.get_by_role("table", name=t("New cases by municipality"))
    expect(places.get_by_role("row", name="Metlika")).to_have_count(0)  # narrowed away
    expect(page.get_by_label(t("Life domain"), exact=True)).to_have_value(DEBTS)  # the choice stays

    with page.expect_download() as download_info:
        page.get_by_role("link", name=t("Download CSV")).click()
    download = download_info.value
    assert download.suggested_filename.startswith("trends-people-")
    df = pd.read_csv(download.path())
    assert set(df["filters"]) == {f"domain={DEBTS};municipality=Novo mesto"}
    counts = df[df["unit"] == "count"]["value"]
    assert not counts.between(1, 4).any()
    female = df[(df["table"] == "cases_gender") & (df["row"] == "female")]["value"].tolist()
    assert [str(int(v)) for v in female] == expected

    with page.expect_download() as download_info:
        page.get_by_role("link", name=t("Download XLSX")).click()
    with open(download_info.value.path(), "rb") as fh:  # the download's temp name has no suffix
        book = openpyxl.load_workbook(BytesIO(fh.read()))
    assert book.sheetnames[0] == t("About the figures")
    assert "nekoliko spremenjeni" in book[book.sheetnames[0]]["A3"].value

    page.get_by_role("navigation", name=t("Report sections")).get_by_role("link", name=t("Demand and supply")).click()
    page.wait_for_url("**/trends/demand?**")
    title = t("Demand and supply by life domain, %(period)s") % {"period": last_quarter.label}
    table = page.get_by_role("table", name=title)
    expected = expected_cells(live_app, "demand", last_quarter, "demand_supply", DEBTS, narrowed)
    expect(table.get_by_role("row", name="Dolgovi in plačila").get_by_role("cell")).to_have_text(expected)

    response = page.goto(base_url + "/cases/")
    assert response.status == 403
