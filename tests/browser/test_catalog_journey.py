"""Key journey: a resident on a phone browses a life domain, opens a service and its print view."""

import pytest


@pytest.mark.browser
def test_phone_user_browses_domain_opens_service_and_print_view(base_url, phone, demo_catalog):
    phone.goto(base_url + "/")
    assert phone.get_by_role("heading", level=1).inner_text() == "Kje lahko dobim pomoč?"
    # The page fits the phone: no horizontal scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    phone.get_by_role("link", name="Nasilje").click()
    phone.wait_for_url(base_url + "/domains/nasilje")
    assert phone.get_by_role("heading", level=1).inner_text() == "Nasilje"
    phone.get_by_role("link", name="SOS telefon za žrtve nasilja").click()
    assert phone.get_by_role("heading", level=1).inner_text() == "SOS telefon za žrtve nasilja"
    assert "Društvo SOS telefon za ženske in otroke – žrtve nasilja" in phone.inner_text("main")
    assert "Brezplačno" in phone.inner_text("main")

    phone.get_by_role("link", name="Različica za tisk").click()
    assert phone.get_by_role("heading", level=1).inner_text() == "SOS telefon za žrtve nasilja"
    assert phone.locator(".site-header").count() == 0
    phone.emulate_media(media="print")
    assert not phone.get_by_role("button", name="Natisni").is_visible()  # buttons do not print


@pytest.mark.browser
def test_safe_house_address_stays_hidden(base_url, page, demo_catalog):
    page.goto(base_url + "/domains/nasilje")
    page.get_by_role("link", name="Varna hiša (zatočišče za žrtve nasilja)").click()
    assert "Naslov zaradi varnosti uporabnikov ni javen." in page.inner_text("main")
