"""The organization's answer from its partner inbox (cases/partners/): the same rules, event and
side effects as an answer through its link (`services.organization_answer`), the event naming
the partner user; conflicts (a stale page, a double submit, the link answering first) are the
version check's."""

from flask_babel import lazy_gettext as _l

from cases.access_log import AccessAction
from cases.referrals import appointments, links
from cases.referrals.models import TRANSITIONS, LinkPurpose, Referral, ReferralStatus
from cases.referrals.services import finish_answer, log_referral, organization_answer, organization_target
from welfare.errors import Conflict
from welfare.versioning import check_version, conflict_if_stale


def waiting_for(referral: Referral) -> LinkPurpose | None:
    """What the referral waits for from its organization: an answer (sent), the outcome
    (accepted, in progress), or nothing."""
    if referral.status == ReferralStatus.SENT:
        return LinkPurpose.ANSWER
    if referral.status in (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS):
        return LinkPurpose.OUTCOME
    return None


ANSWERED = _l("This referral was answered or changed in the meantime. Nothing was changed; see its current state.")


@conflict_if_stale(ANSWERED)
def answer_as_partner(
    referral: Referral,
    to: str,
    partner,
    version,
    *,
    reason=None,
    outcome=None,
    note: str = "",
    appointment: appointments.Appointment | None = None,
) -> None:
    """The organization answers in its inbox, exactly as through its link (the same rules, event
    and side effects), the event naming the partner user. The links still out there are spent:
    the referral has its answer. No new outcome link is mailed: the partner reports in the inbox.

    :raise Conflict: the page was stale (answered through the link, a double submit, a staff
        change), or the referral waits for no answer now.
    :raise ValidationFailed: a decline without reason, an outcome missing, a bad appointment.
    """
    try:
        check_version(referral, version)
    except Conflict:
        raise Conflict(str(ANSWERED)) from None
    purpose = waiting_for(referral)
    if purpose is None:
        raise Conflict(str(ANSWERED))
    target = organization_target(to, purpose)
    if target not in TRANSITIONS[referral.status]:
        raise Conflict(str(ANSWERED))
    organization_answer(referral, target, partner, reason=reason, outcome=outcome, note=note, appointment=appointment)
    links.spend_open_links(referral)
    log_referral(referral, AccessAction.EDIT, partner)
    finish_answer(referral, partner.email or referral.to_email)
