"""Key journey: on a phone, search without diacritics, narrow by municipality, open a result."""

import pytest


@pytest.mark.browser
def test_phone_search_narrow_and_open(base_url, phone, demo_catalog):
    phone.goto(base_url + "/")
    phone.get_by_label("Pri čem potrebujete pomoč?").fill("nasilje v druzini")
    phone.get_by_role("button", name="Išči").click()
    phone.wait_for_url("**/search?q=nasilje+v+druzini")
    results = phone.locator(".results .card h3")
    assert "Obravnava nasilja v družini" in results.all_inner_texts()[:5]
    assert phone.locator("mark.hl").count() > 0  # the matched words are highlighted

    phone.get_by_label("Novo mesto (").first.check()
    phone.get_by_role("button", name="Uporabi").click()
    phone.wait_for_url("**area=Novo+mesto**")
    narrowed = phone.locator(".results .card h3").all_inner_texts()
    assert narrowed and "Obravnava nasilja v družini" in narrowed
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    phone.get_by_role("link", name="Obravnava nasilja v družini").click()
    assert phone.get_by_role("heading", level=1).inner_text() == "Obravnava nasilja v družini"
    assert "from=" in phone.url  # the open is fed back to the learning portal
