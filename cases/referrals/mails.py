"""The e-mails to an organization about a referral: written in the mail locale (Slovenian by
default) by the caller, plain text, carrying the organization's link."""

from flask_babel import gettext as _

from cases.referrals import links
from cases.referrals.models import LinkPurpose, Referral


def compose(referral: Referral, purpose: LinkPurpose, url: str) -> tuple[str, str]:
    """Subject and plain-text body of the e-mail carrying an answer or outcome link."""
    days = links.link_days()
    if purpose == LinkPurpose.ANSWER:
        subject = _("Referral to %(service)s", service=referral.service.name)
        ask = _("Please tell us through this link whether you can accept the person:")
    else:
        subject = _("Outcome of the referral to %(service)s", service=referral.service.name)
        ask = _("Please tell us through this link when work has started and what the outcome was:")
    lines = [
        _("Hello,"),
        "",
        _("the Local Welfare Office refers a person to your service %(service)s.", service=referral.service.name),
        ask,
        "",
        url,
        "",
        _("The link works once and for %(days)d days. It shows only what the person agreed to share.", days=days),
    ]
    return subject, "\n".join(lines)
