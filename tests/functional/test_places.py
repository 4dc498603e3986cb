"""Settlements are a choice from the official list: the data file, `cases.places`, the intake
form, the mapping of what was typed before, retention and the demo persons."""

import json
import re
from datetime import date, datetime

import flask_migrate
import pytest
import sqlalchemy as sa

from cases import events, places
from cases.demo import REGION, load_demo_cases
from cases.models import Case, LegalBasis, Person
from cases.privacy.retention import anonymize_person
from cases.services import next_case_number
from cases.trends.models import TrendCase
from catalog.seed import load_taxonomies
from tests.conftest import TEST_DATABASE_URL, close_database, create_user, make_app, wipe_postgres
from tests.functional.test_cases_intake import intake_data, token_of
from tests.intake_factories import make_person
from welfare.extensions import db

REGION_MUNICIPALITIES = [
    "Novo mesto", "Črnomelj", "Dolenjske Toplice", "Kočevje", "Kostel", "Loški Potok", "Metlika", "Mirna",
    "Mirna Peč", "Mokronog-Trebelno", "Osilnica", "Ribnica", "Semič", "Sodražica", "Straža", "Šentjernej",
    "Šentrupert", "Šmarješke Toplice", "Trebnje", "Žužemberk", "Škocjan",
]  # fmt: skip
STREET = "Jedinščica / Poganska ulica"


# --- the data file and cases.places ---


def test_every_municipality_of_the_region_has_a_sourced_list():
    data = json.loads(places.DATA.read_text(encoding="utf-8"))
    assert data["source"]["register_url"].startswith("https://")
    assert sorted(data["municipalities"]) == sorted(REGION_MUNICIPALITIES)
    for name, entry in data["municipalities"].items():
        assert entry["source"].startswith("https://"), name
        assert entry["settlements"] and len(set(entry["settlements"])) == len(entry["settlements"]), name
        assert all(s == " ".join(s.split()) and "/" not in s for s in entry["settlements"]), name


def test_settlements_of_a_municipality():
    assert "Sovinek" in places.settlements("Semič") and "Sovinek" not in places.settlements("Novo mesto")
    assert places.settlements("semic") == places.settlements("Semič")
    assert places.settlements("Krško") == [] and places.settlements("") == []
    assert places.is_official("Semič", "Sovinek") and not places.is_official("Novo mesto", "Sovinek")
    assert not places.is_official("Novo mesto", STREET) and not places.is_official("Novo mesto", "")
    assert {"Novo mesto", "Ljubljana", "Mirna", "Kostel"} <= set(places.municipalities())


@pytest.mark.parametrize(
    ("municipality", "typed", "stored"),
    [
        ("Novo mesto", "Otočec", "Otočec"),
        ("Novo mesto", "  OTOCEC ", "Otočec"),  # case, č and spaces fold
        ("novo  mesto", "novo   mesto", "Novo mesto"),
        ("Semič", "blatnik pri crmosnjicah", "Blatnik pri Črmošnjicah"),
        ("Novo mesto", STREET, places.OTHER),
        ("Novo mesto", "Bršljin", places.OTHER),  # a part of the town, not a settlement
        ("Novo mesto", "Sovinek", places.OTHER),  # a settlement of another municipality
        ("Novo mesto", places.OTHER, places.OTHER),
        ("Novo mesto", "", ""),
        ("Novo mesto", "   ", ""),
        ("Krško", "Kerinov Grm", ""),  # no list for that municipality: no settlement recorded
        ("", STREET, ""),
    ],
)
def test_normalize(municipality, typed, stored):
    assert places.normalize(municipality, typed) == stored


def test_municipality_is_spelled_as_listed():
    assert places.municipality_name(" novo   MESTO ") == "Novo mesto"
    assert places.municipality_name("sentjernej") == "Šentjernej"
    assert places.municipality_name("Kranj") == "Kranj"  # not on the list: kept as typed


# --- the intake form ---


@pytest.fixture
def staff(app, login_as):
    with app.app_context():
        load_taxonomies()  # the intake's life domains
        db.session.commit()
    return login_as("social_worker", "mojca")


def stored_person(app):
    with app.app_context():
        return db.session.execute(sa.select(Person.municipality, Person.settlement)).all()


