"""Public catalog pages: what a resident sees without logging in."""

from datetime import date

import pytest
import sqlalchemy as sa

from catalog.models import ChangeReport, ServiceStatus
from tests.conftest import csrf_token
from tests.factories import add_phone, make_org, make_service
from welfare.database import utcnow
from welfare.extensions import db


@pytest.fixture
def catalog(app):
    with app.app_context():
        org = make_org("Rdeči križ Novo mesto", email="info@example.si")
        visible = make_service(
            org,
            "Materialna pomoč",
            domains=("revscina",),
            groups=("druzine",),
            free=True,
            eligibility_description="Socialno ogrožene družine.",
            minimum_age=18,
            address={"address_1": "Ljubljanska cesta 1", "postal_code": "8000", "city": "Novo mesto"},
            schedules=[{"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": "08:00", "closes_at": "12:00"}],
            assured_date=date(2026, 10, 1),
        )
        add_phone(visible, "07 111 22 33")
        make_service(org, "Osnutek storitve", domains=("revscina",), published=False)
        make_service(org, "Arhivirana storitev", domains=("revscina",), archived_at=utcnow())
        make_service(org, "Ukinjena storitev", domains=("revscina",), status=ServiceStatus.DEFUNCT)
        hidden_org = make_org("Skrita organizacija", published=False)
        make_service(hidden_org, "Storitev skrite organizacije", domains=("revscina",))
        safe = make_service(
            make_org("Društvo SOS"),
            "Varna hiša",
            domains=("nasilje",),
            is_confidential_location=True,
            address={"address_1": "Tajna ulica 5", "postal_code": "8000", "city": "Novo mesto"},
        )
        db.session.commit()
        return {"visible": visible.id, "org": org.id, "safe": safe.id, "hidden_org": hidden_org.id}


def test_home_lists_life_domains_with_public_counts(client, catalog):
    html = client.get("/").get_data(as_text=True)
    assert "Revščina in materialna pomoč" in html
    assert (
        'href="/domains/revscina"><span class="domain-name">Revščina in materialna pomoč</span> <span class="count">1 service'
        in html
    )


def test_domain_page_shows_only_public_services(client, catalog):
    html = client.get("/domains/revscina").get_data(as_text=True)
    assert "Materialna pomoč" in html
    for hidden in ("Osnutek storitve", "Arhivirana storitev", "Ukinjena storitev", "Storitev skrite organizacije"):
        assert hidden not in html
    assert client.get("/domains/ne-obstaja").status_code == 404


def test_service_page_shows_what_a_resident_needs(client, catalog):
    html = client.get(f"/services/{catalog['visible']}").get_data(as_text=True)
    for text in (
        "Materialna pomoč",
        "Rdeči križ Novo mesto",
        "Socialno ogrožene družine.",
        "from 18",
        "Free of charge",
        "Ljubljanska cesta 1, 8000 Novo mesto",
        "07 111 22 33",
        "info@example.si",
        "Družine in starši",
        "Information last verified on",
        "08:00–12:00",
    ):
        assert text in html, text
    assert ("Open now" in html) or ("Closed now" in html)
    assert f"/services/{catalog['visible']}/print" in html
    assert f'value="http://localhost/services/{catalog["visible"]}"' in html  # share link


def test_confidential_address_is_never_shown(client, catalog):
    html = client.get(f"/services/{catalog['safe']}").get_data(as_text=True)
    assert "Tajna ulica" not in html
    assert "The address is not public" in html
    assert "Tajna ulica" not in client.get(f"/services/{catalog['safe']}/print").get_data(as_text=True)


@pytest.mark.parametrize(
    "name", ["Osnutek storitve", "Arhivirana storitev", "Ukinjena storitev", "Storitev skrite organizacije"]
)
def test_non_public_services_are_404(app, client, catalog, name):
    from catalog.models import Service

    with app.app_context():
        service_id = db.session.scalar(sa.select(Service.id).where(Service.name == name))
    assert client.get(f"/services/{service_id}").status_code == 404


def test_print_view_and_organization_page(client, catalog):
    printed = client.get(f"/services/{catalog['visible']}/print").get_data(as_text=True)
    assert "Materialna pomoč" in printed and "data-print" in printed and 'class="site-header"' not in printed
    org_page = client.get(f"/organizations/{catalog['org']}").get_data(as_text=True)
    assert "Materialna pomoč" in org_page and "Osnutek storitve" not in org_page
    assert client.get(f"/organizations/{catalog['hidden_org']}").status_code == 404


def test_search_finds_public_services_only(client, catalog):
    html = client.get("/search?q=pomoč").get_data(as_text=True)
    assert "Materialna pomoč" in html and "Osnutek" not in html
    assert "We found nothing" in client.get("/search?q=xyzzy").get_data(as_text=True)
    assert client.get("/search?q=" + "%25_" * 50).status_code == 200


def test_report_a_change(app, client, catalog):
    url = f"/services/{catalog['visible']}/report"
    token = csrf_token(client, url)
    bad = client.post(url, data={"csrf_token": token, "message": "kratko", "reporter_contact": "ni-email"})
    html = bad.get_data(as_text=True)
    assert "Write between 10 and 2000 characters." in html and "Enter a valid e-mail address" in html
    assert "kratko" in html and 'value="ni-email"' in html
    ok = client.post(
        url, data={"csrf_token": token, "message": "Telefonska številka ne velja več.", "reporter_contact": ""}
    )
    assert ok.status_code == 302
    with app.app_context():
        report = db.session.scalar(sa.select(ChangeReport))
        assert report.message == "Telefonska številka ne velja več." and report.status == "open"


def test_report_a_change_is_rate_limited(client, catalog):
    url = f"/services/{catalog['visible']}/report"
    token = csrf_token(client, url)
    statuses = [
        client.post(url, data={"csrf_token": token, "message": f"Sprememba številka {i}."}).status_code
        for i in range(6)
    ]
    assert statuses == [302] * 5 + [429]
