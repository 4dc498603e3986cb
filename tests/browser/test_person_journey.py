"""The social worker corrects a person's phone (GDPR Art. 16) and merges a duplicate record of
the same person, in Slovenian, in a real browser (issue 21)."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.test_cases_journey import log_in, t
from tests.conftest import create_user
from welfare.extensions import db
from welfare.models import Role


@pytest.fixture(scope="module")
def two_records(live_app, demo_catalog):
    """Vesna Kastelic, 1977, on file twice: once plainly, once with a double surname and the
    year one off; each record has a case."""
    from cases.models import Case, LegalBasis
    from cases.services import next_case_number
    from tests.intake_factories import make_person

    with live_app.app_context():
        kept = make_person("Vesna", "Kastelic", 1977, phone="041 100 200")
        duplicate = make_person("Vesna", "Kastelic-Zupan", 1978, email="vesna@example.si")
        numbers = []
        for person in (kept, duplicate):
            case = Case(
                number=next_case_number(2025),
                person=person,
                legal_basis=LegalBasis.SOCIAL_CARE,
                opened_on=date(2025, 4, 1),
            )
            db.session.add(case)
            numbers.append(case.number)
        db.session.commit()
        return {"kept": kept.id, "duplicate": duplicate.id, "numbers": numbers}


@pytest.mark.browser
def test_social_worker_corrects_a_phone_and_merges_a_duplicate(live_app, base_url, page, two_records):
    create_user(live_app, Role.SOCIAL_WORKER, "journey-persons")
    log_in(page, base_url, "journey-persons")

    # Person search finds both records.
    page.goto(base_url + "/cases/persons")
    page.get_by_label(t("Name, year of birth or case number")).fill("Vesna Kastelic")
    page.get_by_role("button", name=t("Search")).click()
    results = page.locator("main")
    expect(results).to_contain_text("Kastelic Vesna")
    expect(results).to_contain_text("Kastelic-Zupan Vesna")

    # Correct the phone on the edit page.
    page.get_by_role("link", name="Kastelic Vesna", exact=True).click()
    page.get_by_role("link", name=t("Correct the person's data")).click()
    page.get_by_label(t("Phone (optional)")).fill("031 555 666")
    page.get_by_role("button", name=t("Save")).click()
    expect(page.locator("main")).to_contain_text(t("The person's record was corrected."))
    expect(page.locator("main")).to_contain_text("031 555 666")

    # The history keeps the old number, who changed it and when.
    page.get_by_role("link", name=t("History of changes")).click()
    history = page.locator("main")
    expect(history).to_contain_text("041 100 200")
    expect(history).to_contain_text("031 555 666")

    # Merge the duplicate: suggested (year one off, double surname), compared, merged.
    page.goto(base_url + f"/cases/persons/{two_records['kept']}")
    page.get_by_role("link", name=t("Merge a duplicate")).click()
    page.get_by_role("link", name=t("Compare and merge %(name)s") % {"name": "Vesna Kastelic-Zupan"}).click()
    page.get_by_role("button", name=t("Merge into %(name)s") % {"name": "Vesna Kastelic"}).click()
    main = page.locator("main")
    expect(main).to_contain_text(two_records["numbers"][1])
    for number in two_records["numbers"]:
        expect(main).to_contain_text(number)
    expect(main).to_contain_text("vesna@example.si")  # what the kept record lacked came from the duplicate

    # The duplicate's page now points to the kept person.
    page.goto(base_url + f"/cases/persons/{two_records['duplicate']}")
    expect(page.locator("main")).to_contain_text(
        t("This record was merged into another person as a duplicate; the cases are there.")
    )
