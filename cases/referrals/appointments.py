"""The first appointment an organization proposes when it accepts a referral through its link:
checked and stored here, listed for Moje delo and the calendar feed.

Times are typed on the office's wall clock and stored as naive UTC, like the timeline's."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import sqlalchemy as sa
from flask_babel import gettext as _

from cases.models import Case, case_assignment
from cases.referrals.models import OPEN_STATUSES, Referral
from catalog.models import Organization, Service
from welfare.clock import OFFICE_TZ, today
from welfare.database import utcnow
from welfare.errors import ValidationFailed
from welfare.extensions import db

# Moje delo lists appointments from today up to this many days ahead.
PANEL_HORIZON_DAYS = 14
PANEL_LIMIT = 20


@dataclass
class Appointment:
    at: datetime | None  # the office's wall clock, as typed
    note: str = ""

    @property
    def given(self) -> bool:
        return self.at is not None or bool(self.note.strip())


def propose(referral: Referral, appointment: Appointment) -> None:
    """Record the proposed appointment on the referral (the caller commits).

    :raise ValidationFailed: words without a date and time, or a time already past.
    """
    if appointment.at is None:
        raise ValidationFailed(_("Enter the date and time of the appointment."), field="appointment_at")
    stored = appointment.at.replace(tzinfo=OFFICE_TZ).astimezone(UTC).replace(tzinfo=None)
    if stored < utcnow():
        raise ValidationFailed(_("The appointment cannot be in the past."), field="appointment_at")
    referral.appointment_at = stored
    referral.appointment_note = appointment.note.strip()


def upcoming(user_id: int | None, on: date | None = None, *, days: int = PANEL_HORIZON_DAYS, limit=PANEL_LIMIT) -> list:
    """Appointments of open referrals from the start of `on` (today) for `days` days, on my
    cases (or the office's when user_id is None), earliest first; `at` as stored (UTC)."""
    on = on or today()
    start = datetime.combine(on, datetime.min.time()).replace(tzinfo=OFFICE_TZ).astimezone(UTC).replace(tzinfo=None)
    statement = (
        sa.select(Referral.id, Referral.appointment_at, Referral.case_id, Case.number, Service.name, Organization.name)
        .join(Case, Case.id == Referral.case_id)
        .join(Service, Service.id == Referral.to_service_id)
        .join(Organization, Organization.id == Referral.organization_id)
        .where(
            Referral.status.in_(OPEN_STATUSES),
            Referral.appointment_at >= start,
            Referral.appointment_at < start + timedelta(days=days),
        )
        .order_by(Referral.appointment_at, Referral.id)
        .limit(limit)
    )
    if user_id is not None:
        mine = sa.select(case_assignment.c.case_id).where(case_assignment.c.user_id == user_id)
        statement = statement.where(Referral.case_id.in_(mine))
    return [
        SimpleNamespace(id=r[0], at=r[1], case_id=r[2], number=r[3], service=r[4], organization=r[5])
        for r in db.session.execute(statement)
    ]
