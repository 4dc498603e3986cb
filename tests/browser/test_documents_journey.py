"""Documents and drafts in a real browser, in Slovenian (issue 22, parts 4 and 5).

1. The social worker adds a phone photo of a decision to a case (the file input is filled as a
   phone's camera would) and downloads it again: the same bytes.
2. A note is typed and saved as a draft as it is typed; another tab of the same browser logs
   out; the note is sent: refused, but after logging in again the form offers the draft back,
   and it can be restored; a discarded draft is gone.
"""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser_helpers import t
from tests.conftest import PASSWORD, create_user
from tests.document_helpers import JPEG
from welfare.extensions import db

NOTE = "Gospa Kos je prinesla odločbo CSD; pritožbeni rok teče do petka."


@pytest.fixture(scope="module")
def case_number(live_app, demo_catalog):
    from cases.models import Case, LegalBasis, Person
    from cases.names import name_key
    from cases.services import next_case_number

    with live_app.app_context():
        create_user(live_app, "social_worker", "dokumenti.maja")
        person = Person(first_name="Vida", last_name="Kos", name_key=name_key("Vida", "Kos"), birth_year=1962)
        case = Case(
            number=next_case_number(2026), person=person, legal_basis=LegalBasis.SOCIAL_CARE, opened_on=date(2026, 2, 1)
        )
        db.session.add(case)
        db.session.commit()
        return case.number


def log_in(page, base_url):
    page.get_by_label("Uporabniško ime").fill("dokumenti.maja")
    page.get_by_label("Geslo").fill(PASSWORD)
    page.get_by_role("button", name="Prijava").click()


def test_a_photo_goes_up_to_the_case_and_comes_back_the_same(page, base_url, case_number, tmp_path):
    page.goto(base_url + "/login")
    log_in(page, base_url)
    page.goto(f"{base_url}/cases/{case_number}")
    page.get_by_role("link", name=t("Add a document")).click()
    page.get_by_label(t("Title")).fill("Odločba CSD")
    page.get_by_label(t("File")).set_input_files(
        files=[{"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": JPEG}]
    )
    page.get_by_role("button", name=t("Save the document")).click()
    expect(page.get_by_text(t("Document saved."))).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="Odločba CSD", exact=True).click()
    download = info.value
    assert download.suggested_filename.startswith(case_number) and download.suggested_filename.endswith(".jpg")
    saved = tmp_path / "back.jpg"
    download.save_as(saved)
    assert saved.read_bytes() == JPEG


def test_a_note_survives_a_logout_in_another_tab(browser, base_url, case_number):
    context = browser.new_context(locale="sl-SI")
    page = context.new_page()
    try:
        page.goto(base_url + "/login")
        log_in(page, base_url)
        url = f"{base_url}/cases/{case_number}/timeline/new"
        page.goto(url)
        page.get_by_label(t("Text")).fill(NOTE)
        # The draft is saved as it is typed (at the latest a few seconds later).
        expect(page.locator("#autosave-status")).to_contain_text("Osnutek shranjen ob", timeout=10_000)
        other = context.new_page()  # a second tab of the same browser logs out
        other.goto(base_url + "/cases/")
        other.get_by_role("button", name=t("Log out")).click()
        other.close()
        page.get_by_role("button", name=t("Save")).click()
        expect(page.get_by_role("heading", name=t("Your session ended"))).to_be_visible()
        page.get_by_role("link", name=t("Log in and open the form again")).click()
        log_in(page, base_url)
        page.wait_for_url(url)
        expect(page.get_by_text("Imate neshranjen osnutek tega obrazca z dne")).to_be_visible()
        assert page.get_by_label(t("Text")).input_value() == ""
        page.get_by_role("link", name=t("Restore the draft")).click()
        expect(page.get_by_label(t("Text"))).to_have_value(NOTE)
        # Discarding instead: the offer and the text are gone.
        page.goto(url)
        page.get_by_role("button", name=t("Discard the draft")).click()
        expect(page.get_by_text(t("The draft was discarded."))).to_be_visible()
        expect(page.get_by_text("Imate neshranjen osnutek")).to_have_count(0)
        assert page.get_by_label(t("Text")).input_value() == ""
    finally:
        context.close()
