"""Read-only lookups for referral pages and the Moje delo panel."""

from datetime import date, timedelta
from types import SimpleNamespace

import sqlalchemy as sa
from flask import abort

from cases.models import Case, case_assignment
from cases.referrals.models import OPEN_STATUSES, Referral, ReferralEvent
from cases.services import today
from catalog.models import Organization, Service
from welfare import mail
from welfare.extensions import db
from welfare.models import User

# Follow-ups due within this many days are listed on Moje delo (as the case follow-ups are).
PANEL_HORIZON_DAYS = 7
PANEL_LIMIT = 20


def get_referral_or_404(case: Case, referral_id: int) -> Referral:
    """:raise 404: no such referral on this case."""
    referral = db.session.scalar(sa.select(Referral).where(Referral.id == referral_id, Referral.case_id == case.id))
    if referral is None:
        abort(404)
    return referral


def referrals_of(case: Case) -> list[Referral]:
    return list(db.session.scalars(sa.select(Referral).where(Referral.case_id == case.id).order_by(Referral.id.desc())))


def delivery_state(referral: Referral) -> str | None:
    """pending / sent / failed of the newest e-mail about the referral, None when none was sent."""
    latest = mail.latest_for(f"referral:{referral.id}")
    return latest.state if latest is not None else None


def actor_names(events: list[ReferralEvent]) -> dict[int, str]:
    ids = {e.actor_id for e in events if e.actor_id}
    if not ids:
        return {}
    rows = db.session.execute(sa.select(User.id, User.full_name, User.username).where(User.id.in_(ids)))
    return {r.id: r.full_name or r.username for r in rows}


def due_follow_ups(user_id: int | None, on: date | None = None, limit: int = PANEL_LIMIT) -> list[SimpleNamespace]:
    """Open referrals whose follow-up date is within the horizon or past (on my cases, or the
    whole office's when user_id is None), earliest first."""
    on = on or today()
    statement = (
        sa.select(Referral.id, Referral.follow_up_on, Referral.status, Case.number, Service.name, Organization.name)
        .join(Case, Case.id == Referral.case_id)
        .join(Service, Service.id == Referral.to_service_id)
        .join(Organization, Organization.id == Referral.organization_id)
        .where(
            Referral.status.in_(OPEN_STATUSES),
            Referral.follow_up_on.is_not(None),
            Referral.follow_up_on <= on + timedelta(days=PANEL_HORIZON_DAYS),
        )
        .order_by(Referral.follow_up_on, Referral.id)
        .limit(limit)
    )
    if user_id is not None:
        mine = sa.select(case_assignment.c.case_id).where(case_assignment.c.user_id == user_id)
        statement = statement.where(Referral.case_id.in_(mine))
    return [
        SimpleNamespace(
            id=r[0], follow_up_on=r[1], status=r[2], number=r[3], service=r[4], organization=r[5], overdue=r[1] < on
        )
        for r in db.session.execute(statement)
    ]
