"""The partner's reads and the administrators' invitation.

A partner reads only referrals sent to its own organization (a draft was never sent, so it is
not there), and of those it sees the person only while the referral is open: that is what the
consent covers, and a closed referral (declined, completed, cancelled with a withdrawn consent)
shows the service and its state only. Every read of a referral writes an access-log row.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _

from cases.access_log import log_read, log_reads
from cases.referrals.models import OPEN_STATUSES, Referral, ReferralStatus
from cases.referrals.org_link import person_label
from catalog.models import Organization, Service
from catalog.services import term_names
from welfare.accounts import services as accounts
from welfare.errors import ValidationFailed
from welfare.extensions import db
from welfare.models import Role, User

INBOX_LIMIT = 200


@dataclass
class InboxRow:
    referral: Referral
    person: str | None  # None once the referral is closed: the consent covered it while open


def shows_person(referral: Referral) -> bool:
    return referral.status in OPEN_STATUSES


def inbox(partner: User) -> list[InboxRow]:
    """The referrals sent to the partner's organization, newest first; the read is logged for
    every referral whose person is shown."""
    referrals = db.session.scalars(
        sa.select(Referral)
        .where(
            Referral.organization_id == partner.partner_organization_id,
            Referral.status != ReferralStatus.DRAFT,
            Referral.sent_at.is_not(None),
        )
        .order_by(Referral.sent_at.desc(), Referral.id.desc())
        .limit(INBOX_LIMIT)
    ).all()
    shown = [r for r in referrals if shows_person(r)]
    log_reads([(r.case_id, r.case.person_id) for r in shown], what="partner_referral", user=partner)
    return [InboxRow(r, person_label(r) if shows_person(r) else None) for r in referrals]


def get_referral_for_partner_or_404(referral_id: int, partner: User) -> Referral:
    """A referral sent to the partner's organization; the read is logged before it is shown.

    :raise 404: no such referral, a draft, or one sent to another organization (the same
        answer for all three, so ids of other organizations' referrals cannot be probed).
    """
    referral = db.session.get(Referral, referral_id)
    if (
        referral is None
        or referral.organization_id != partner.partner_organization_id
        or referral.status == ReferralStatus.DRAFT
        or referral.sent_at is None
    ):
        abort(404)
    if shows_person(referral):
        log_read(case_id=referral.case_id, person_id=referral.case.person_id, what="partner_referral", user=partner)
    return referral


def domains_of(referral: Referral) -> list[str]:
    """The life domains of the referral's challenges, as the link page shows them."""
    return sorted(set(term_names([c.domain_id for c in referral.challenges]).values()))


def services_of(partner: User) -> list[Service]:
    """The organization's services that are not archived, by name."""
    return list(
        db.session.scalars(
            sa.select(Service)
            .where(Service.organization_id == partner.partner_organization_id, Service.archived_at.is_(None))
            .order_by(Service.name)
        )
    )


def get_service_for_partner_or_404(service_id: str, partner: User) -> Service:
    """:raise 404: no such service, archived, or another organization's."""
    service = db.session.get(Service, service_id[:64])
    if service is None or service.archived_at is not None or service.organization_id != partner.partner_organization_id:
        abort(404)
    return service


# --- administrators ---------------------------------------------------------------------------


def organizations() -> list[Organization]:
    """Organizations a partner may be invited for: those not archived, by name."""
    return list(
        db.session.scalars(
            sa.select(Organization).where(Organization.archived_at.is_(None)).order_by(Organization.name)
        )
    )


def organization_names(ids) -> dict[str, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(Organization.id, Organization.name).where(Organization.id.in_(ids))).all())


def partners() -> list[User]:
    return list(db.session.scalars(sa.select(User).where(User.role == Role.PARTNER).order_by(User.username)))


def invite_partner(username: str, full_name: str, email: str, organization_id: str, actor: User) -> User:
    """A partner account for one organization, its enrollment link e-mailed (the same one-time
    link as for staff: own password, then the second factor at the first login); audited; commit.

    :raise ValidationFailed: unknown or archived organization, the username is taken.
    """
    organization = db.session.get(Organization, organization_id[:64]) if organization_id else None
    if organization is None or organization.archived_at is not None:
        raise ValidationFailed(_("Choose the partner's organization."), field="organization_id")
    user, _outcome = accounts.create_account(
        username, full_name, email, Role.PARTNER, actor=actor, partner_organization_id=organization.id
    )
    return user
