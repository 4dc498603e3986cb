"""Form-level validation of the staff service form, without HTTP."""

import pytest
from werkzeug.datastructures import MultiDict

from catalog.seed import load_taxonomies
from catalog.staff.forms import ServiceForm
from tests.factories import make_org
from welfare.extensions import db


@pytest.fixture
def form_for(database_app):
    with database_app.test_request_context(method="POST"):
        load_taxonomies()
        org = make_org()
        db.session.commit()

        def build(**overrides):
            data = MultiDict(
                {
                    "name": "Storitev",
                    "organization_id": org.id,
                    "status": "active",
                    "description": "Opis.",
                    "areas": "Novo mesto",
                    "domains": "pisarna-zivljenjska-podrocja:dolgovi",
                }
            )
            for key, value in overrides.items():
                data.setlist(key, value if isinstance(value, list) else [value])
            form = ServiceForm(formdata=data, meta={"csrf": False})
            form.validate()
            return form

        yield build


def test_valid_form_has_no_errors(form_for):
    form = form_for(weekly_hours="pon 08:00-12:00", address_1="Glavni trg 1", postal_code="8000", city="Novo mesto")
    assert form.errors == {}
    details = form.details()
    assert details.weekly == [("MO", "08:00", "12:00")]
    assert details.address == {"address_1": "Glavni trg 1", "postal_code": "8000", "city": "Novo mesto"}


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"postal_code": "8000"}, "postal_code", "Fill in street, postal code and town, or leave all three empty."),
        (
            {"address_1": "Trg 1", "postal_code": "800", "city": "Novo mesto"},
            "postal_code",
            "A Slovenian postal code has four digits.",
        ),
        (
            {"weekly_hours": "pon 8:00-"},
            "weekly_hours",
            "Line 1: write the hours as 08:00-15:00 (opening before closing).",
        ),
        ({"exceptions": "jutri zaprto"}, "exceptions", "Line 1: start with a date written as 2026-12-24."),
        ({"minimum_age": "150"}, "minimum_age", "Enter an age between 0 and 120."),
        ({"domains": []}, "domains", "Choose at least one life domain."),
        (
            {"phones": "07 123 45 67\nnapačno"},
            "phones",
            '"napačno" is not a phone number; use digits, spaces and + only.',
        ),
    ],
)
def test_field_errors(form_for, overrides, field, message):
    assert form_for(**overrides).errors[field] == [message]
