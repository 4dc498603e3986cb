"""One person, once (issue 21): the auditor's variants of a name find the person at intake and in
staff search; contacts typed at intake are never dropped; an open case is warned of; the edit
page (GDPR Art. 16) keeps a history and refuses a stale form; merging a duplicate moves its cases."""

import flask_migrate
import pytest
import sqlalchemy as sa

from cases.access_log import AccessAction, CaseAccess
from cases.intake.models import PersonChange, PersonChangeKind
from cases.models import Case, CaseStatus, Consent, Person
from cases.names import clean_name, name_key
from catalog.seed import load_taxonomies
from tests.conftest import TEST_DATABASE_URL, close_database, csrf_token, make_app, wipe_postgres
from tests.functional.test_cases_intake import intake_data, search_persons, token_of
from tests.intake_factories import make_case, make_consent, make_person
from welfare.extensions import db
from welfare.models import AuditEvent

# The auditor's findings: (first name, last name, year of birth) typed for Marija Tomažič, 1980.
VARIANTS = {
    "zero-width space": ("Ma\u200brija", "Tomažič", 1980),
    "soft hyphen": ("Marija", "Toma\u00adžič", 1980),
    "Cyrillic a": ("M\u0430rija", "Tomažič", 1980),
    "RTL override": ("\u202eMarija", "Tomažič", 1980),
    "swapped names": ("Tomažič", "Marija", 1980),
    "trailing dot": ("Marija", "Tomažič.", 1980),
    "double surname": ("Marija", "Tomažič-Novak", 1980),
    "year one off": ("Marija", "Tomažič", 1981),
}


@pytest.fixture(autouse=True)
def taxonomies(app):
    with app.app_context():
        load_taxonomies()
        db.session.commit()


@pytest.fixture
def staff(login_as):
    return login_as("social_worker", "mojca")


@pytest.fixture
def marija(app) -> int:
    with app.app_context():
        person = make_person("Marija", "Tomažič", 1980, phone="041 111 111")
        db.session.commit()
        return person.id


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


# --- normalization ---


def test_clean_name_removes_what_nobody_sees_and_keeps_slovenian_letters():
    assert clean_name("\u202eMa\u200bri\u00adja\ufeff  ") == "Marija"
    assert clean_name("M\u0430rij\u0430 ") == "Marija"  # Cyrillic а inside a Latin word
    assert clean_name("Tomažič.") == "Tomažič"
    assert clean_name("Ana \u00a0 Marija") == "Ana Marija"
    assert clean_name("Šušteršič-Žagar") == "Šušteršič-Žagar"
    assert name_key("Marija", "Tomažič-Novak") == "tomazic novak marija"
    assert name_key("\u202eMa\u200brija", "Toma\u00adžič.") == name_key("Marija", "Tomažič") == "tomazic marija"


# --- each finding at intake and in person search ---


@pytest.mark.parametrize("variant", VARIANTS)
def test_each_variant_finds_the_person_at_intake(app, staff, marija, variant):
    first, last, year = VARIANTS[variant]
    data = intake_data(staff, first_name=first, last_name=last, birth_year=str(year))
    html = staff.post("/cases/new", data=data).get_data(as_text=True)
    assert "Is this someone already on file?" in html, variant
    assert f'name="use_person" value="{marija}"' in html
    assert _count(app, Person) == 1


@pytest.mark.parametrize("variant", VARIANTS)
def test_each_variant_finds_the_person_in_staff_search(app, staff, marija, variant):
    first, last, year = VARIANTS[variant]
    html = search_persons(staff, f"{first} {last} {year}")
    assert f'href="/cases/persons/{marija}"' in html, variant
    with app.app_context():  # the person shown is in the access log (Art. 15)
        shown = db.session.scalars(sa.select(CaseAccess.person_id).where(CaseAccess.what == "person_search")).all()
    assert marija in shown


