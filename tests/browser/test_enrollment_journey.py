"""Issue 21: an administrator makes an account without a password and a second administrator
confirms its case-team role; the new colleague follows the e-mailed link, chooses a password, sets up the second factor (the code computed from the key
shown on the page, as a phone would), keeps the recovery codes, logs in with password and code
and reaches Moje delo. The pages on the way pass axe."""

import email
import email.policy
import re
import time
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import expect

from tests.browser_helpers import axe_violations
from tests.conftest import PASSWORD, create_user
from welfare.database import utcnow
from welfare.extensions import db
from welfare.models import Role

NEW_PASSWORD = "zelena jablana pod goro"


def _log_in(page, base_url, username, password):
    page.goto(base_url + "/login")
    page.get_by_label("Uporabniško ime").fill(username)
    page.get_by_label("Geslo", exact=True).fill(password)
    page.get_by_role("button", name="Prijava").click()


def _link_from_outbox(app, to_addr: str) -> str:
    """The enrollment link, read from the outbox as the colleague's mailbox would show it (the
    live app delivers right after the commit, on a thread: wait for it)."""
    outbox = Path(app.config["DATA_DIR"]) / "outbox"
    for _ in range(50):
        for path in sorted(outbox.glob("*.eml")) if outbox.exists() else []:
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if message["To"] == to_addr:
                return re.search(r"(/account/enroll/\S+)", message.get_content()).group(1)
        time.sleep(0.1)
    raise AssertionError(f"no mail to {to_addr} in {outbox}")


def _administrator_with_second_factor(app, username: str) -> str:
    """An administrator who set up the app earlier; return the key their phone holds."""
    create_user(app, Role.ADMIN, username)
    with app.app_context():
        from welfare.auth import services

        user = services.get_user_by_username(username)
        secret = pyotp.random_base32()
        user.totp_secret, user.totp_confirmed_at = secret, utcnow()
        db.session.commit()
    return secret


def _log_in_with_code(page, base_url, username, secret) -> list[str]:
    _log_in(page, base_url, username, PASSWORD)
    page.wait_for_url(base_url + "/login/code")
    page.get_by_label("Koda").fill(pyotp.TOTP(secret).now())
    problems = axe_violations(page)
    page.get_by_role("button", name="Nadaljuj").click()
    page.wait_for_url(base_url + "/admin/users")
    return problems


@pytest.fixture
def second_factor_required(live_app):
    live_app.config["TOTP_REQUIRED"] = True  # production's default, for this journey only
    yield
    live_app.config["TOTP_REQUIRED"] = False


@pytest.mark.browser
def test_new_colleague_enrolls_with_password_and_second_factor(live_app, base_url, browser, second_factor_required):
    # Two administrators, whatever other journeys on this server made: a case-team role then
    # waits for the second one (with one, it would be announced to the team instead).
    secrets = {name: _administrator_with_second_factor(live_app, name) for name in ("journey-admin", "journey-admin2")}
    problems = []
    admin = browser.new_context(locale="sl-SI").new_page()
    problems += _log_in_with_code(admin, base_url, "journey-admin", secrets["journey-admin"])
    admin.get_by_role("link", name="Nov uporabnik").click()
    admin.wait_for_url(base_url + "/admin/users/new")  # axe reads a loaded page, not one on its way
    problems += axe_violations(admin)
    admin.get_by_label("Uporabniško ime").fill("nina.nova")
    admin.get_by_label("Ime in priimek").fill("Nina Nova")
    admin.get_by_label("E-naslov").fill("nina.nova@novomesto.si")
    admin.get_by_label("Vloga").select_option("organizer")
    assert admin.get_by_label("Geslo").count() == 0  # the administrator never sets a password
    admin.get_by_role("button", name="Shrani").click()
    admin.wait_for_url(base_url + "/admin/users")
    admin.context.close()

    second = browser.new_context(locale="sl-SI").new_page()
    _log_in_with_code(second, base_url, "journey-admin2", secrets["journey-admin2"])
    waiting = second.get_by_role("listitem").filter(has_text="nina.nova")
    waiting.get_by_role("button", name="Potrdi").click()
    expect(second.get_by_role("row").filter(has_text="nina.nova")).not_to_contain_text("čaka")
    second.context.close()

    link = _link_from_outbox(live_app, "nina.nova@novomesto.si")

    context = browser.new_context(locale="sl-SI")
    page = context.new_page()
    page.goto(base_url + link)
    problems += axe_violations(page)
    page.get_by_label("Novo geslo").fill(NEW_PASSWORD)
    page.get_by_label("Ponovite geslo").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Nastavi geslo").click()
    page.wait_for_url(base_url + "/account/second-factor")
    problems += axe_violations(page)
    assert page.locator("figure svg").count() == 1
    key = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Koda iz aplikacije").fill(pyotp.TOTP(key).now())
    page.get_by_role("button", name="Potrdi").click()
    expect(page.locator(".recovery-codes code")).to_have_count(10)  # the answer has arrived
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    problems += axe_violations(page)
    page.get_by_role("link", name="Shranil(a) sem jih, nadaljuj").click()
    page.wait_for_url(base_url + "/cases/")
    page.get_by_role("button", name="Odjava").click()
    context.close()

    # Later: password, then the app's code (the next step's, as the code just used is spent).
    page = browser.new_context(locale="sl-SI").new_page()
    _log_in(page, base_url, "nina.nova", NEW_PASSWORD)
    page.wait_for_url(base_url + "/login/code")
    page.get_by_label("Koda").fill(pyotp.TOTP(key).at(time.time() + 30))
    page.get_by_role("button", name="Nadaljuj").click()
    page.wait_for_url(base_url + "/cases/")
    assert page.get_by_role("heading", level=1).inner_text() == "Moje delo"
    assert "Nina Nova" in page.inner_text("header")
    page.context.close()
    assert not problems, "\n".join(problems)
