"""The e-mails to an organization about a referral: plain text in the mail locale (the caller
sets it; Slovenian by default), saying who refers the person and how to reach them, and
carrying the organization's link. Never the person's name or the case number."""

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _

from cases.plans import office_contact
from cases.referrals import links
from cases.referrals.models import LinkPurpose, Referral, ReferralStatus
from welfare.clock import today
from welfare.extensions import db
from welfare.models import User


def referrer_name(referral: Referral) -> str:
    """Who referred: the team member who sent the referral, else who wrote it."""
    sent_by = next((e.actor_id for e in referral.events if e.to_status == ReferralStatus.SENT.value), None)
    user_id = sent_by or referral.created_by_id
    row = db.session.execute(sa.select(User.full_name, User.username).where(User.id == user_id)).first()
    return (row.full_name or row.username) if row else ""


def compose(referral: Referral, purpose: LinkPurpose, url: str) -> tuple[str, str]:
    """Subject and plain-text body of the e-mail carrying an answer or outcome link."""
    office = office_contact()
    worker = referrer_name(referral)
    service = referral.service.name
    if purpose == LinkPurpose.ANSWER:
        subject = _("Referral to %(service)s", service=service)
        opening = _("we are referring a person to your service %(service)s.", service=service)
        ask = _(
            "Please let us know through this link whether you can take the person on. "
            "If you can, you may also propose a first appointment:"
        )
    else:
        subject = _("Outcome of the referral to %(service)s", service=service)
        opening = _("thank you for taking on the person we referred to %(service)s.", service=service)
        ask = _("Please tell us through this link when work has started and what the outcome was:")
    # A plain date, not "in N days": the reader need not count, nor we decline the number.
    until = format_date(today() + timedelta(days=links.link_days()), "d. M. yyyy")
    lines = [
        _("Hello,"),
        "",
        opening,
        _("Referred by: %(who)s", who=", ".join(p for p in (worker, office["name"], office["municipality"]) if p)),
        _("Phone: %(phone)s", phone=office["phone"]),
        "",
        ask,
        "",
        url,
        "",
        _("You can use the link once, until %(date)s.", date=until),
        _("It shows only what the person agreed to share with you."),
        _("If you have any questions, call us at %(phone)s.", phone=office["phone"]),
        "",
        _("Kind regards,"),
        worker or None,
        f"{office['name']}, {office['municipality']}",
    ]
    return subject, "\n".join(line for line in lines if line is not None)
