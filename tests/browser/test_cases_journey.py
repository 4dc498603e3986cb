"""Key journeys of the case module, in Slovenian, in a real browser.

1. The social worker opens a walk-in, is warned of a likely duplicate person, records two
   challenges, builds a plan with a goal and a step due next week, prints the plan, and sees
   the step on Moje delo.
2. A supervisor is refused a case URL.

Labels are looked up in the Slovenian catalog the app itself uses, so the test reads the
page as a Slovenian user does without repeating every translation here.
"""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser_helpers import t
from tests.conftest import create_user
from welfare.clock import today
from welfare.extensions import db
from welfare.models import Role


@pytest.fixture(scope="module")
def existing_person(live_app, demo_catalog):
    """Šime Žagar, born 1980, already on file with a case."""
    from cases.models import Case, LegalBasis, Person
    from cases.names import name_key
    from cases.services import next_case_number

    with live_app.app_context():
        person = Person(first_name="Šime", last_name="Žagar", name_key=name_key("Šime", "Žagar"), birth_year=1980)
        db.session.add(person)
        db.session.add(
            Case(
                number=next_case_number(2025),
                person=person,
                legal_basis=LegalBasis.SOCIAL_CARE,
                opened_on=date(2025, 3, 1),
            )
        )
        db.session.commit()
        return person.id


def log_in(page, base_url, username):
    from tests.conftest import PASSWORD

    page.goto(base_url + "/login")
    page.get_by_label("Uporabniško ime").fill(username)
    page.get_by_label("Geslo").fill(PASSWORD)
    page.get_by_role("button", name="Prijava").click()
    page.wait_for_url(base_url + "/cases/")


@pytest.mark.browser
def test_social_worker_walk_in_to_plan_on_moje_delo(live_app, base_url, page, existing_person):
    create_user(live_app, Role.SOCIAL_WORKER, "journey-social")
    log_in(page, base_url, "journey-social")
    assert page.get_by_role("heading", level=1).inner_text() == "Moje delo"

    # A walk-in: the name is typed without č/š/ž, as on a hurried keyboard.
    page.get_by_role("link", name=t("New case")).first.click()
    page.get_by_label(t("First name"), exact=True).fill("Sime")
    page.get_by_label(t("Last name")).fill("Zagar")
    page.get_by_label(t("Year of birth (if the date is not known)")).fill("1980")
    page.get_by_label(t("Legal basis for processing")).select_option("social_care")
    domains = page.get_by_label(t("Life domain"))
    domains.nth(0).select_option(label="Dolgovi in plačila")
    page.get_by_label(t("Description")).nth(0).fill("Neplačane položnice za elektriko, grozi izklop.")
    page.get_by_label(t("Urgency")).nth(0).select_option("high")
    domains.nth(1).select_option(label="Stanovanje in bivalne razmere")
    page.get_by_label(t("Description")).nth(1).fill("Najemodajalec je odpovedal najem.")
    page.get_by_role("button", name=t("Open the case")).click()

    # The likely duplicate is shown with a link before a second person is created.
    warning = page.get_by_role("alert")
    assert t("Is this someone already on file?") in warning.inner_text()
    assert "Šime Žagar" in warning.inner_text()
    page.get_by_role("button", name=t("Open the case for this person")).click()

    # expect() waits for the page a click opens (reading straight after a click can catch the
    # old page).
    expect(page.locator("main")).to_contain_text("Stanovanje in bivalne razmere")
    heading = page.get_by_role("heading", level=1).inner_text()
    number = heading.split()[-1]
    assert number.startswith(str(today().year)), heading
    main = page.inner_text("main")
    assert "Šime Žagar" in main and "Dolgovi in plačila" in main and "Stanovanje in bivalne razmere" in main

    # The individual plan: one goal, one step due next week.
    page.get_by_role("link", name=t("Open the plan")).click()
    page.get_by_role("link", name=t("Add a goal")).click()
    page.get_by_label(t("Goal agreed with the person")).fill("Elektrika ostane priključena")
    page.get_by_role("button", name=t("Save")).click()
    page.get_by_role("link", name=t("Add a step")).first.click()
    due = today() + timedelta(days=7)
    page.get_by_label(t("What is to be done")).fill("Dogovor o obročnem odplačilu z dobaviteljem")
    page.get_by_label(t("By when")).fill(due.isoformat())
    page.get_by_role("button", name=t("Save")).click()
    expect(page.locator("main")).to_contain_text("Dogovor o obročnem odplačilu z dobaviteljem")

    # The printable plan for the person: plain text, office contacts, a purpose recorded.
    page.get_by_role("link", name=t("Print the plan for the person")).click()
    page.get_by_label(t("Why is the plan printed?")).select_option("for_person")
    page.locator("main form button[type=submit]").first.click()
    expect(page.get_by_label(t("Why is the plan printed?"))).to_have_count(0)  # the printout is open
    printed = page.inner_text("main")
    assert "Elektrika ostane priključena" in printed
    assert "Dogovor o obročnem odplačilu z dobaviteljem" in printed
    assert "07 39 39 244" in page.content()
    assert "Najemodajalec je odpovedal najem." not in printed  # challenge descriptions stay internal

    # Moje delo shows the step, with the case number.
    page.goto(base_url + "/cases/")
    steps = page.locator("#steps-heading").locator("xpath=..").inner_text()
    assert "Dogovor o obročnem odplačilu z dobaviteljem" in steps and number in steps

    with live_app.app_context():
        from sqlalchemy import select

        from cases.access_log import CaseAccess

        actions = set(db.session.scalars(select(CaseAccess.action).where(CaseAccess.username == "journey-social")))
        assert {"create", "view", "print"} <= {a.value for a in actions}


@pytest.mark.browser
def test_supervisor_is_refused_a_case_url(live_app, base_url, page, existing_person):
    create_user(live_app, Role.SUPERVISOR, "journey-supervisor")
    page.goto(base_url + "/login")
    page.get_by_label("Uporabniško ime").fill("journey-supervisor")
    from tests.conftest import PASSWORD

    page.get_by_label("Geslo").fill(PASSWORD)
    page.get_by_role("button", name="Prijava").click()
    page.wait_for_url(base_url + "/trends/")
    response = page.goto(base_url + "/cases/2025-0001")
    assert response.status == 403
    assert "Šime" not in page.content() and "Žagar" not in page.content()
    response = page.goto(base_url + "/cases/")
    assert response.status == 403