def test_a_name_stored_with_invisible_characters_is_cleaned_and_found(app, staff):
    response = staff.post(
        "/cases/new", data=intake_data(staff, first_name="Ma\u200brija", last_name="N\u043ev\u0430k.")
    )
    assert response.status_code == 302
    with app.app_context():
        person = db.session.scalar(sa.select(Person))
        assert (person.first_name, person.last_name, person.name_key) == ("Marija", "Novak", "novak marija")
        person_id = person.id
    assert f'href="/cases/persons/{person_id}"' in search_persons(staff, "novak")


def test_the_exact_person_ranks_before_the_one_with_the_year_off(app, staff):
    with app.app_context():
        off = make_person("Marija", "Tomažič", 1981).id
        exact = make_person("Marija", "Tomažič", 1980).id
        db.session.commit()
    html = staff.post(
        "/cases/new", data=intake_data(staff, first_name="Marija", last_name="Tomažič", birth_year="1980")
    )
    html = html.get_data(as_text=True)
    assert html.index(f'value="{exact}"') < html.index(f'value="{off}"')
    assert "year of birth differs by one" in html


def test_a_different_person_is_not_suggested(app, staff, marija):
    html = staff.post("/cases/new", data=intake_data(staff, first_name="Ana", last_name="Horvat", birth_year="1980"))
    assert html.status_code == 302  # no warning: the case opened for a new person
    assert _count(app, Person) == 2


# --- the warning at intake ---


def test_choosing_the_person_keeps_the_phone_and_email_typed(app, staff, marija):
    data = intake_data(staff, first_name="Marija", last_name="Tomazic", birth_year="1980",
                       phone="041 222 333", email="marija@example.si")  # fmt: skip
    html = staff.post("/cases/new", data=data).get_data(as_text=True)
    assert 'name="apply_contacts"' in html and "041 222 333" in html
    response = staff.post("/cases/new", data={**data, "use_person": str(marija), "apply_contacts": "y"})
    assert response.status_code == 302
    with app.app_context():
        person = db.session.get(Person, marija)
        assert (person.phone, person.email) == ("041 222 333", "marija@example.si")
        changes = db.session.scalars(sa.select(PersonChange).order_by(PersonChange.id)).all()
        assert [(c.kind, c.field, c.old_value, c.new_value) for c in changes] == [
            (PersonChangeKind.CONTACTS, "phone", "041 111 111", "041 222 333"),
            (PersonChangeKind.CONTACTS, "email", "", "marija@example.si"),
        ]
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "The phone and e-mail typed were saved to the person" in page


