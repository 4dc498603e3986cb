"""Intake: the person query parser, birth-year rules and form-level validation, without HTTP."""

from datetime import date, datetime

import pytest
from werkzeug.datastructures import MultiDict

from cases.intake.case_forms import CloseCaseForm, ConsentForm, TimelineEntryForm
from cases.intake.persons import birth_year_of, parse_person_query
from cases.intake.walk_in_forms import AnonymousContactForm, IntakeForm
from cases.names import name_key
from catalog.seed import load_taxonomies
from welfare.clock import local_time, to_utc
from welfare.errors import ValidationFailed
from welfare.extensions import db

DEBT = "pisarna-zivljenjska-podrocja:dolgovi"


def test_query_splits_names_years_and_case_numbers():
    query = parse_person_query("Šušteršič, Štefan 1975 2026-42")
    assert query.words == ["sustersic", "stefan"]
    assert query.years == [1975]
    assert query.numbers == ["2026-0042"]
    assert parse_person_query("   ").is_empty


def test_name_key_folds_and_orders_last_first():
    assert name_key("Štefan", "Šušteršič") == name_key("stefan", "SUSTERSIC") == "sustersic stefan"


def test_birth_year_from_date_or_year_and_they_must_agree():
    assert birth_year_of(date(1975, 3, 1), None) == 1975
    assert birth_year_of(None, 1980) == 1980
    with pytest.raises(ValidationFailed, match="does not match"):
        birth_year_of(date(1975, 3, 1), 1976)
    with pytest.raises(ValidationFailed, match="year of birth"):
        birth_year_of(None, None)


def test_times_round_trip_through_the_office_clock():
    summer = datetime(2026, 7, 1, 10, 0)
    assert to_utc(summer) == datetime(2026, 7, 1, 8, 0)
    assert local_time(to_utc(summer)) == summer
    assert local_time(None) is None


@pytest.fixture
def build(database_app):
    """build(FormClass, **fields) -> a validated form posted with these fields (no CSRF)."""
    with database_app.test_request_context(method="POST"):
        load_taxonomies()
        db.session.commit()

        def _build(form_class, **fields):
            data = MultiDict()
            for key, value in fields.items():
                data.setlist(key, value if isinstance(value, list) else [value])
            form = form_class(formdata=data, meta={"csrf": False})
            form.validate()
            return form

        yield _build


INTAKE = {
    "first_name": "Ana",
    "last_name": "Kovač",
    "birth_year": "1990",
    "gender": "female",
    "legal_basis": "consent",
    "challenges-0-domain_id": DEBT,
    "challenges-0-urgency": "high",
}


def test_intake_form_errors_name_the_field(build):
    form = build(IntakeForm, **{**INTAKE, "birth_year": "", "legal_basis": "", "phone": "abc"})
    assert form.birth_year.errors == ["Enter the date of birth or at least the year of birth."]
    assert form.legal_basis.errors == ["Choose the legal basis for processing the person's data."]
    assert form.phone.errors == ["Enter a phone number with digits, spaces and + only."]
    assert form.assignees.errors == ["Assign the case to at least one team member."]


def test_intake_form_needs_a_challenge_and_a_domain_for_a_described_one(build):
    form = build(IntakeForm, **{**INTAKE, "challenges-0-domain_id": "", "challenges-1-description": "Brez doma."})
    assert "Record at least one challenge the person brings." in form.challenges.errors
    assert form.challenges[1].form.domain_id.errors == ["Choose the life domain of this challenge."]
    form = build(IntakeForm, **{**INTAKE, "challenges-0-domain_id": "not-a-domain"})
    assert form.challenges[0].form.domain_id.errors == ["Choose a life domain from the list."]


def test_intake_form_collects_only_filled_challenges(build):
    form = build(IntakeForm, **INTAKE)
    assert [(c.domain_id, c.urgency.value) for c in form.challenge_data()] == [(DEBT, "high")]
    assert form.birth_year_value == 1990


def test_future_birth_date_and_year_are_refused(build):
    form = build(IntakeForm, **{**INTAKE, "birth_year": "2099"})
    assert form.birth_year.errors == ["The year of birth cannot be in the future."]
    form = build(IntakeForm, **{**INTAKE, "birth_year": "", "birth_date": "2999-01-01"})
    assert form.birth_date.errors == ["The date cannot be in the future."]


def test_close_form_requires_an_outcome(build):
    form = build(CloseCaseForm, closed_on="2026-01-01")
    assert form.outcome.errors == ["Choose the outcome to close the case."]


def test_timeline_form_keeps_a_mistyped_time_with_a_message(build):
    form = build(TimelineEntryForm, kind="note", occurred_at="yesterday", text="Zapis.")
    assert form.occurred_at.errors == ["Enter a valid date and time."]
    assert form.occurred_at._value() == "yesterday"


def test_consent_form_needs_exactly_one_recipient(build):
    form = build(ConsentForm, scope="Vse.", text_version="2026-1", given_on="2026-01-01")
    assert form.organization_id.errors == ["Choose either one organization or a kind of organization."]


def test_anonymous_contact_form_needs_a_domain(build):
    form = build(AnonymousContactForm, channel="phone", action="informed", occurred_on="2026-01-01")
    assert form.domains.errors == ["Choose at least one life domain."]
    assert not build(
        AnonymousContactForm, domains=[DEBT], channel="phone", action="informed", occurred_on="2026-01-01"
    ).errors


@pytest.mark.parametrize(
    ("municipality", "settlement", "error"),
    [
        ("Novo mesto", "Otočec", None),
        ("semič", "Sovinek", None),
        ("Novo mesto", "other", None),
        ("Krško", "", None),
        (
            "Novo mesto",
            "Sovinek",
            "Sovinek is not a settlement of Novo mesto. Choose one from the municipality's list, "
            "or “other (not on the list)”.",
        ),
        ("", "Otočec", "Enter the municipality first: a settlement is recorded with its municipality."),
        (
            "Krško",
            "other",
            "Settlements are recorded only for the municipalities of the region: for Krško choose “not recorded”.",
        ),
    ],
)
def test_settlement_must_be_one_of_the_municipality(build, municipality, settlement, error):
    form = build(IntakeForm, **{**INTAKE, "municipality": municipality, "settlement": settlement})
    assert form.settlement.errors == ([error] if error else [])
    if error is None:
        assert (form.person_data().municipality, form.person_data().settlement) == (
            {"semič": "Semič"}.get(municipality, municipality),
            settlement,
        )
