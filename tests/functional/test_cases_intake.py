"""Intake: persons, opening a case, the duplicate warning, the case page and its forms."""

import re

import pytest
import sqlalchemy as sa

from cases.access_log import AccessAction, CaseAccess
from cases.models import AnonymousContact, Case, CaseStatus, Person
from catalog.models import TAXONOMY_DOMAINS
from catalog.seed import load_taxonomies, term_id
from tests.conftest import CSRF_RE, csrf_token
from tests.intake_factories import make_case, make_person
from welfare.extensions import db

DEBT = term_id(TAXONOMY_DOMAINS, "dolgovi")
HOUSING = term_id(TAXONOMY_DOMAINS, "stanovanje")


@pytest.fixture(autouse=True)
def taxonomies(app):
    with app.app_context():
        load_taxonomies()
        db.session.commit()


@pytest.fixture
def staff(login_as):
    return login_as("social_worker", "mojca")


def token_of(html: str) -> str:
    return CSRF_RE.search(html).group(1)


def version_of(html: str) -> str:
    return re.search(r'id="version_id" name="version_id" type="hidden" value="(\d*)"', html).group(1)


def intake_data(client, **overrides):
    html = client.get("/cases/new").get_data(as_text=True)
    data = {
        "csrf_token": token_of(html),
        "first_name": "Štefan",
        "last_name": "Šušteršič",
        "birth_year": "1975",
        "gender": "male",
        "municipality": "Novo mesto",
        "settlement": "Brezje",  # an official settlement of Novo mesto (cases/data/settlements.json)
        "legal_basis": "social_care",
        "assignees": re.search(r'<input checked id="assignees-\d+" name="assignees"[^>]*value="(\d+)"', html).group(1),
        "challenges-0-domain_id": DEBT,
        "challenges-0-urgency": "high",
        "challenges-0-description": "Neplačana elektrika.",
        "challenges-1-domain_id": HOUSING,
        "challenges-1-urgency": "medium",
        "challenges-1-description": "Grozi izselitev.",
    }
    data.update(overrides)
    return data


def search_persons(client, query: str) -> str:
    """The person search is posted (a name never goes into a URL)."""
    token = csrf_token(client, "/cases/persons")
    return client.post("/cases/persons", data={"csrf_token": token, "q": query}).get_data(as_text=True)


def access_rows(app, action=None):
    with app.app_context():
        statement = sa.select(CaseAccess.action, CaseAccess.what, CaseAccess.username).order_by(CaseAccess.id)
        if action:
            statement = statement.where(CaseAccess.action == action)
        return db.session.execute(statement).all()


def test_intake_opens_a_case_with_person_challenges_and_me_assigned(app, staff):
    response = staff.post("/cases/new", data=intake_data(staff))
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalar(sa.select(Case))
        assert response.headers["Location"] == f"/cases/{case.number}"
        assert re.fullmatch(r"\d{4}-0001", case.number)
        assert case.person.name_key == "sustersic stefan" and case.person.birth_year == 1975
        assert case.person.settlement == "Brezje"
        assert [c.domain_id for c in case.challenges] == [DEBT, HOUSING]
        assert [u.username for u in case.assignees] == ["mojca"]
        assert case.status == CaseStatus.OPEN
    assert access_rows(app) == [(AccessAction.CREATE, "case", "mojca")]
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "Štefan Šušteršič" in page and "Neplačana elektrika." in page and "Grozi izselitev." in page
    assert access_rows(app)[-1] == (AccessAction.VIEW, "case", "mojca")


def test_intake_without_legal_basis_or_challenge_keeps_everything_typed(app, staff):
    data = intake_data(staff, legal_basis="", **{"challenges-0-domain_id": "", "challenges-1-domain_id": ""})
    html = staff.post("/cases/new", data=data).get_data(as_text=True)
    assert "Choose the legal basis for processing the person" in html
    assert "Record at least one challenge the person brings." in html
    assert 'value="Šušteršič"' in html and '<option selected value="Brezje">' in html
    assert "Neplačana elektrika." in html and "Grozi izselitev." in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Person.id))) == 0


def test_intake_needs_a_birth_date_or_year_and_refuses_a_future_one(staff):
    html = staff.post("/cases/new", data=intake_data(staff, birth_year="")).get_data(as_text=True)
    assert "Enter the date of birth or at least the year of birth." in html
    html = staff.post("/cases/new", data=intake_data(staff, birth_date="2999-01-01")).get_data(as_text=True)
    assert "The date cannot be in the future." in html
    html = staff.post("/cases/new", data=intake_data(staff, birth_date="1976-02-03")).get_data(as_text=True)
    assert "The year of birth does not match the date of birth." in html
    html = staff.post("/cases/new", data=intake_data(staff, birth_date="03.02.1975x")).get_data(as_text=True)
    assert "Enter a valid date." in html and 'value="03.02.1975x"' in html


