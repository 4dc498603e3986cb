"""Key journey: each role logs in through the real form and lands on its home page."""

import pytest

from tests.conftest import PASSWORD, create_user
from welfare.models import Role

ROLE_LABELS_SL = {
    Role.ORGANIZER: "Organizator in informator",
    Role.LAWYER: "Pravnik",
    Role.SOCIAL_WORKER: "Socialni delavec",
    Role.SUPERVISOR: "Supervizor",
    Role.ADMIN: "Skrbnik",
    Role.PARTNER: "Partnerska organizacija",
}
HOMES = {
    Role.ORGANIZER: ("/cases/", "Moje delo"),
    Role.LAWYER: ("/cases/", "Moje delo"),
    Role.SOCIAL_WORKER: ("/cases/", "Moje delo"),
    Role.SUPERVISOR: ("/trends/", "Poročila o trendih"),
    Role.ADMIN: ("/admin/users", "Uporabniki"),
    Role.PARTNER: ("/partner/", "Napotitve k nam"),
}


@pytest.mark.browser
@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_role_logs_in_and_sees_home(live_app, base_url, page, role):
    username = f"browser-{role.value}"
    user_id = create_user(live_app, role, username)
    if role == Role.PARTNER:  # a partner belongs to an organization of the catalog
        from tests.factories import make_org
        from welfare.extensions import db
        from welfare.models import User

        with live_app.app_context():
            db.session.get(User, user_id).partner_organization_id = make_org("Društvo Prijava").id
            db.session.commit()
    path, heading = HOMES[role]

    page.goto(base_url + "/")
    page.get_by_role("link", name="Prijava za zaposlene").click()
    page.get_by_label("Uporabniško ime").fill(username)
    page.get_by_label("Geslo").fill(PASSWORD)
    page.get_by_role("button", name="Prijava").click()

    page.wait_for_url(base_url + path)
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert f"({ROLE_LABELS_SL[role]})" in page.inner_text("header")
    page.get_by_role("button", name="Odjava").click()
    page.wait_for_url(base_url + "/login")
    assert "Odjavljeni ste." in page.inner_text("main")


@pytest.mark.browser
def test_wrong_password_shows_translated_error_and_keeps_username(live_app, base_url, page):
    create_user(live_app, Role.LAWYER, "browser-wrong")
    page.goto(base_url + "/login")
    page.get_by_label("Uporabniško ime").fill("browser-wrong")
    page.get_by_label("Geslo").fill("not the password")
    page.get_by_role("button", name="Prijava").click()
    assert "Napačno uporabniško ime ali geslo." in page.inner_text("main")
    assert page.get_by_label("Uporabniško ime").input_value() == "browser-wrong"


@pytest.mark.browser
def test_skip_link_and_language_switch(live_app, base_url, page):
    page.goto(base_url + "/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skoči na vsebino"
    page.get_by_role("button", name="English").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Staff login"
    page.get_by_role("button", name="Slovenščina").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Prijava za zaposlene"
