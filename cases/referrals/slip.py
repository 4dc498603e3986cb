"""The referral slip (napotnica) for the person: where to go, when it is open, what to bring,
whom to ask, and a QR code of the public service page. A4 by default, `?width=narrow` for a
receipt printer. A confidential location (a safe house) never prints its address.

Printing is a disclosure of case data on paper: it writes an access-log row (purpose: a copy
for the person)."""

import segno
from flask import render_template
from markupsafe import Markup

from cases.access_log import AccessAction, record_access
from cases.plans import office_contact
from cases.referrals import bp, queries
from cases.services import get_case_or_404
from catalog import hours
from catalog.models import Service
from catalog.services import public_addresses, public_locations_of, with_details
from welfare import params
from welfare.clock import today
from welfare.database import begin_write
from welfare.extensions import db
from welfare.urls import public_url

WIDTHS = ("a4", "narrow")


def service_url(service_id: str) -> str:
    """The absolute public page of the service: what the QR code opens."""
    return public_url("catalog.service", service_id=service_id)


def qr_svg(url: str) -> Markup:
    """The QR code of `url` as inline SVG (no file, no external request).

    The SVG has a viewBox and no fixed size, so the stylesheet scales the whole symbol,
    quiet zone included; a fixed width/height with a smaller CSS box would crop it. The
    light modules are painted white so the quiet zone survives a tinted background."""
    svg = segno.make(url, error="m").svg_inline(omitsize=True, light="#fff")
    return Markup(svg)  # noqa: S704 (segno's own SVG markup of a URL we built)


@bp.route("/<number>/referrals/<int:referral_id>/slip")
def slip(number: str, referral_id: int):
    case = get_case_or_404(number)
    referral = queries.get_referral_or_404(case, referral_id)
    width = params.choice("width", WIDTHS, "a4")
    service = db.session.scalar(with_details(db.select(Service).where(Service.id == referral.to_service_id)))
    begin_write()
    record_access(AccessAction.PRINT, case_id=case.id, person_id=case.person_id, what="referral", purpose="for_person")
    db.session.commit()
    url = service_url(service.id)
    contact = next((c for c in service.contacts if c.name), None)
    phones = [p.number for p in service.phones] or [p.number for p in service.organization.phones]
    return render_template(
        "cases/referrals/slip.html",
        case=case,
        referral=referral,
        service=service,
        locations=public_locations_of(service),
        # A service without its own place: the organization's public addresses (never for a safe house).
        org_addresses=[] if service.is_confidential_location else public_addresses(service.organization),
        week=hours.weekly_table(service.schedules),
        contact=contact,
        phones=phones,
        qr=qr_svg(url),
        service_url=url,
        narrow=width == "narrow",
        printed_on=today(),
        office=office_contact(),
    )