def test_likely_duplicate_is_shown_before_a_second_person_is_created(app, staff):
    with app.app_context():
        known = make_person("Stefan", "Sustersic", 1975)
        db.session.commit()
        known_id = known.id
    data = intake_data(staff)
    html = staff.post("/cases/new", data=data).get_data(as_text=True)
    assert "Is this someone already on file?" in html
    assert f'href="/cases/persons/{known_id}"' in html
    assert "Neplačana elektrika." in html and 'value="Šušteršič"' in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0

    # Opening the case for the known person keeps one person.
    response = staff.post("/cases/new", data={**data, "use_person": str(known_id)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Person.id))) == 1
        assert db.session.scalar(sa.select(Case.person_id)) == known_id


def test_confirming_a_new_person_creates_the_second_one(app, staff):
    with app.app_context():
        make_person("Stefan", "Sustersic", 1975)
        db.session.commit()
    response = staff.post("/cases/new", data=intake_data(staff, confirm_new="1"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Person.id))) == 2


def test_new_case_for_a_person_on_file_asks_only_for_the_case(app, staff):
    with app.app_context():
        person_id = make_person("Ana", "Kovač", 1990).id
        db.session.commit()
    html = staff.get(f"/cases/new?person={person_id}").get_data(as_text=True)
    assert "Ana Kovač" in html and 'name="first_name"' not in html
    data = {
        k: v
        for k, v in intake_data(staff).items()
        if k not in {"first_name", "last_name", "birth_year", "gender", "municipality", "settlement"}
    }
    assert staff.post("/cases/new", data={**data, "person_id": str(person_id)}).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Case.person_id)) == person_id
    assert staff.get("/cases/new?person=999999").status_code == 404
    assert staff.get("/cases/new?person=abc").status_code == 404


@pytest.mark.parametrize("query", ["sustersic", "Šušteršič", "SUŠTERŠIČ štefan", "stef 1975"])
def test_person_search_ignores_diacritics_and_case(app, staff, query):
    with app.app_context():
        make_person("Štefan", "Šušteršič", 1975)
        make_person("Ana", "Kovač", 1990)
        db.session.commit()
    html = search_persons(staff, query)
    assert "Šušteršič Štefan" in html and "Kovač" not in html


def test_person_search_by_birth_year_and_case_number(app, staff):
    with app.app_context():
        make_person("Štefan", "Šušteršič", 1975)
        number = make_case(make_person("Ana", "Kovač", 1990)).number
        db.session.commit()
    html = search_persons(staff, "1990")
    assert "Kovač Ana" in html and "Šušteršič" not in html
    html = search_persons(staff, number)
    assert "Kovač Ana" in html and "Šušteršič" not in html
    html = search_persons(staff, "%")
    assert "Nobody found." in html


def test_person_page_lists_cases_and_logs_the_view(app, staff):
    with app.app_context():
        case = make_case(make_person("Ana", "Kovač", 1990))
        db.session.commit()
        person_id, number = case.person_id, case.number
    html = staff.get(f"/cases/persons/{person_id}").get_data(as_text=True)
    assert number in html and f"/cases/new?person={person_id}" in html
    assert access_rows(app) == [(AccessAction.VIEW, "person", "mojca")]
    assert staff.get("/cases/persons/99999999999").status_code == 404


def test_anonymous_contact_stores_no_identity(app, staff):
    html = staff.get("/cases/contacts/new").get_data(as_text=True)
    assert 'name="first_name"' not in html
    response = staff.post(
        "/cases/contacts/new",
        data={
            "csrf_token": token_of(html),
            "domains": [DEBT, HOUSING],
            "channel": "phone",
            "action": "referred",
            "occurred_on": "",
        },
    )
    assert "Enter the date." in response.get_data(as_text=True)
    today = re.search(r'name="occurred_on"[^>]*value="([\d-]+)"', html).group(1)
    response = staff.post(
        "/cases/contacts/new",
        data={
            "csrf_token": token_of(html),
            "domains": [DEBT, HOUSING],
            "channel": "phone",
            "action": "referred",
            "occurred_on": today,
        },
    )
    assert response.status_code == 302
    with app.app_context():
        contact = db.session.scalar(sa.select(AnonymousContact))
        assert {t.id for t in contact.domains} == {DEBT, HOUSING}
        assert contact.channel.value == "phone" and contact.action.value == "referred"


def test_anonymous_contact_needs_a_domain(staff):
    html = staff.get("/cases/contacts/new").get_data(as_text=True)
    html = staff.post(
        "/cases/contacts/new", data={"csrf_token": token_of(html), "channel": "phone", "action": "informed"}
    ).get_data(as_text=True)
    assert "Choose at least one life domain." in html
