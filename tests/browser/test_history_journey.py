"""Journeys of issue 22 in a real browser, in Slovenian.

1. The organization accepts a referral through its link; the social worker closes the case,
   reopens it, and reads the closing, the reopening and the organization's answer in the case
   history (and only the referrals when she filters by kind).
2. The lawyer types the date of service and the period of a legal deadline and sees the last
   day before saving; the saved deadline has that day.
"""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, format_date
from playwright.sync_api import expect

from tests.browser_helpers import SL, axe_results, t
from tests.conftest import PASSWORD, create_user, login
from tests.ref_helpers import create_referral, delivered_link, send_referral
from welfare.extensions import db
from welfare.models import Role

NUMBER = "2026-0922"


def log_in(page, base_url, username):
    page.goto(base_url + "/login")
    page.get_by_label("Uporabniško ime").fill(username)
    page.get_by_label("Geslo").fill(PASSWORD)
    page.get_by_role("button", name="Prijava").click()
    page.wait_for_url(base_url + "/cases/")


@pytest.fixture(scope="module")
def referred_case(live_app, demo_catalog):
    """Case 2026-0922 with a referral sent (through the app, by a team member) to a service of
    an organization the person consented to."""
    from tests.factories import make_org, make_service
    from tests.intake_factories import make_case, make_consent

    create_user(live_app, Role.SOCIAL_WORKER, "history-social")
    with live_app.app_context():
        org = make_org("Društvo Zgodovina", email="info@zgodovina.si")
        service = make_service(org, name="Svetovanje o dolgovih Zgodovina")
        case = make_case(number=NUMBER)
        make_consent(case, organization_id=org.id)
        db.session.commit()
        setup = {"number": NUMBER, "service_id": service.id, "challenge_id": case.challenges[0].id}
    client = live_app.test_client()
    assert login(client, "history-social").status_code == 302
    referral_id = create_referral(client, setup)
    assert send_referral(client, setup, referral_id).status_code == 302
    return (
        "/" + delivered_link(live_app, referral_id).split("/", 3)[3]
    )  # a path: the mail was written for the test client


@pytest.mark.browser
def test_the_worker_reads_close_reopen_and_the_answer_in_the_history(live_app, base_url, browser, referred_case):
    # The organization accepts through its link (no account).
    org = browser.new_context(locale="sl-SI").new_page()
    org.goto(base_url + referred_case)
    org.get_by_label(t("We accept the referral")).check()
    org.get_by_role("button", name=t("Send the answer")).click()
    expect(org.locator("main")).not_to_contain_text(t("Send the answer"))
    org.context.close()

    page = browser.new_context(locale="sl-SI").new_page()
    log_in(page, base_url, "history-social")
    page.goto(f"{base_url}/cases/{NUMBER}")
    page.get_by_role("link", name=t("Close the case")).click()
    page.get_by_label(t("Outcome"), exact=True).select_option("resolved")
    page.get_by_label(t("Keep them open and close the case anyway")).check()
    page.locator("main form button[type=submit]").click()
    page.get_by_role("button", name=t("Reopen the case")).click()
    expect(page.locator(".badge")).to_contain_text(SL.pgettext("case status", "Active"))

    page.get_by_role("link", name=t("The whole history of the case")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("History of case %(number)s") % {"number": NUMBER})
    titles = page.locator("ol.case-history li .meta strong").all_inner_texts()
    assert titles[:2] == [t("Case reopened"), t("Case closed")], titles
    assert t("Referral accepted") in titles and t("Referral sent") in titles
    accepted = page.locator("ol.case-history li").filter(has_text=t("Referral accepted"))
    expect(accepted).to_contain_text("Društvo Zgodovina")  # who answered

    page.get_by_label(t("Show")).select_option("referral")
    page.get_by_role("button", name=t("Filter")).click()
    titles = page.locator("ol.case-history li .meta strong").all_inner_texts()
    assert t("Case closed") not in titles and titles[0] == t("Referral accepted"), titles
    assert "Društvo" not in page.url and "kind=referral" in page.url  # only the kind in the URL
    page.context.close()


@pytest.mark.browser
def test_the_lawyer_sees_the_last_day_while_typing(live_app, base_url, page, referred_case):
    from cases.models import Deadline
    from cases.plans.deadlines import due_date
    from welfare.clock import today

    create_user(live_app, Role.LAWYER, "history-lawyer")
    log_in(page, base_url, "history-lawyer")
    page.goto(f"{base_url}/cases/{NUMBER}/deadlines/new")
    served = today() - timedelta(days=2)
    expected = due_date(served, 20)
    with live_app.test_request_context(), force_locale("sl"):
        shown = format_date(expected, "full")

    page.get_by_label(t("Date the decision was served")).fill(served.isoformat())
    page.get_by_label(t("Period in days")).fill("20")
    preview = page.locator("[data-deadline-preview]")
    expect(preview).to_have_attribute("aria-live", "polite")
    expect(preview).to_have_text(t("The last day is %(date)s.") % {"date": shown})

    # A typo is explained at once, and the last day follows the corrected period.
    page.get_by_label(t("Period in days")).fill("0")
    expect(preview).to_have_text(t("Enter a period between 1 and 365 days."))
    page.get_by_label(t("Period in days")).fill("20")
    expect(preview).to_contain_text(shown)

    page.get_by_role("button", name=t("Save")).click()
    expect(page.locator("main")).to_contain_text(shown)
    with live_app.app_context():
        assert db.session.scalar(sa.select(Deadline.due_on).order_by(Deadline.id.desc())) == expected


@pytest.mark.browser
def test_the_new_pages_pass_axe(live_app, base_url, page, referred_case):
    """The history (filtered too) and the deadline form with its preview shown (the crawl of
    test_accessibility.py starts at them as well)."""
    create_user(live_app, Role.LAWYER, "history-axe")
    log_in(page, base_url, "history-axe")
    problems = []
    for path in (f"/cases/{NUMBER}/history", f"/cases/{NUMBER}/history?kind=burn", f"/cases/{NUMBER}/deadlines/new"):
        page.goto(base_url + path)
        if path.endswith("/new"):
            page.get_by_label(t("Date the decision was served")).fill("2025-12-10")
            expect(page.locator("[data-deadline-preview]")).not_to_be_empty()
        results = axe_results(page)
        problems += [f"{path}: {v['id']}: {v['help']}" for v in results.response["violations"]]
    assert not problems, problems