def test_the_form_offers_each_municipalitys_settlements_without_javascript(staff):
    html = staff.get("/cases/new").get_data(as_text=True)
    select = re.search(
        r'<select aria-describedby="settlement-hint" id="settlement" name="settlement">(.*?)</select>', html, re.S
    ).group(1)
    assert select.startswith('<option selected value="">— not recorded —</option><option value="other">')
    assert '<optgroup label="Semič">' in select and '<optgroup label="Novo mesto">' in select
    assert '<label for="settlement">Settlement</label>' in html
    assert 'id="settlements"' not in html  # the old datalist of free-text suggestions is gone
    assert '<datalist id="municipalities">' in html and '<option value="Straža">' in html


def test_an_official_settlement_of_the_municipality_is_stored(app, staff):
    response = staff.post("/cases/new", data=intake_data(staff, municipality="semic", settlement="Sovinek"))
    assert response.status_code == 302
    assert stored_person(app) == [("Semič", "Sovinek")]


def test_other_is_stored_and_shown_as_words(app, staff):
    response = staff.post("/cases/new", data=intake_data(staff, settlement=places.OTHER))
    assert response.status_code == 302
    assert stored_person(app) == [("Novo mesto", places.OTHER)]
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    person_link = re.search(r'href="(/cases/persons/\d+)"', page).group(1)
    assert "Other settlement, Novo mesto" in staff.get(person_link).get_data(as_text=True)


def _assert_kept(html: str) -> None:
    assert 'value="Šušteršič"' in html and 'value="1975"' in html
    assert "Neplačana elektrika." in html and "Grozi izselitev." in html
    assert re.search(r'<input id="municipality" list="municipalities"[^>]* value="Novo mesto">', html)


def test_a_settlement_of_another_municipality_is_refused_and_the_form_kept(app, staff):
    html = staff.post("/cases/new", data=intake_data(staff, settlement="Sovinek")).get_data(as_text=True)
    error = "Sovinek is not a settlement of Novo mesto. Choose one from the municipality&#39;s list"  # escaped
    assert error in html
    assert 'aria-describedby="settlement-hint settlement-error"' in html and 'id="settlement-error"' in html
    _assert_kept(html)
    # The choice stays visible where it was made (Semič's group), not selected twice.
    assert html.count('<option selected value="Sovinek">') == 1
    assert stored_person(app) == []


def test_a_typed_street_is_refused_with_the_translated_error(app, staff):
    html = staff.post("/cases/new", data=intake_data(staff, settlement=STREET)).get_data(as_text=True)
    assert "Jedinščica / Poganska ulica is not a settlement of Novo mesto." in html
    _assert_kept(html)
    token = token_of(staff.get("/cases/new").get_data(as_text=True))
    staff.post("/language", data={"csrf_token": token, "lang": "sl", "next": "/cases/new"})
    html = staff.post("/cases/new", data=intake_data(staff, settlement=STREET)).get_data(as_text=True)
    assert "Jedinščica / Poganska ulica ni naselje v občini Novo mesto." in html
    _assert_kept(html)
    assert stored_person(app) == []


def test_what_was_typed_comes_back_escaped_in_the_error(staff):
    data = intake_data(staff, municipality="<i>Krško</i>", settlement="<b>x</b>")
    html = staff.post("/cases/new", data=data).get_data(as_text=True)
    assert "for &lt;i&gt;Krško&lt;/i&gt; choose" in html and "<i>Krško</i>" not in html
    html = staff.post("/cases/new", data=intake_data(staff, settlement="<b>x</b>")).get_data(as_text=True)
    assert "&lt;b&gt;x&lt;/b&gt; is not a settlement" in html and "<b>x</b>" not in html


@pytest.mark.parametrize(
    ("municipality", "settlement", "error"),
    [
        ("", "Otočec", "Enter the municipality first"),
        ("Krško", "Kerinov Grm", "Settlements are recorded only for the municipalities of the region"),
        ("Krško", places.OTHER, "Settlements are recorded only for the municipalities of the region"),
    ],
)
def test_a_settlement_needs_a_municipality_with_a_list(app, staff, municipality, settlement, error):
    data = intake_data(staff, municipality=municipality, settlement=settlement)
    html = staff.post("/cases/new", data=data).get_data(as_text=True)
    assert error in html and 'value="Šušteršič"' in html
    assert stored_person(app) == []


def test_a_municipality_without_a_list_records_no_settlement(app, staff):
    response = staff.post("/cases/new", data=intake_data(staff, municipality="Krško", settlement=""))
    assert response.status_code == 302
    assert stored_person(app) == [("Krško", "")]


# --- what was typed before: the command, the migration, retention ---


