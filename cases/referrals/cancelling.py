"""Referrals the case's own life ends: a consent withdrawn (each referral resting on it moves to
another consent that covers the organization, or is cancelled) and a case closed (its open
referrals cancelled with the reason). Part of the caller's transaction: the intake services
that withdraw the consent or close the case commit."""

import sqlalchemy as sa
from flask_babel import gettext as _

from cases.access_log import AccessAction
from cases.models import Case, Consent
from cases.referrals.consent import covering_consent
from cases.referrals.models import OPEN_STATUSES, Referral, ReferralStatus
from cases.referrals.services import apply_status, log_referral
from welfare.extensions import db

# --- consent withdrawal -----------------------------------------------------------------------


def cancel_for_withdrawn_consent(consent: Consent, user) -> int:
    """Open referrals resting on a withdrawn consent: moved to another active consent that covers
    the organization, or cancelled with the reason. Part of the caller's transaction (no commit).
    Returns how many were cancelled."""
    cancelled = 0
    referrals = db.session.scalars(
        sa.select(Referral).where(Referral.consent_id == consent.id, Referral.status.in_(OPEN_STATUSES))
    )
    for referral in referrals:
        other = covering_consent(referral.case, referral.organization, excluding=consent)
        if other is not None:
            referral.consent_id = other.id
            continue
        apply_status(referral, ReferralStatus.CANCELLED, user=user, note=_("The person withdrew the consent."))
        log_referral(referral, AccessAction.EDIT, user)
        cancelled += 1
    return cancelled


# --- closing the case -------------------------------------------------------------------------


def open_referrals_of(case: Case) -> list[Referral]:
    """The case's referrals still open (a draft, or sent, accepted, in progress), oldest first."""
    return list(
        db.session.scalars(
            sa.select(Referral)
            .where(Referral.case_id == case.id, Referral.status.in_(OPEN_STATUSES))
            .order_by(Referral.id)
        )
    )


def cancel_open_referrals(case: Case, reason: str, user) -> int:
    """Cancel every open referral of a case being closed, with the reason (the organization's
    links stop working). Part of the caller's transaction (no commit). Returns how many."""
    referrals = open_referrals_of(case)
    for referral in referrals:
        apply_status(referral, ReferralStatus.CANCELLED, user=user, note=reason)
        log_referral(referral, AccessAction.EDIT, user)
    return len(referrals)
