"""The referral journey from issue 8, in Slovenian, in a real browser, with an axe-core
WCAG 2.2 A/AA check on every referral page on the way (including the organization's page,
reached only through a valid link):

the organizer records consent, finds a service through the catalog search inside the case,
sends the referral and prints the slip; the organization opens the link from the e-mail and
accepts; the organizer sees the new state and the follow-up on Moje delo.
"""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser_helpers import axe_results, t
from tests.conftest import PASSWORD, create_user
from tests.ref_helpers import delivered_link
from welfare import clock
from welfare.extensions import db
from welfare.models import Role


def assert_accessible(page) -> None:
    results = axe_results(page)
    problems = [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
    ]
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def journey_case(live_app, demo_catalog):
    """A case of the organizer (challenge: debts), and a public service with an e-mail to refer to."""
    from cases.models import Case
    from catalog.models import Service
    from catalog.services import public_services
    from tests.intake_factories import make_case

    create_user(live_app, Role.ORGANIZER, "journey-organizer")
    with live_app.app_context():
        from welfare.models import User

        user = db.session.scalar(sa.select(User).where(User.username == "journey-organizer"))
        make_case(number="2026-0888", assignees=[user])
        db.session.commit()
        service = next(
            s
            for s in db.session.scalars(public_services().order_by(Service.name))
            if (s.email or s.organization.email) and not s.is_confidential_location
        )
        assert db.session.scalar(sa.select(Case.id).where(Case.number == "2026-0888"))
        return {"number": "2026-0888", "service": service.name, "org": service.organization.name}


def log_in(page, base_url, username):
    page.goto(base_url + "/login")
    page.get_by_label("Uporabniško ime").fill(username)
    page.get_by_label("Geslo").fill(PASSWORD)
    page.get_by_role("button", name="Prijava").click()
    page.wait_for_url(base_url + "/cases/")


@pytest.mark.browser
def test_organizer_refers_and_the_organization_accepts_via_link(live_app, base_url, browser, page, journey_case):
    number, service = journey_case["number"], journey_case["service"]
    log_in(page, base_url, "journey-organizer")

    # No consent yet: the referral form says what is missing and links to recording it.
    page.goto(f"{base_url}/cases/{number}")
    page.get_by_role("link", name=t("Referrals and unmet needs")).click()
    assert_accessible(page)
    page.get_by_role("link", name=t("Refer to a service")).click()
    page.get_by_label(t("What does the person need?")).fill(service)
    page.get_by_role("button", name=t("Search")).click()
    assert_accessible(page)
    page.get_by_role("link", name=f"{t('Refer to this service')} {service}").first.click()
    # expect() waits for the page a click opens; reading straight after a click can catch the
    # old page (CI saw that in the trends journey).
    expect(page.locator("main")).to_contain_text(t("Consent is missing."))
    assert_accessible(page)
    page.get_by_role("link", name=t("Record a consent")).click()

    # The organizer records the consent for that organization.
    page.get_by_label(t("What the person agrees to share")).fill("Ime, opis težave z dolgovi.")
    page.get_by_label(t("With this organization")).select_option(label=journey_case["org"])
    page.get_by_role("button", name=t("Save")).click()
    expect(page.locator("main")).to_contain_text(t("Consent recorded."))

    # Back to the search inside the case; this time the form is there.
    page.goto(f"{base_url}/cases/{number}/referrals/new")
    page.get_by_label(t("What does the person need?")).fill(service)
    page.get_by_role("button", name=t("Search")).click()
    page.get_by_role("link", name=f"{t('Refer to this service')} {service}").first.click()
    page.get_by_label(t("Note for the organization")).fill("Prosimo za prvi pogovor ta teden.")
    # The default is two weeks on; this person needs a check within the week.
    follow_up = clock.today() + timedelta(days=3)
    page.get_by_label(t("Follow-up date")).fill(follow_up.isoformat())
    assert_accessible(page)
    page.get_by_role("button", name=t("Save the referral")).click()
    page.wait_for_url(re.compile(r".*/referrals/\d+$"))
    referral_id = int(page.url.rstrip("/").split("/")[-1])
    assert_accessible(page)
    page.get_by_role("button", name=t("Send the referral")).click()
    expect(page.locator("main")).to_contain_text(t("Delivery"))
    main = page.inner_text("main")
    # Delivery runs in the background right after the commit: either state may show by now.
    assert t("Sent") in main and t("Delivery") in main

    # The slip for the person, with the QR code.
    page.get_by_role("link", name=t("Print the slip for the person")).click()
    expect(page.locator(".slip-qr svg")).to_have_count(1)
    assert service in page.inner_text("main")
    assert_accessible(page)
    page.go_back()

    # The organization opens the link from the e-mail, with no account, and accepts.
    org_context = browser.new_context(locale="sl-SI")
    org = org_context.new_page()
    try:
        response = org.goto(delivered_link(live_app, referral_id))
        assert response.status == 200 and response.headers["referrer-policy"] == "no-referrer"
        shown = org.inner_text("main")
        assert service in shown and "Prosimo za prvi pogovor ta teden." in shown and number not in shown
        assert_accessible(org)
        org.get_by_label(t("We accept the referral")).check()
        org.get_by_role("button", name=t("Send the answer")).click()
        expect(org.locator("main")).to_contain_text(t("Thank you"))
        assert_accessible(org)
    finally:
        org_context.close()

    # The organizer sees the new state, who answered, and the follow-up on Moje delo.
    page.goto(f"{base_url}/cases/{number}/referrals/{referral_id}")
    main = page.inner_text("main")
    assert t("Accepted") in main and t("the organization, via link") in main
    page.goto(base_url + "/cases/")
    panel = page.locator("#referral-follow-ups-heading").locator("xpath=..").inner_text()
    assert number in panel and service in panel
    assert follow_up.strftime("%-d.") in panel


@pytest.mark.browser
def test_unmet_need_form_is_accessible(live_app, base_url, page, journey_case):
    log_in(page, base_url, "journey-organizer")
    page.goto(f"{base_url}/cases/{journey_case['number']}/needs/new")
    page.get_by_role("button", name=t("Save")).click()  # errors shown
    assert_accessible(page)
    page.get_by_label(t("Too far away")).check()
    page.get_by_role("button", name=t("Save")).click()
    assert t("Unmet need recorded.") in page.inner_text("main")
    assert_accessible(page)
