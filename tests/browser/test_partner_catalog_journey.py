"""Issue 25's catalog part in a real browser, in Slovenian: a partner proposes a new phone
number for its service, a curator compares it with the entry and applies it, and the public
service page shows the new number; the partner also confirms its organization still accurate,
and a second proposal is rejected with a reason the partner then reads. Every page on the way
passes axe (WCAG 2.2 A/AA), the forms also with their errors shown."""

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from catalog.details import Phone
from tests.browser_helpers import axe_violations, t
from tests.conftest import PASSWORD, create_user
from tests.factories import make_org, make_service
from welfare.extensions import db
from welfare.models import Role, User

SERVICE = "Svetovalnica za dolžnike"


def _log_in(browser, base_url, username):
    page = browser.new_context(locale="sl-SI").new_page()
    page.goto(base_url + "/login")
    page.get_by_label("Uporabniško ime").fill(username)
    page.get_by_label("Geslo", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Prijava").click()
    return page


@pytest.fixture
def partner_service(live_app):
    """A public service with a phone number, its organization's partner and a curator."""
    with live_app.app_context():
        org = make_org("Društvo Mavrica")
        service = make_service(
            org,
            name=SERVICE,
            address={"address_1": "Novi trg 5", "city": "Novo mesto", "postal_code": "8000"},
            schedules=[{"freq": "WEEKLY", "byday": "TU", "opens_at": "09:00", "closes_at": "13:00"}],
        )
        service.phones.append(Phone(number="07 391 00 00", type="voice"))
        db.session.commit()
        ids = {"org_id": org.id, "service_id": service.id}
    create_user(live_app, Role.PARTNER, "mavrica-partner", full_name="Nina Mavrica")
    with live_app.app_context():
        db.session.scalar(sa.select(User).where(User.username == "mavrica-partner")).partner_organization_id = ids[
            "org_id"
        ]
        db.session.commit()
    create_user(live_app, Role.ORGANIZER, "mavrica-kustos", full_name="Katja Kustos")
    return ids


@pytest.mark.browser
def test_a_partner_proposes_a_phone_number_staff_apply_it_and_the_public_page_shows_it(
    live_app, base_url, browser, partner_service
):
    problems = []
    page = _log_in(browser, base_url, "mavrica-partner")
    page.wait_for_url(base_url + "/partner/")
    page.get_by_role("link", name=t("Our catalog entries")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Our catalog entries"))
    problems += axe_violations(page)

    # The organization is still accurate.
    page.get_by_role("button", name=t("%(entry)s is still accurate", entry="Društvo Mavrica")).click()
    expect(page.locator(".flashes")).to_contain_text("Društvo Mavrica")
    expect(page.locator("main")).to_contain_text("Nina Mavrica (Društvo Mavrica)")
    problems += axe_violations(page)

    # A new phone number for the service; bad hours first, so the errors are checked too.
    page.get_by_role("link", name=t("Propose a change to %(entry)s", entry=SERVICE)).click()
    page.wait_for_url("**/partner/catalog/services/*")  # axe reads the page that has arrived
    problems += axe_violations(page)
    phones = page.get_by_label(t("Phone numbers (one per line)"))
    expect(phones).to_have_value("07 391 00 00")
    phones.fill("07 391 22 22")
    page.get_by_label(t("Opening hours"), exact=True).fill("torek dopoldne")
    page.get_by_role("button", name=t("Send the proposal")).click()
    expect(page.locator(".error-summary")).to_be_visible()
    problems += axe_violations(page)
    page.get_by_label(t("Opening hours"), exact=True).fill("tor 09:00-13:00")
    page.get_by_label(t("A note for the office (optional)")).fill("Nova številka velja od ponedeljka.")
    page.get_by_role("button", name=t("Send the proposal")).click()
    page.wait_for_url(base_url + "/partner/catalog/")
    expect(page.locator("main")).to_contain_text(t("Waiting for the office"))
    problems += axe_violations(page)

    # A curator compares and applies it.
    staff = _log_in(browser, base_url, "mavrica-kustos")
    staff.wait_for_url(base_url + "/cases/")
    staff.goto(base_url + "/staff/catalog/")
    staff.get_by_role("link", name=t("Partners' proposals")).click()
    staff.wait_for_url(base_url + "/staff/catalog/proposals/")
    problems += axe_violations(staff)
    staff.get_by_role("link", name=SERVICE).click()
    table = staff.locator("table", has_text=t("What changes"))
    expect(table).to_contain_text("07 391 00 00")
    expect(table).to_contain_text("07 391 22 22")
    expect(staff.locator("main")).to_contain_text("Nova številka velja od ponedeljka.")
    problems += axe_violations(staff)
    staff.get_by_role("button", name=t("Apply the change")).click()
    expect(staff.locator(".flashes")).to_contain_text(SERVICE)
    problems += axe_violations(staff)

    # The public page shows the new number.
    public = browser.new_context(locale="sl-SI").new_page()
    public.goto(base_url + f"/services/{partner_service['service_id']}")
    expect(public.locator("main")).to_contain_text("07 391 22 22")
    expect(public.locator("main")).not_to_contain_text("07 391 00 00")
    public.context.close()

    # A second proposal, rejected with a reason the partner reads.
    page.get_by_role("link", name=t("Propose a change to %(entry)s", entry=SERVICE)).click()
    page.get_by_label(t("E-mail")).fill("info@mavrica.si")
    page.get_by_role("button", name=t("Send the proposal")).click()
    page.wait_for_url(base_url + "/partner/catalog/")
    staff.goto(base_url + "/staff/catalog/proposals/")
    staff.get_by_role("link", name=SERVICE).click()
    staff.get_by_role("button", name=t("Reject the proposal")).click()  # no reason yet
    expect(staff.locator(".error-summary")).to_be_visible()
    problems += axe_violations(staff)
    staff.get_by_label(t("Why the change is not applied (the partner sees this)")).fill(
        "Ta naslov ne obstaja; pošljite pravega."
    )
    staff.get_by_role("button", name=t("Reject the proposal")).click()
    expect(staff.locator(".flashes")).to_contain_text(t("The proposal was rejected; the partner sees your reason."))
    staff.context.close()
    page.reload()
    expect(page.locator("main")).to_contain_text("Ta naslov ne obstaja; pošljite pravega.")
    expect(page.locator("main")).to_contain_text(t("Not applied"))
    problems += axe_violations(page)
    page.context.close()
    assert not problems, "\n".join(problems)
