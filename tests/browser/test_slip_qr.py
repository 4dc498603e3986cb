"""The QR code on the printed referral slip is readable: the slip is rendered with print
media emulation at A4 and at receipt width, screenshot to a PNG, and decoded with zxing-cpp
to the service's public URL (a cropped or blurred code decodes to nothing)."""

import io

import pytest
import zxingcpp
from PIL import Image

from cases.referrals.models import Referral, ReferralStatus
from tests.conftest import PASSWORD, create_user
from tests.ref_helpers import case_id, referral_setup
from welfare.extensions import db
from welfare.models import Role

# At 96 px per inch: an A4 sheet is 794 px wide, an 80 mm receipt 302 px.
WIDTHS = {"a4": 794, "narrow": 302}


@pytest.fixture(scope="module")
def slip_referral(live_app):
    create_user(live_app, Role.ORGANIZER, "slip-organizer")
    # The live app is shared with other modules, which number their cases too: take the next number.
    with live_app.app_context():
        from cases.services import next_case_number

        number = next_case_number(2026)
        db.session.commit()
    setup = referral_setup(live_app, number=number)
    number_case_id = case_id(live_app, setup["number"])
    with live_app.app_context():
        referral = Referral(
            case_id=number_case_id,
            to_service_id=setup["service_id"],
            organization_id=setup["org_id"],
            status=ReferralStatus.SENT,
        )
        db.session.add(referral)
        db.session.commit()
        return {**setup, "referral_id": referral.id}


@pytest.mark.browser
@pytest.mark.parametrize("width", ["a4", "narrow"])
def test_printed_slip_qr_code_decodes_to_the_public_service_page(browser, base_url, slip_referral, width):
    # Device scale 1: the coarsest rendering a printer driver or a screenshot would give.
    context = browser.new_context(locale="sl-SI", viewport={"width": WIDTHS[width], "height": 1100})
    page = context.new_page()
    try:
        page.goto(base_url + "/login")
        page.get_by_label("Uporabniško ime").fill("slip-organizer")
        page.get_by_label("Geslo").fill(PASSWORD)
        page.get_by_role("button", name="Prijava").click()
        page.wait_for_url(base_url + "/cases/")
        page.emulate_media(media="print")
        page.goto(
            f"{base_url}/cases/{slip_referral['number']}/referrals/{slip_referral['referral_id']}/slip?width={width}"
        )
        png = page.screenshot(full_page=True)
    finally:
        context.close()

    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    assert [code.text for code in decoded if code.format == zxingcpp.BarcodeFormat.QRCode] == [
        f"{base_url}/services/{slip_referral['service_id']}"
    ]