def test_declining_the_contacts_says_so_and_leaves_the_person_as_it_was(app, staff, marija):
    data = intake_data(staff, first_name="Marija", last_name="Tomazic", phone="041 222 333", birth_year="1980")
    response = staff.post("/cases/new", data={**data, "use_person": str(marija)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Person, marija).phone == "041 111 111"
    assert "were not saved to the person" in staff.get(response.headers["Location"]).get_data(as_text=True)


def test_an_open_case_of_the_person_is_warned_of_with_a_link(app, staff, marija):
    with app.app_context():
        number = make_case(db.session.get(Person, marija)).number
        db.session.commit()
    html = staff.post(
        "/cases/new", data=intake_data(staff, first_name="Marija", last_name="Tomažič", birth_year="1980")
    )
    html = html.get_data(as_text=True)
    assert "Already has an open case:" in html and f'href="/cases/{number}"' in html
    page = staff.get(f"/cases/new?person={marija}").get_data(as_text=True)
    assert "This person already has an open case:" in page and f'href="/cases/{number}"' in page


def test_a_closed_case_is_not_warned_of(app, staff, marija):
    with app.app_context():
        make_case(db.session.get(Person, marija), status=CaseStatus.CLOSED)
        db.session.commit()
    page = staff.get(f"/cases/new?person={marija}").get_data(as_text=True)
    assert "already has an open case" not in page


# --- the edit page (Art. 16) ---


def _edit_form(client, person_id, **changes):
    html = client.get(f"/cases/persons/{person_id}/edit").get_data(as_text=True)
    data = {
        "csrf_token": token_of(html),
        "version_id": __import__("re").search(r'name="version_id" type="hidden" value="(\d+)"', html).group(1),
        "first_name": "Marija",
        "last_name": "Tomažič",
        "birth_year": "1980",
        "gender": "unknown",
        "phone": "041 111 111",
    }
    data.update(changes)
    return data


def test_correcting_the_phone_keeps_the_old_value_in_the_history(app, staff, marija):
    response = staff.post(f"/cases/persons/{marija}/edit", data=_edit_form(staff, marija, phone="031 555 666"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Person, marija).phone == "031 555 666"
        (change,) = db.session.scalars(sa.select(PersonChange)).all()
        assert (change.kind, change.field, change.old_value, change.new_value, change.user.username) == (
            PersonChangeKind.EDIT, "phone", "041 111 111", "031 555 666", "mojca",
        )  # fmt: skip
        # Stored encrypted, like the rest of a case's text.
        raw = db.session.execute(sa.text("SELECT old_value, new_value FROM person_change")).one()
        assert "041 111 111" not in raw[0] and "031 555 666" not in raw[1]
        edits = db.session.scalars(
            sa.select(CaseAccess.person_id).where(CaseAccess.action == AccessAction.EDIT, CaseAccess.what == "person")
        ).all()
        assert edits == [marija]
    history = staff.get(f"/cases/persons/{marija}/history").get_data(as_text=True)
    assert "041 111 111" in history and "031 555 666" in history and "mojca" in history


def test_the_art15_export_shows_the_corrections_by_role(app, staff, marija, login_as):
    """The person's copy of their data (GDPR Art. 15) includes how it was corrected: before and
    after, when, and the role of who did it, never the colleague's name."""
    import json

    assert (
        staff.post(f"/cases/persons/{marija}/edit", data=_edit_form(staff, marija, phone="031 555 666")).status_code
        == 302
    )
    lawyer = login_as("lawyer", "pravnica")
    data = json.loads(lawyer.get(f"/cases/persons/{marija}/export.json?purpose=for_person").get_data(as_text=True))
    (change,) = data["corrections"]
    assert (change["what"], change["field"], change["old"], change["new"]) == (
        "Corrected", "Phone", "041 111 111", "031 555 666",
    )  # fmt: skip
    assert change["by"] == "Social worker" and "mojca" not in json.dumps(data["corrections"])
    page = lawyer.get(f"/cases/persons/{marija}/export/view?purpose=for_person").get_data(as_text=True)
    assert "Changes to your recorded data" in page and "041 111 111" in page and "031 555 666" in page


def test_a_renamed_person_is_found_by_the_new_name(app, staff, marija):
    staff.post(f"/cases/persons/{marija}/edit", data=_edit_form(staff, marija, last_name="Novak\u200b"))
    with app.app_context():
        assert db.session.get(Person, marija).name_key == "novak marija"
    assert f'href="/cases/persons/{marija}"' in search_persons(staff, "Novak")


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(app, staff, marija):
    first = _edit_form(staff, marija, phone="031 555 666")
    second = _edit_form(staff, marija, email="marija@example.si")  # loaded before the first save
    assert staff.post(f"/cases/persons/{marija}/edit", data=first).status_code == 302
    response = staff.post(f"/cases/persons/{marija}/edit", data=second)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Someone else saved this record in the meantime" in html and 'value="marija@example.si"' in html
    with app.app_context():
        assert db.session.get(Person, marija).email is None
    assert _count(app, PersonChange) == 1


def test_an_edit_with_errors_keeps_everything_typed(staff, marija):
    html = staff.post(f"/cases/persons/{marija}/edit", data=_edit_form(staff, marija, first_name="", phone="abc"))
    html = html.get_data(as_text=True)
    assert "Enter the first name." in html and "Enter a phone number with digits" in html
    assert 'value="abc"' in html


def test_the_edit_page_is_linked_from_the_case_and_the_person_list(app, staff, marija):
    with app.app_context():
        number = make_case(db.session.get(Person, marija)).number
        db.session.commit()
    assert f'href="/cases/persons/{marija}/edit"' in staff.get(f"/cases/{number}").get_data(as_text=True)
    assert f'href="/cases/persons/{marija}/edit"' in search_persons(staff, "Tomažič")


# --- merging ---


@pytest.fixture
def duplicate(app, marija) -> dict:
    """A second record of Marija (typed with a zero-width space once) with a case and a consent."""
    with app.app_context():
        other = make_person("Marija", "Tomažič-Novak", 1981, email="marija@example.si", municipality="Novo mesto")
        case = make_case(other)
        make_consent(case, provider_type_id="pisarna-vrste-izvajalcev:nvo")
        kept_case = make_case(db.session.get(Person, marija))
        db.session.commit()
        return {"id": other.id, "number": case.number, "kept_number": kept_case.number}


def _merge(client, kept, other):
    url = f"/cases/persons/{kept}/merge/{other}"
    html = client.get(url).get_data(as_text=True)
    versions = dict(__import__("re").findall(r'name="(kept_version|other_version)" type="hidden" value="(\d+)"', html))
    return client.post(url, data={"csrf_token": token_of(html), **versions})


def test_the_merge_page_suggests_the_duplicate(staff, marija, duplicate):
    html = staff.get(f"/cases/persons/{marija}/merge").get_data(as_text=True)
    assert f'href="/cases/persons/{marija}/merge/{duplicate["id"]}"' in html


def test_merging_moves_the_cases_and_keeps_both_histories(app, staff, marija, duplicate):
    response = _merge(staff, marija, duplicate["id"])
    assert response.status_code == 302 and response.headers["Location"] == f"/cases/persons/{marija}"
    with app.app_context():
        kept, other = db.session.get(Person, marija), db.session.get(Person, duplicate["id"])
        assert sorted(c.number for c in kept.cases) == sorted([duplicate["number"], duplicate["kept_number"]])
        assert other.cases == [] and other.merged_into_id == marija
        consent = db.session.scalar(sa.select(Consent))
        assert consent.case.person_id == marija
        assert (kept.email, kept.municipality, kept.phone) == ("marija@example.si", "Novo mesto", "041 111 111")
        kinds = {(c.person_id, c.kind, c.field) for c in db.session.scalars(sa.select(PersonChange))}
        assert (marija, PersonChangeKind.MERGED_IN, "cases") in kinds
        assert (duplicate["id"], PersonChangeKind.MERGED_INTO, "cases") in kinds
        logged = db.session.scalars(sa.select(CaseAccess.person_id).where(CaseAccess.what == "person_merge")).all()
        assert {marija, duplicate["id"]} <= set(logged)
        (event,) = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "case.person_merged")).all()
        assert event.object_id == str(duplicate["id"]) and "Tomažič" not in (event.detail or "")
    history = staff.get(f"/cases/persons/{marija}/history").get_data(as_text=True)
    assert duplicate["number"] in history
    merged_page = staff.get(f"/cases/persons/{duplicate['id']}").get_data(as_text=True)
    assert "merged into another person" in merged_page and f'href="/cases/persons/{marija}"' in merged_page
    # The merged record no longer comes up as a duplicate at intake.
    html = staff.post(
        "/cases/new", data=intake_data(staff, first_name="Marija", last_name="Tomažič", birth_year="1981")
    )
    assert f'value="{duplicate["id"]}"' not in html.get_data(as_text=True)


