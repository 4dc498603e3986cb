"""The data-subject export (GDPR Art. 15): the person's own data, other people's left out, staff
by role only, and every export in the access log with its purpose."""

import json
from datetime import date

import sqlalchemy as sa

from cases.access_log import AccessAction, CaseAccess
from tests.gdpr_helpers import rich_case
from welfare.extensions import db
from welfare.models import Role


def _two_people(app):
    with app.app_context():
        person, case, _ref = rich_case(
            "MARIJA", first_name="Marija", last_name="Horvat", opened_on=date(2026, 2, 3), closed_on=None
        )
        other, other_case, _ref = rich_case(
            "JANEZ", first_name="Janez", last_name="Novak", opened_on=date(2026, 3, 4), closed_on=None
        )
        return person.id, case.number, other.id, other_case.number


def test_the_json_export_holds_the_persons_data_and_no_one_elses(app, login_as):
    person_id, number, _other_id, other_number = _two_people(app)
    client = login_as(Role.LAWYER, "pravnica.petra")
    assert client.get(f"/cases/{number}").status_code == 200  # a read the extract must show
    response = client.get(f"/cases/persons/{person_id}/export.json?purpose=for_person")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert f"export-person-{person_id}-" in response.headers["Content-Disposition"]
    assert "Horvat" not in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert set(data) == {
        "generated_at",
        "time_zone",
        "controller",
        "retention_years",
        "person",
        "cases",
        "corrections",
        "access_log",
    }
    assert data["person"]["first_name"] == "Marija" and data["person"]["birth_date"] == "1979-05-04"
    assert data["retention_years"] == 10
    (case,) = data["cases"]
    assert case["number"] == number
    assert "ZSV" in case["legal_basis"]
    assert case["retention"] == {"years": 10, "anonymized_on": None}
    assert case["challenges"][0]["description"] == "Opis MARIJA."
    assert case["timeline"][0]["text"] == "Zapis MARIJA."
    assert case["plan"]["goals"][0]["steps"][0]["title"] == "Korak MARIJA"
    assert case["plan"]["reviews"][0]["note"] == "Pregled MARIJA."
    assert case["referrals"][0]["organization"] == "Društvo MARIJA"
    assert case["referrals"][0]["history"][0]["note"] == "Dogodek MARIJA."
    assert case["consents"][0]["shared_with"] == "Društvo MARIJA"
    assert case["unmet_needs"][0]["note"] == "Potreba MARIJA."
    text = json.dumps(data, ensure_ascii=False)
    # Another person's records never appear, nor staff names or usernames: roles only.
    for absent in ("Janez", "Novak", "JANEZ", other_number, "Ana Kovač", "ana.kovac", "pravnica.petra"):
        assert absent not in text
    assert case["team"] == ["Social worker"]
    assert case["timeline"][0]["by"] == "Social worker"
    assert case["plan"]["goals"][0]["steps"][0]["who"] == "Social worker"
    # The extract: the case read above, and this export itself, by role and with the purpose.
    actions = [(row["role"], row["action"], row["case"]) for row in data["access_log"]]
    assert ("Lawyer", "Viewed", number) in actions
    assert data["access_log"][-1]["action"] == "Exported"
    assert data["access_log"][-1]["purpose"] == "A copy for the person"


def test_every_export_is_logged_with_its_purpose(app, login_as):
    person_id, *_ = _two_people(app)
    client = login_as(Role.SOCIAL_WORKER, "socialna")
    assert client.get(f"/cases/persons/{person_id}/export/view?purpose=legal").status_code == 200
    assert client.get(f"/cases/persons/{person_id}/export.json?purpose=for_person").status_code == 200
    with app.app_context():
        rows = db.session.scalars(sa.select(CaseAccess).where(CaseAccess.action == AccessAction.EXPORT)).all()
        assert [(r.person_id, r.purpose, r.role) for r in rows] == [
            (person_id, "legal", "social_worker"),
            (person_id, "for_person", "social_worker"),
        ]


def test_the_printable_page_asks_the_purpose_first_and_never_logs_without_one(app, login_as):
    person_id, number, *_ = _two_people(app)
    client = login_as(Role.ORGANIZER)
    form = client.get(f"/cases/persons/{person_id}/export").get_data(as_text=True)
    assert "Why is the data exported?" in form and "Horvat" not in form.split("<title>")[1].split("</title>")[0]
    for query in ("", "?purpose=", "?purpose=for_file", "?purpose=%3Cscript%3E"):
        page = client.get(f"/cases/persons/{person_id}/export/view{query}")
        assert page.status_code == 200
        assert "Who accessed your data" not in page.get_data(as_text=True)
    assert "Choose why the data is exported." in page.get_data(as_text=True)
    with app.app_context():
        assert not db.session.scalar(sa.select(sa.func.count()).where(CaseAccess.action == AccessAction.EXPORT))
    page = client.get(f"/cases/persons/{person_id}/export/view?purpose=for_person").get_data(as_text=True)
    assert "Who accessed your data" in page and "Zapis MARIJA." in page and number in page
    assert "Novak" not in page and "Ana Kovač" not in page.split("<main")[1]


def test_supervisors_admins_and_strangers_never_get_an_export(app, login_as):
    person_id, *_ = _two_people(app)
    for role in (Role.SUPERVISOR, Role.ADMIN):
        client = login_as(role)
        for url in ("export", "export/view?purpose=for_person", "export.json?purpose=for_person"):
            assert client.get(f"/cases/persons/{person_id}/{url}").status_code == 403
    assert app.test_client().get(f"/cases/persons/{person_id}/export.json?purpose=legal").status_code == 302
    assert login_as(Role.LAWYER).get("/cases/persons/999999/export").status_code == 404


def test_days_in_the_export_are_the_offices(app, login_as):
    """A person recorded at 23:30 UTC on 14 January was recorded on the 15th in Novo mesto."""
    from datetime import datetime

    from cases.models import Person

    person_id, _number, _other_id, _other_number = _two_people(app)
    with app.app_context():
        db.session.get(Person, person_id).created_at = datetime(2027, 1, 14, 23, 30)
        db.session.commit()
    client = login_as(Role.LAWYER, "pravnica.petra")
    data = json.loads(client.get(f"/cases/persons/{person_id}/export.json?purpose=for_person").get_data(as_text=True))
    assert data["person"]["recorded_on"] == "2027-01-15"
