"""The catalog search inside a case in a real browser: the words are posted, the address bar
shows only a random id, paging and the back button return to the results, and the result page
passes axe-core WCAG 2.2 A/AA."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.test_referral_journey import assert_accessible, log_in, t
from tests.conftest import create_user
from welfare.extensions import db
from welfare.models import Role

WORDS = "dolg"  # enough demo services for two pages


@pytest.fixture(scope="module")
def search_case(live_app, demo_catalog):
    from tests.intake_factories import make_case
    from welfare.models import User

    create_user(live_app, Role.ORGANIZER, "search-organizer")
    with live_app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "search-organizer"))
        make_case(number="2026-0889", assignees=[user])
        db.session.commit()
    return "2026-0889"


@pytest.mark.browser
def test_search_words_stay_out_of_the_address_and_back_returns_to_the_results(page, base_url, search_case):
    log_in(page, base_url, "search-organizer")
    page.goto(f"{base_url}/cases/{search_case}/referrals/new")
    page.get_by_label(t("What does the person need?")).fill(f"{WORDS} mož me tepe")
    page.get_by_role("button", name=t("Search")).click()
    page.wait_for_url(re.compile(r".*/referrals/new\?search=[\w-]+$"))

    assert "tepe" not in page.url and "dolg" not in page.url
    expect(page.get_by_label(t("What does the person need?"))).to_have_value(f"{WORDS} mož me tepe")
    first = page.inner_text("main")
    assert_accessible(page)
    page.get_by_role("link", name=t("Refer to this service")).first.click()
    page.wait_for_url(re.compile(r".*service=.*"))
    page.go_back()  # a GET of the id: no "resubmit the form?" and the same results

    assert "?search=" in page.url
    assert page.inner_text("main") == first
    page.reload()
    assert page.inner_text("main") == first