def test_a_double_submit_merges_once(app, staff, marija, duplicate):
    url = f"/cases/persons/{marija}/merge/{duplicate['id']}"
    html = staff.get(url).get_data(as_text=True)
    versions = dict(__import__("re").findall(r'name="(kept_version|other_version)" type="hidden" value="(\d+)"', html))
    data = {"csrf_token": token_of(html), **versions}
    assert staff.post(url, data=data).status_code == 302
    rows = _count(app, CaseAccess, CaseAccess.what == "person_merge")
    again = staff.post(url, data=data, follow_redirects=True).get_data(as_text=True)
    assert "These two records were already merged." in again
    assert _count(app, CaseAccess, CaseAccess.what == "person_merge") == rows
    assert _count(app, PersonChange, PersonChange.field == "cases") == 2


def test_a_person_is_not_merged_into_themselves(app, staff, marija):
    url = f"/cases/persons/{marija}/merge/{marija}"
    token = csrf_token(staff, url)
    html = staff.post(url, data={"csrf_token": token}).get_data(as_text=True)
    assert "A person cannot be merged into themselves." in html
    assert _count(app, PersonChange) == 0
    assert db_merged(app, marija) is None


def db_merged(app, person_id):
    with app.app_context():
        return db.session.get(Person, person_id).merged_into_id


