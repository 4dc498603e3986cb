"""The referral slip for the person: contents, QR code of the public service page, narrow width,
confidential address hidden, access-log row for the print."""

import pytest
import segno
import sqlalchemy as sa

from cases.access_log import CaseAccess
from catalog.details import Contact, RequiredDocument, Schedule
from catalog.models import Service
from tests.factories import add_phone
from tests.ref_helpers import create_referral, referral_setup
from welfare.extensions import db


@pytest.fixture
def staff(login_as):
    return login_as("organizer")


def _with_details(app, setup):
    with app.app_context():
        service = db.session.get(Service, setup["service_id"])
        service.required_documents.append(RequiredDocument(document="Osebni dokument in zadnji opomin"))
        service.contacts.append(Contact(name="Mojca Novak", title="svetovalka"))
        service.schedules.append(Schedule(freq="WEEKLY", byday="MO,WE", opens_at="08:00", closes_at="12:00"))
        service.application_process = "Pokličite in se dogovorite za termin."
        add_phone(service, "07 332 11 22")
        service.service_at_locations[0].location.transportation = "Avtobus 3, postaja Glavni trg."
        db.session.commit()


def test_slip_tells_where_when_what_to_bring_and_whom_to_ask(app, staff):
    setup = referral_setup(app)
    _with_details(app, setup)
    referral_id = create_referral(staff, setup)
    response = staff.get(f"/cases/{setup['number']}/referrals/{referral_id}/slip")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in (
        "Dolžniško svetovanje",
        "Društvo za pomoč",
        "Glavni trg 7, 8000 Novo mesto",
        "Avtobus 3, postaja Glavni trg.",
        "08:00–12:00",
        "Osebni dokument in zadnji opomin",
        "Mojca Novak",
        "07 332 11 22",
        "Pokličite in se dogovorite za termin.",
        "Marija Horvat",
    ):
        assert text in html, text
    assert "Neplačani računi" not in html  # the challenge's description stays internal
    assert "Prosimo za pogovor" not in html  # and so does the note for the organization
    with app.app_context():
        row = db.session.scalar(sa.select(CaseAccess).where(CaseAccess.action == "print"))
        assert (row.what, row.purpose) == ("referral", "for_person")


def test_qr_code_is_the_svg_of_the_absolute_public_service_url(app, staff):
    setup = referral_setup(app)
    referral_id = create_referral(staff, setup)
    html = staff.get(f"/cases/{setup['number']}/referrals/{referral_id}/slip").get_data(as_text=True)
    url = f"http://localhost/services/{setup['service_id']}"
    assert url in html
    assert segno.make(url, error="m").svg_inline(omitsize=True, light="#fff") in html
    # A different URL gives a different code, so the check above means something.
    assert segno.make(url + "x", error="m").svg_inline(omitsize=True, light="#fff") not in html
    assert "<svg" in html and "<img" not in html
    # Scaled by the stylesheet through its viewBox, never cropped by a fixed pixel size
    # (tests/browser/test_slip_qr.py decodes the printed code).
    svg_tag = html.split("<svg", 1)[1].split(">", 1)[0]
    assert "viewBox=" in svg_tag and "width=" not in svg_tag


def test_narrow_receipt_width(app, staff):
    setup = referral_setup(app)
    referral_id = create_referral(staff, setup)
    base = f"/cases/{setup['number']}/referrals/{referral_id}/slip"
    assert 'class="print-view slip slip-narrow"' in staff.get(base + "?width=narrow").get_data(as_text=True)
    assert "slip-narrow" not in staff.get(base).get_data(as_text=True).split("<body")[1].split(">")[0]
    # An unknown width falls back to A4 (no error page on a print link).
    wide = staff.get(base + "?width=wide")
    assert wide.status_code == 200 and 'class="print-view slip"' in wide.get_data(as_text=True)


def test_confidential_location_never_prints_its_address(app, staff):
    setup = referral_setup(app, confidential=True)
    referral_id = create_referral(staff, setup)
    html = staff.get(f"/cases/{setup['number']}/referrals/{referral_id}/slip").get_data(as_text=True)
    assert "Glavni trg" not in html
    assert "will tell you where and how you will be met" in html


def test_service_without_its_own_place_prints_the_organizations_address(app, staff):
    from catalog.details import Address
    from catalog.models import Location

    setup = referral_setup(app)
    with app.app_context():
        service = db.session.get(Service, setup["service_id"])
        service.service_at_locations.clear()
        office = Location(organization=service.organization, name="Sedež društva")
        office.addresses.append(Address(address_1="Ljubljanska cesta 3", city="Novo mesto", postal_code="8000"))
        db.session.add(office)
        db.session.commit()
    referral_id = create_referral(staff, setup)
    html = staff.get(f"/cases/{setup['number']}/referrals/{referral_id}/slip").get_data(as_text=True)
    assert "Ljubljanska cesta 3, 8000 Novo mesto" in html
    assert "The Local Welfare Office can help you get in touch." not in html  # the service has an e-mail
