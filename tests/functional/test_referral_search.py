"""The catalog search inside a case (/cases/<n>/referrals/new): every service found can be
reached page by page, each card says where the service is, whom it serves and what it is, links
to its public page, and services serving the person's municipality come first. The search is
posted: its words are kept server side and never appear in a URL (post-redirect-get)."""

import re

import pytest
import sqlalchemy as sa

from cases.models import Person
from tests.factories import make_org, make_service
from tests.ref_helpers import csrf_of, referral_setup, search_in_case
from welfare.extensions import db


@pytest.fixture
def staff(login_as):
    return login_as("organizer")


@pytest.fixture
def found(app):
    """The person lives in Semič; thirteen debt services: the setup's (Novo mesto), eleven in
    Krško, and one serving Črmošnjice, a settlement of Semič, added last."""
    from catalog.search import index as search_index

    setup = referral_setup(app)
    with app.app_context():
        db.session.scalar(sa.select(Person)).municipality = "Semič"
        org = make_org("Društvo Posavje")
        for n in range(1, 12):
            make_service(org, name=f"Dolžniško svetovanje Posavje {n:02d}", areas=("Krško",))
        local = make_service(
            make_org("Društvo Bela krajina"),
            name="Dolžniško svetovanje Bela krajina",
            areas=("Črmošnjice",),
            description="Svetovanje pri dolgovih in opominih za prebivalce Bele krajine. " * 5,
            address={"address_1": "Štefanov trg 9", "city": "Semič", "postal_code": "8333"},
        )
        db.session.commit()
        search_index.rebuild()
        return {**setup, "local": local.id}


def _cards(html: str) -> list[str]:
    return re.findall(r'<li class="panel">\s*<h3>([^<]+)</h3>', html)


def test_every_service_found_is_reachable_page_by_page(staff, found):
    url = search_in_case(staff, found["number"], "dolžniško")
    assert "dolž" not in url and "?search=" in url
    first = staff.get(url).get_data(as_text=True)
    assert "13 services found" in first and "Page 1 of 2" in first
    assert len(_cards(first)) == 10
    assert "page=2" in first
    second = staff.get(url + "&page=2").get_data(as_text=True)
    assert len(_cards(second)) == 3 and "Page 2 of 2" in second
    assert len(set(_cards(first)) | set(_cards(second))) == 13
    # A page past the end shows the last one, not an empty list.
    assert _cards(staff.get(url + "&page=9").get_data(as_text=True)) == _cards(second)


def test_services_serving_the_persons_municipality_come_first(staff, found):
    html = staff.get(search_in_case(staff, found["number"], "dolžniško")).get_data(as_text=True)
    assert _cards(html)[0] == "Dolžniško svetovanje Bela krajina"
    assert "Services that serve Semič, where the person lives, come first." in html
    assert len(re.findall(r"badge-open\">serves the person(&#39;|')s municipality", html)) == 1


def test_a_card_shows_address_area_description_and_the_public_page(staff, found):
    html = staff.get(search_in_case(staff, found["number"], "dolžniško")).get_data(as_text=True)
    card = html.split('<li class="panel">')[1].split("</li>")[0]
    assert "Štefanov trg 9, 8333 Semič" in card
    assert "Črmošnjice" in card
    assert "Svetovanje pri dolgovih in opominih" in card and len(card) < 3000  # shortened
    assert f'href="/services/{found["local"]}"' in card
    assert f"service={found['local']}" in card  # and the referral form
    setup_card = next(c for c in html.split('<li class="panel">')[1:] if "Dolžniško svetovanje</h3>" in c)
    assert "Glavni trg 7, 8000 Novo mesto" in setup_card and "Novo mesto" in setup_card


def test_the_words_never_reach_a_url_and_back_reaches_each_kept_search(staff, found):
    number = found["number"]
    debts = search_in_case(staff, number, "dolžniško")
    later = search_in_case(staff, number, "Bela krajina")
    page = staff.get(debts + "&page=2").get_data(as_text=True)

    assert "Page 2 of 2" in page  # the earlier search, as the back button finds it
    assert 'value="dolžniško"' in page  # the words typed are back in the box
    assert "Bela krajina" in staff.get(later).get_data(as_text=True)
    for html in (page, staff.get(later).get_data(as_text=True)):
        hrefs = re.findall(r'(?:href|action)="([^"]*)"', html)
        assert not [h for h in hrefs if "dol" in h.lower() or "krajina" in h.lower()], hrefs


def test_an_unknown_or_another_users_search_id_shows_an_empty_search(staff, found, login_as):
    url = search_in_case(staff, found["number"], "dolžniško")
    colleague = login_as("social_worker", "kolegica")

    for client, target in ((staff, f"/cases/{found['number']}/referrals/new?search=nekaj"), (colleague, url)):
        html = client.get(target).get_data(as_text=True)
        assert "That search is no longer kept" in html and "services found" not in html


def test_a_search_with_a_line_break_is_refused_with_the_words_kept(staff, found):
    page = staff.get(f"/cases/{found['number']}/referrals/new").get_data(as_text=True)
    refused = staff.post(
        f"/cases/{found['number']}/referrals/search", data={"csrf_token": csrf_of(page), "q": "dolg\nopomin"}
    )
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "Enter this on one line" in html and "dolg" in html
