"""Issue 25 in a real browser, in Slovenian: the administrator invites a partner at an
organization; the partner follows the e-mailed link (read from the delivered .eml), chooses a
password, sets up the second factor with the key shown (pyotp, as a phone would), sees the
referral the office sent that morning, accepts it with an appointment and says the service has
a waiting list of about six weeks; a social worker then sees the appointment on Moje delo and on
the slip, and the waiting list on the catalog search inside a case. (The partner's catalog
proposal, applied by staff and shown publicly: test_partner_catalog_journey.py.) Every partner page on the way passes axe (WCAG 2.2 A/AA)."""

import email
import email.policy
import re
import time
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from cases.models import Case
from tests.browser_helpers import SL, axe_violations, t
from tests.conftest import PASSWORD, create_user, login
from tests.ref_helpers import create_referral, referral_setup, send_referral
from welfare import clock
from welfare.database import utcnow
from welfare.extensions import db
from welfare.models import Role, User

NEW_PASSWORD = "modra reka pod mostom"
NUMBER = "2026-0301"


def _log_in(page, base_url, username, password):
    page.goto(base_url + "/login")
    page.get_by_label("Uporabniško ime").fill(username)
    page.get_by_label("Geslo", exact=True).fill(password)
    page.get_by_role("button", name="Prijava").click()


def _enrollment_link(app, to_addr: str) -> str:
    """The enrollment link from the delivered .eml (delivery runs on a thread after the commit)."""
    outbox = Path(app.config["DATA_DIR"]) / "outbox"
    for _ in range(100):
        for path in sorted(outbox.glob("*.eml")) if outbox.exists() else []:
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if message["To"] == to_addr:
                return re.search(r"(/account/enroll/\S+)", message.get_content()).group(1)
        time.sleep(0.1)
    raise AssertionError(f"no mail to {to_addr} in {outbox}")


@pytest.fixture
def sent_this_morning(live_app):
    """The office sent a referral to the organization's service this morning (TOTP off for it)."""
    setup = referral_setup(live_app, number=NUMBER)
    worker_id = create_user(live_app, Role.SOCIAL_WORKER, "journey-sw")
    with live_app.app_context():  # the social worker's own case: its appointments are on Moje delo
        case = db.session.scalar(sa.select(Case).where(Case.number == NUMBER))
        case.assignees.append(db.session.get(User, worker_id))
        db.session.commit()
    office = live_app.test_client()
    assert login(office, "journey-sw").status_code == 302
    referral_id = create_referral(office, setup, note="Prosimo za pogovor o dolgovih.")
    assert send_referral(office, setup, referral_id).status_code == 302
    return {**setup, "referral_id": referral_id}