def _legacy_persons() -> dict[str, int]:
    rows = {
        "street": ("Novo mesto", STREET),
        "folded": ("novo mesto", "  OTOČEC "),
        "district": ("Novo mesto", "Bršljin"),
        "official": ("Semič", "Sovinek"),
        "empty": ("Novo mesto", ""),
        "elsewhere": ("Krško", "Kerinov Grm"),
    }
    return {
        key: make_person(f"Oseba{key}", "Test", 1970, municipality=m, settlement=s).id for key, (m, s) in rows.items()
    }


EXPECTED = {
    "street": places.OTHER,
    "folded": "Otočec",
    "district": places.OTHER,
    "official": "Sovinek",
    "empty": "",
    "elsewhere": "",
}


def _settlements(ids: dict[str, int]) -> dict[str, str]:
    return {key: db.session.get(Person, person_id).settlement for key, person_id in ids.items()}


def test_the_command_maps_typed_settlements_and_the_trends_count_the_mapped_ones(app, runner):
    with app.app_context():
        ids = _legacy_persons()
        for person_id in ids.values():  # each with a case the trend reports count
            case = Case(
                number=next_case_number(2025),
                person_id=person_id,
                legal_basis=LegalBasis.SOCIAL_CARE,
                opened_on=date(2025, 3, 3),
            )
            db.session.add(case)
            db.session.flush()
            events.case_changed(case)
        db.session.commit()
        assert STREET in set(db.session.scalars(sa.select(TrendCase.settlement)))
    result = runner.invoke(args=["cases", "map-settlements"])
    assert result.exit_code == 0, result.output
    assert "4 persons' settlements mapped" in result.output
    with app.app_context():
        assert _settlements(ids) == EXPECTED
        counted = set(db.session.scalars(sa.select(TrendCase.settlement)))
        assert counted == set(EXPECTED.values())
    again = runner.invoke(args=["cases", "map-settlements"])
    assert "0 persons' settlements mapped" in again.output


@pytest.fixture
def fresh_app(tmp_path):
    if TEST_DATABASE_URL:
        wipe_postgres(TEST_DATABASE_URL)
    app = make_app(tmp_path / "fresh")
    yield app
    close_database(app)


def test_migration_0014_maps_typed_settlements(fresh_app):
    directory = fresh_app.extensions["migrate"].directory
    with fresh_app.app_context():
        flask_migrate.upgrade(directory=directory, revision="0013")
        person = sa.table(
            "person",
            *(sa.column(c) for c in ("first_name", "last_name", "name_key", "gender", "municipality", "settlement")),
            sa.column("created_at"),
            sa.column("version_id"),
        )
        rows = [
            ("street", "Novo mesto", STREET),
            ("folded", "Novo mesto", "otocec"),
            ("official", "Semič", "Sovinek"),
            ("elsewhere", "Krško", "Rimš"),
        ]
        with db.engine.begin() as connection:
            for key, municipality, settlement in rows:
                connection.execute(
                    sa.insert(person).values(
                        first_name=key,
                        last_name="",
                        name_key=key,
                        gender="unknown",
                        municipality=municipality,
                        settlement=settlement,
                        created_at=datetime(2025, 1, 1),
                        version_id=1,
                    )  # fmt: skip
                )
        flask_migrate.upgrade(directory=directory)
        with db.engine.connect() as connection:
            mapped = dict(connection.execute(sa.select(person.c.first_name, person.c.settlement)).all())
    assert mapped == {"street": places.OTHER, "folded": "Otočec", "official": "Sovinek", "elsewhere": ""}


def test_retention_keeps_no_typed_place(app):
    with app.app_context():
        person = make_person("Janez", "Novak", 1950, municipality="Novo mesto", settlement=STREET)
        anonymize_person(person)
        assert (person.municipality, person.settlement) == ("Novo mesto", places.OTHER)
        kept = make_person("Ana", "Novak", 1950, municipality="Semič", settlement="Sovinek")
        anonymize_person(kept)
        assert kept.settlement == "Sovinek"


# --- demo data ---


def test_demo_lists_only_official_settlements():
    for municipality, _weight, settlements in REGION:
        for settlement in settlements:
            assert settlement == "" or places.is_official(municipality, settlement), (municipality, settlement)


@pytest.mark.slow  # seeds the whole demo: the slow tier
def test_demo_persons_have_official_settlements(app):
    create_user(app, "social_worker", "mojca")
    with app.app_context():
        load_demo_cases()
        rows = db.session.execute(sa.select(Person.municipality, Person.settlement)).all()
    assert rows
    assert all(s in ("", places.OTHER) or places.is_official(m, s) for m, s in rows)
    assert any(s for _m, s in rows)
