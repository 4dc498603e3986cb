"""Safety first (issue 23): a search or page about violence, self-harm or a crisis shows the
emergency lines that apply above the results, and a quick way out of the page."""

import re

import pytest
import sqlalchemy as sa

from catalog.guidance.safety import LINES, SAFETY_DOMAINS, safety_for
from catalog.models import Service
from welfare.extensions import db

QUICK_EXIT = re.compile(r'<a class="quick-exit[^"]*" href="([^"]+)" rel="noreferrer" data-quick-exit>')


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _before_results(html: str) -> str:
    """What a search page shows above its results."""
    return html.split('id="results-heading"')[0]


@pytest.mark.parametrize(
    ("query", "numbers"),
    [
        ("mož me tepe", ["113", "112", "080 11 55"]),
        ("moj fant me udari, ko je pijan", ["113", "080 11 55"]),
        ("my husband hits me when he's drunk", ["113", "080 11 55"]),
        ("hočem se ubiti", ["112", "116 123", "01 520 99 00"]),
        ("I want to kill myself", ["116 123", "01 520 99 00"]),
        ("napadli so me na ulici", ["113", "112"]),
    ],
)
def test_a_search_about_danger_shows_the_lines_above_the_results(client, demo, query, numbers):
    html = _page(client, "/search?" + f"q={query}")
    top = _before_results(html)
    assert 'class="safety"' in top
    for number in numbers:
        assert f'href="tel:{number.replace(" ", "")}">{number}</a>' in top
    exit_link = QUICK_EXIT.search(top)
    assert exit_link and exit_link.group(1) == "https://www.google.si/"


@pytest.mark.parametrize("query", ["vrtec", "dolgovi", "ne morem plačati položnic", "asdf qwe"])
def test_other_searches_show_no_emergency_panel(client, demo, query):
    html = _page(client, f"/search?q={query}")
    assert 'class="safety"' not in html and "data-quick-exit" not in html


def test_narrowing_to_violence_counts_as_about_violence(client, demo):
    html = _page(client, "/search?domain=nasilje")
    assert 'href="tel:113"' in _before_results(html)


@pytest.mark.parametrize(("code", "shown"), [("nasilje", True), ("dusevno-zdravje", True), ("izobrazevanje", False)])
def test_domain_pages(client, demo, code, shown):
    html = _page(client, f"/domains/{code}")
    assert ("data-quick-exit" in html) is shown
    if shown:
        assert html.index('class="safety"') < html.index('class="result-count"')


def test_a_safe_house_page_shows_the_lines_and_still_hides_its_address(client, app, demo):
    with app.app_context():
        safe = db.session.scalar(sa.select(Service).where(Service.is_confidential_location.is_(True)))
        service_id = safe.id
    html = _page(client, f"/services/{service_id}")
    assert 'href="tel:113"' in html and 'href="tel:0801155"' in html and "data-quick-exit" in html


def test_the_exit_goes_where_the_office_configures(client, app, demo):
    app.config["QUICK_EXIT_URL"] = "https://www.arso.gov.si/"
    html = _page(client, "/search?q=mož+me+tepe")
    assert QUICK_EXIT.search(html).group(1) == "https://www.arso.gov.si/"


def test_slovenian_panel(client, app, demo):
    app.config["BABEL_DEFAULT_LOCALE"] = "sl"
    html = _page(client, "/search?q=mož+me+tepe")
    assert "Hitro zapusti stran" in html and "SOS telefon za ženske in otroke – žrtve nasilja" in html


def test_every_line_names_its_public_source(app):
    for line in LINES.values():
        assert line.sources and all(s.startswith(("https://", "http://")) for s in line.sources)
    with app.app_context():
        assert safety_for(["izobrazevanje", "revscina"]) is None
        assert [line.number for line in safety_for(SAFETY_DOMAINS).lines] == [
            "113",
            "112",
            "080 11 55",
            "116 123",
            "01 520 99 00",
            "116 111",
        ]