@pytest.mark.browser
def test_a_partner_is_invited_answers_in_the_inbox_and_reports_a_waiting_list(
    live_app, base_url, browser, sent_this_morning
):
    create_user(live_app, Role.ADMIN, "partner-journey-admin")
    with live_app.app_context():  # the admin set up a second factor earlier
        admin_user = db.session.scalar(sa.select(User).where(User.username == "partner-journey-admin"))
        admin_secret = pyotp.random_base32()
        admin_user.totp_secret, admin_user.totp_confirmed_at = admin_secret, utcnow()
        db.session.commit()
    live_app.config["TOTP_REQUIRED"] = True  # production's default, for the invitation and enrollment
    problems = []
    try:
        admin = browser.new_context(locale="sl-SI").new_page()
        _log_in(admin, base_url, "partner-journey-admin", PASSWORD)
        admin.get_by_label("Koda").fill(pyotp.TOTP(admin_secret).now())
        admin.get_by_role("button", name="Nadaljuj").click()
        admin.wait_for_url(base_url + "/admin/users")
        admin.get_by_role("link", name=t("Partners"), exact=True).click()
        admin.wait_for_url(base_url + "/admin/partners/")  # axe reads the page that has arrived
        problems += axe_violations(admin)
        admin.get_by_role("link", name=t("Invite a partner")).click()
        admin.wait_for_url(base_url + "/admin/partners/new")
        problems += axe_violations(admin)
        admin.get_by_label(t("Organization")).select_option(sent_this_morning["org_id"])
        admin.get_by_label("Uporabniško ime").fill("petra.drustvo")
        admin.get_by_label("Ime in priimek").fill("Petra Društvo")
        admin.get_by_label("E-naslov").fill("petra@drustvo.si")
        admin.get_by_role("button", name=t("Send the invitation")).click()
        admin.wait_for_url(base_url + "/admin/partners/")
        expect(admin.locator("main")).to_contain_text("petra.drustvo")
        admin.context.close()

        link = _enrollment_link(live_app, "petra@drustvo.si")
        page = browser.new_context(locale="sl-SI").new_page()
        page.goto(base_url + link)
        page.get_by_label("Novo geslo").fill(NEW_PASSWORD)
        page.get_by_label("Ponovite geslo").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Nastavi geslo").click()
        page.wait_for_url(base_url + "/account/second-factor")
        key = page.locator("#totp-secret").inner_text().replace(" ", "")
        page.get_by_label("Koda iz aplikacije").fill(pyotp.TOTP(key).now())
        page.get_by_role("button", name="Potrdi").click()
        assert len(page.locator(".recovery-codes code").all_inner_texts()) == 10
        page.get_by_role("link", name="Shranil(a) sem jih, nadaljuj").click()
        page.wait_for_url(base_url + "/partner/")
    finally:
        live_app.config["TOTP_REQUIRED"] = False

    # The inbox: the referral sent this morning, as the link page would show it.
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Referrals for us"))
    problems += axe_violations(page)
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("Dolžniško svetovanje")
    expect(row).to_contain_text("M. H.")
    row.get_by_role("link").click()
    expect(page.locator("main")).to_contain_text("Prosimo za pogovor o dolgovih.")
    problems += axe_violations(page)
    when = (clock.office_now() + timedelta(days=2)).replace(hour=10, minute=0)
    page.get_by_label(t("We accept the referral")).check()
    page.get_by_label(t("First appointment (optional)")).fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(t("About the appointment (optional)")).fill("Vhod B, vprašajte za Petro.")
    page.get_by_role("button", name=t("Send the answer")).click()
    expect(page.locator(".flashes")).to_contain_text(t("Accepted"))
    problems += axe_violations(page)

    # Capacity: a waiting list of about six weeks.
    page.get_by_role("link", name=t("Referrals for us")).first.click()
    page.get_by_role("link", name=t("Our services and capacity")).click()
    page.wait_for_url(base_url + "/partner/services")
    problems += axe_violations(page)
    page.get_by_role("link", name=re.compile("Dolžniško svetovanje")).click()
    page.wait_for_url("**/capacity")
    problems += axe_violations(page)
    page.get_by_label(t("Waiting list"), exact=True).check()
    page.get_by_label(t("Waiting list: about how many weeks?")).fill("6")
    page.get_by_role("button", name=t("Save")).click()
    page.wait_for_url(base_url + "/partner/services")
    six_weeks = SL.ngettext("Waiting list, about %(num)d week", "Waiting list, about %(num)d weeks", 6) % {"num": 6}
    expect(page.locator("main")).to_contain_text(six_weeks)
    page.context.close()

    # The social worker sees it on the catalog search inside the case.
    worker = browser.new_context(locale="sl-SI").new_page()
    _log_in(worker, base_url, "journey-sw", PASSWORD)
    worker.wait_for_url(base_url + "/cases/")
    # Moje delo lists the appointment the organization proposed.
    appointments = worker.locator("section", has=worker.get_by_role("heading", name=t("Appointments at organizations")))
    expect(appointments).to_contain_text(f"{NUMBER}: Dolžniško svetovanje")
    worker.goto(base_url + f"/cases/{NUMBER}/referrals/new")
    worker.get_by_label(t("What does the person need?")).fill("dolžniško svetovanje")
    worker.get_by_role("button", name=t("Search"), exact=True).click()
    card = worker.locator(".result-list li.panel", has_text="Dolžniško svetovanje").first
    expect(card).to_contain_text(six_weeks)
    # And the referral, accepted by the partner with the appointment.
    worker.goto(base_url + f"/cases/{NUMBER}/referrals/{sent_this_morning['referral_id']}")
    expect(worker.locator("main")).to_contain_text("Petra Društvo")
    # The slip the person takes home carries the appointment and the organization's note.
    worker.goto(base_url + f"/cases/{NUMBER}/referrals/{sent_this_morning['referral_id']}/slip")
    expect(worker.locator("main")).to_contain_text(t("Your appointment"))
    expect(worker.locator(".slip-appointment")).to_contain_text(str(when.year))
    expect(worker.locator("main")).to_contain_text("Vhod B, vprašajte za Petro.")
    worker.context.close()
    assert not problems, "\n".join(problems)
