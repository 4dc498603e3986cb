"""Erasure of a person (admin only): every row under the person goes, drafts and e-mails
(rows and .eml files) included; other people's data stays; the audit log keeps that it
happened and why, never who was erased; the append-only access log keeps its rows."""

import json
from datetime import date

import pytest
import sqlalchemy as sa

from cases.access_log import CaseAccess
from cases.drafts import Draft
from cases.models import Person
from tests.conftest import CSRF_RE
from tests.gdpr_helpers import outbox_files, rich_case, row_counts
from tests.intake_factories import make_person
from welfare.extensions import db
from welfare.models import AuditEvent, Role

# Everything a person's data lives in; the catalog, users and logs are not theirs.
PERSON_TABLES = {
    "person",
    "case_file",
    "case_challenge",
    "case_timeline_entry",
    "case_consent",
    "case_deadline",
    "case_assignment",
    "plan_goal",
    "plan_step",
    "plan_review",
    "plan_change",
    "referral",
    "referral_event",
    "referral_link",
    "referral_challenge",
    "unmet_need",
    "case_draft",
    "case_document",
    "outgoing_mail",
    "trend_case",  # the trend reports' de-identified rows go with their case
    "trend_case_domain",
    "trend_referral",
}


@pytest.fixture
def people(app, login_as):
    """Janez (stays) first, then Marija (to erase), whose case a lawyer has opened once."""
    with app.app_context():
        rich_case("JANEZ", first_name="Janez", last_name="Novak", opened_on=date(2026, 1, 5), closed_on=None)
        only_janez, janez_files = row_counts(), outbox_files()
        person, case, _ = rich_case(
            "MARIJA", first_name="Marija", last_name="Horvat", opened_on=date(2026, 2, 3), closed_on=None
        )
        # A walk-in form kept after a session expired, naming her as the person on file.
        walk_in = json.dumps({"person_id": [str(person.id)], "challenge_text": ["Zaupno."]})
        db.session.add(Draft(user_id=case.assignees[0].id, form_key="/cases/new", data=walk_in))
        db.session.commit()
        ids = {"person": person.id, "number": case.number, "only_janez": only_janez, "janez_files": janez_files}
    assert login_as(Role.LAWYER).get(f"/cases/{ids['number']}").status_code == 200
    return ids


def _confirm_page(admin, people):
    response = admin.get(f"/admin/erasure?person={people['number']}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/erasure/{people['person']}")
    return admin.get(response.headers["Location"]).get_data(as_text=True)


def _post(admin, people, page, **fields):
    data = {"csrf_token": CSRF_RE.search(page).group(1), **fields}
    return admin.post(f"/admin/erasure/{people['person']}", data=data)


def test_erasure_removes_every_row_and_outbox_file_of_the_person(app, people, login_as):
    admin = login_as(Role.ADMIN)
    page = _confirm_page(admin, people)
    assert people["number"] in page and "Horvat" not in page and "MARIJA" not in page  # counts, never content
    with app.app_context():
        with_marija, files = row_counts(), outbox_files()
        log_rows = db.session.scalar(sa.select(sa.func.count()).select_from(CaseAccess))
    assert all(with_marija[t] > people["only_janez"][t] for t in PERSON_TABLES - {"case_draft", "trend_referral"})
    response = _post(admin, people, page, reason="consent_withdrawn", confirm=people["number"])
    assert response.status_code == 302
    with app.app_context():
        after = row_counts()
        for table in PERSON_TABLES:
            assert after[table] == people["only_janez"][table], table
        for table in set(after) - PERSON_TABLES - {"audit_event", "case_anonymization"}:
            assert after[table] == with_marija[table], table
        assert outbox_files() == people["janez_files"] and len(files) == 2
        assert db.session.get(Person, people["person"]) is None
        # The append-only access log keeps its rows (ids only, no foreign key to the erased rows).
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CaseAccess)) == log_rows
        (event,) = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "case.person_erased"))
        assert (event.actor_name, event.purpose, event.object_id) == (
            "admin-user",
            "consent_withdrawn",
            str(people["person"]),
        )
        row = " ".join(str(value) for value in (event.detail, event.object_type, event.purpose, event.actor_name))
        for name in ("Marija", "Horvat", "MARIJA", people["number"]):
            assert name not in row
        # Janez is whole: his export still shows his texts.
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 1


def test_a_new_person_on_a_freed_id_never_inherits_the_erased_persons_log(app, people, login_as):
    admin = login_as(Role.ADMIN)
    _post(admin, people, _confirm_page(admin, people), reason="unlawful", confirm=str(people["person"]))
    with app.app_context():
        newcomer = make_person("Nina", "Nova")
        db.session.commit()
        newcomer_id = newcomer.id
    data = login_as(Role.LAWYER, "lawyer-2").get(f"/cases/persons/{newcomer_id}/export.json?purpose=for_person").json
    # Only the newcomer's own rows: opening the export (a read of their data) and the export.
    assert [row["action"] for row in data["access_log"]] == ["Viewed", "Exported"]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"reason": "", "confirm": "x"}, "Choose the legal ground of the erasure."),
        ({"reason": "because", "confirm": "x"}, "Choose the legal ground of the erasure."),
        ({"reason": "objection", "confirm": ""}, "Type the person number or one of their case numbers."),
        (
            {"reason": "objection", "confirm": "2026-9999"},
            "Type the person's number or one of their case numbers exactly.",
        ),
    ],
)
def test_no_erasure_without_a_lawful_reason_and_the_typed_confirmation(app, people, login_as, fields, message):
    admin = login_as(Role.ADMIN)
    page = _confirm_page(admin, people)
    with app.app_context():
        before = row_counts()
    response = _post(admin, people, page, **fields)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message.replace("'", "&#39;") in html
    assert f'value="{fields["confirm"]}"' in html or not fields["confirm"]  # what was typed stays
    with app.app_context():
        assert row_counts() == before


def test_only_administrators_erase(app, people, login_as):
    for role in (Role.LAWYER, Role.SOCIAL_WORKER, Role.ORGANIZER, Role.SUPERVISOR):
        client = login_as(role, f"{role.value}-x")
        assert client.get("/admin/erasure").status_code == 403
        assert client.get(f"/admin/erasure/{people['person']}").status_code == 403
        assert client.post(f"/admin/erasure/{people['person']}", data={"reason": "unlawful"}).status_code in (400, 403)
    with app.app_context():
        assert db.session.get(Person, people["person"]) is not None


def test_an_unknown_number_is_a_form_error(app, login_as):
    admin = login_as(Role.ADMIN)
    for value in ("2026-0999", "77", "", "x" * 40, "²", "-1", "0", "9" * 12):
        response = admin.get("/admin/erasure", query_string={"person": value})
        assert response.status_code == 200
    assert "No person or case with this number." in admin.get("/admin/erasure?person=77").get_data(as_text=True)
    assert admin.get("/admin/erasure/77").status_code == 404
