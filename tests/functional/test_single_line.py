"""CR/LF in a single-line field (issue 21): refused by the form with a clear error, nothing
typed lost; and a name that still holds one (an import, a row from before) never breaks a
referral e-mail."""

import sqlalchemy as sa

from catalog.models import Service
from tests.conftest import csrf_token
from tests.functional.test_catalog_curation import org_id, service_form  # noqa: F401 (fixture)
from tests.mail_helpers import deliver_now
from tests.ref_helpers import create_referral, referral_setup, send_referral
from welfare.extensions import db
from welfare.mail import MailState, OutgoingMail
from welfare.models import Role


def test_a_service_name_with_a_line_break_is_refused_and_nothing_is_stored(app, login_as, org_id):  # noqa: F811
    staff = login_as(Role.ORGANIZER)
    token = csrf_token(staff, "/staff/catalog/services/new")
    data = service_form(org_id, name="Pomoč pri položnicah\r\nBcc: someone@example.com")
    response = staff.post("/staff/catalog/services/new", data={"csrf_token": token, **data})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter this on one line, without line breaks." in html
    assert "Pomagamo pri plačilu zaostalih položnic." in html  # what was typed is still there
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Service)) == 0


def test_a_person_name_with_a_line_break_is_refused(app, login_as):
    worker = login_as(Role.SOCIAL_WORKER)
    token = csrf_token(worker, "/cases/new")
    response = worker.post("/cases/new", data={"csrf_token": token, "first_name": "Marjeta\nX", "last_name": "Žagar"})
    assert response.status_code == 200
    assert "Enter this on one line, without line breaks." in response.get_data(as_text=True)


def test_a_stored_name_with_a_line_break_still_makes_a_deliverable_referral_mail(app, login_as):
    setup = referral_setup(app)
    with app.app_context():
        db.session.get(Service, setup["service_id"]).name = "Dolžniško\r\nsvetovanje"
        db.session.commit()
    worker = login_as(Role.SOCIAL_WORKER)
    referral_id = create_referral(worker, setup)
    assert send_referral(worker, setup, referral_id).status_code == 302
    assert deliver_now(app).sent == 1
    with app.app_context():
        mail = db.session.scalar(sa.select(OutgoingMail))
        assert mail.state == MailState.SENT.value
        assert "\n" not in mail.subject and "\r" not in mail.subject
        assert "Dolžniško svetovanje" in mail.subject


def test_an_address_with_a_line_break_fails_at_once_and_never_raises(app):
    from welfare.mail import queue

    with app.app_context():
        queue("info@drustvo.si\r\nBcc: x@example.com", "Napotitev", "Besedilo")
        db.session.commit()
    result = deliver_now(app)
    assert (result.sent, result.failed) == (0, 1)
    with app.app_context():
        mail = db.session.scalar(sa.select(OutgoingMail))
        assert mail.state == MailState.FAILED.value and mail.last_error == "the address has a line break"