def test_merging_by_number_goes_to_the_comparison(staff, marija, duplicate):
    token = csrf_token(staff, f"/cases/persons/{marija}/merge")
    response = staff.post(f"/cases/persons/{marija}/merge", data={"csrf_token": token, "other_id": duplicate["id"]})
    assert response.headers["Location"] == f"/cases/persons/{marija}/merge/{duplicate['id']}"
    html = staff.post(f"/cases/persons/{marija}/merge", data={"csrf_token": token, "other_id": "x"})
    assert html.status_code == 200


def test_a_stale_merge_is_refused(app, staff, marija, duplicate):
    url = f"/cases/persons/{marija}/merge/{duplicate['id']}"
    html = staff.get(url).get_data(as_text=True)
    versions = dict(__import__("re").findall(r'name="(kept_version|other_version)" type="hidden" value="(\d+)"', html))
    staff.post(f"/cases/persons/{marija}/edit", data=_edit_form(staff, marija, phone="031 555 666"))
    html = staff.post(url, data={"csrf_token": token_of(html), **versions}).get_data(as_text=True)
    assert "Someone else saved this record in the meantime" in html
    assert db_merged(app, duplicate["id"]) is None


def test_erasing_the_kept_person_erases_the_merged_record_and_the_history(app, staff, marija, duplicate):
    from cases.privacy.erasure import erase_person
    from welfare.models import User

    _merge(staff, marija, duplicate["id"])
    with app.app_context():
        admin = db.session.scalar(sa.select(User))
        erase_person(db.session.get(Person, marija), "objection", str(marija), admin)
    assert _count(app, Person) == 0 and _count(app, PersonChange) == 0 and _count(app, Case) == 0


# --- migration 0022 ---


@pytest.fixture
def fresh_app(tmp_path):
    if TEST_DATABASE_URL:
        wipe_postgres(TEST_DATABASE_URL)
    app = make_app(tmp_path / "fresh")
    yield app
    close_database(app)


def test_migration_0022_cleans_stored_names_and_recomputes_the_keys(fresh_app):
    from datetime import datetime

    directory = fresh_app.extensions["migrate"].directory
    person = sa.table(
        "person", *(sa.column(c) for c in ("id", "first_name", "last_name", "name_key", "gender", "municipality")),
        sa.column("settlement"), sa.column("created_at"), sa.column("version_id"),
    )  # fmt: skip
    rows = {
        1: ("Ma\u200brija", "Tomažič"),
        2: ("Marija", "Toma\u00adžič"),
        3: ("M\u0430rija", "Tomažič."),
        4: ("—", ""),
    }
    with fresh_app.app_context():
        flask_migrate.upgrade(directory=directory, revision="0018")
        with db.engine.begin() as connection:
            for person_id, (first, last) in rows.items():
                connection.execute(
                    sa.insert(person).values(
                        id=person_id,
                        first_name=first,
                        last_name=last,
                        name_key="" if first == "—" else " ".join(f"{last} {first}".lower().split()),
                        gender="unknown",
                        municipality="",
                        settlement="",
                        created_at=datetime(2025, 1, 1),
                        version_id=1,
                    )  # fmt: skip
                )
        flask_migrate.upgrade(directory=directory)
        with db.engine.connect() as connection:
            stored = {r.id: (r.first_name, r.last_name, r.name_key) for r in connection.execute(sa.select(person))}
    for person_id in (1, 2, 3):
        assert stored[person_id] == ("Marija", "Tomažič", "tomazic marija"), stored[person_id]
    assert stored[4] == ("—", "", "")  # anonymized by retention: stays unfindable
