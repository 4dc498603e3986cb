"""Safety first on a small phone: a search about violence shows 113 before the results, and
"leave this page quickly" goes to a neutral site without leaving the page in the back history."""

import pytest

from tests.browser_helpers import axe_results

NEUTRAL = "https://neutral.example/"


@pytest.fixture
def small_phone(browser):
    """A 360 px wide phone, the narrowest common Android width."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True, locale="sl-SI"
    )
    page = context.new_page()
    # The neutral site is answered here: the test needs no network.
    page.route(NEUTRAL + "**", lambda route: route.fulfill(status=200, content_type="text/html", body="<p>neutral</p>"))
    yield page
    context.close()


@pytest.mark.browser
def test_search_about_violence_shows_113_and_leaves_quickly(live_app, base_url, small_phone, demo_catalog):
    live_app.config["QUICK_EXIT_URL"] = NEUTRAL
    page = small_phone
    page.goto(base_url + "/")
    page.get_by_label("Pri čem potrebujete pomoč?").fill("mož me tepe")
    page.get_by_role("button", name="Išči").click()
    page.wait_for_url("**/search?q=**")

    police = page.get_by_role("link", name="113", exact=True)
    results = page.locator(".results .card").first
    assert police.is_visible() and results.is_visible()
    assert police.bounding_box()["y"] < results.bounding_box()["y"]  # before the results
    assert police.get_attribute("href") == "tel:113"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    violations = axe_results(page).response["violations"]
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]

    leave = page.get_by_role("link", name="Hitro zapusti stran")
    assert leave.is_visible()
    leave.click()
    page.wait_for_url(NEUTRAL)
    # location.replace: the search page is gone from the back history, back leads home.
    page.go_back()
    page.wait_for_load_state()
    assert page.url.rstrip("/") == base_url


@pytest.mark.browser
def test_the_exit_works_as_a_plain_link_without_javascript(browser, live_app, base_url, demo_catalog):
    live_app.config["QUICK_EXIT_URL"] = NEUTRAL
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="sl-SI")
    page = context.new_page()
    page.route(NEUTRAL + "**", lambda route: route.fulfill(status=200, content_type="text/html", body="<p>neutral</p>"))
    try:
        page.goto(base_url + "/search?q=hočem+se+ubiti")
        assert page.get_by_role("link", name="116 123").is_visible()
        page.get_by_role("link", name="Hitro zapusti stran").click()
        page.wait_for_url(NEUTRAL)
    finally:
        context.close()
