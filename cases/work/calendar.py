"""The per-user calendar feed: a secret URL a phone or desktop calendar subscribes to.

Only the sha256 of the token is stored, so the database never holds a working feed URL; the
token is shown once when it is made. Renewing replaces the hash, which kills the old URL.
The feed carries dates, case numbers and step or deadline titles, never a person's name.
"""

import hashlib
import secrets
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from icalendar import Calendar, Event

from cases.models import Case, Deadline
from cases.plans.models import PlanGoal, PlanStep, StepStatus
from cases.referrals.models import OPEN_STATUSES, Referral
from cases.work.models import CalendarFeed
from cases.work.services import case_is_open, my_case_ids, my_step_ids
from catalog.models import Service
from welfare.clock import local_time, to_utc, today
from welfare.database import utcnow
from welfare.extensions import db
from welfare.models import STAFF_ROLES, User

# Past items stay in the feed this long, so an overdue step still shows where it was due.
FEED_PAST_DAYS = 60
FEED_LIMIT = 500


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def feed_of(user_id: int) -> CalendarFeed | None:
    return db.session.get(CalendarFeed, user_id)


def renew_feed(user_id: int) -> str:
    """Make (or replace) the user's feed token and commit; return the new token.

    The old token stops working in the same commit.
    """
    token = secrets.token_urlsafe(32)
    feed = feed_of(user_id)
    if feed is None:
        feed = CalendarFeed(user_id=user_id)
        db.session.add(feed)
    feed.token_hash = token_hash(token)
    feed.created_at = utcnow()
    db.session.commit()
    return token


def user_for_token(token: str) -> User | None:
    """The enabled office team member whose feed this token opens, or None."""
    if not token or len(token) > 100:
        return None
    user = db.session.scalar(
        sa.select(User)
        .join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.token_hash == token_hash(token))
    )
    if user is None or not user.is_enabled or user.role not in STAFF_ROLES:
        return None
    return user


def feed_items(user_id: int, on: date | None = None) -> list[tuple[str, date | datetime, str]]:
    """(uid, date or UTC time, summary) for the user's due steps, open deadlines, follow-ups of
    cases and referrals, and the appointments organizations proposed.

    Steps: open steps owned by the user or on their open cases. Deadlines and follow-ups:
    on their open cases. Summaries carry the case number and a title only.
    """
    on = on or today()
    since = on - timedelta(days=FEED_PAST_DAYS)
    mine = my_case_ids(user_id)
    steps = db.session.execute(
        sa.select(PlanStep.id, PlanStep.due_on, PlanStep.title, Case.number)
        .select_from(PlanStep)
        .join(PlanGoal, PlanGoal.id == PlanStep.goal_id)
        .join(Case, Case.id == PlanGoal.case_id)
        .where(
            PlanStep.status == StepStatus.OPEN,
            PlanStep.due_on >= since,
            case_is_open(),
            PlanStep.id.in_(my_step_ids(user_id, mine)),
        )
        .order_by(PlanStep.due_on)
        .limit(FEED_LIMIT)
    ).all()
    deadlines = db.session.execute(
        sa.select(Deadline.id, Deadline.due_on, Deadline.title, Deadline.kind, Case.number)
        .select_from(Deadline)
        .join(Case, Case.id == Deadline.case_id)
        .where(
            Deadline.done_on.is_(None),
            Deadline.due_on >= since,
            Deadline.case_id.in_(mine),
        )
        .order_by(Deadline.due_on)
        .limit(FEED_LIMIT)
    ).all()
    follow_ups = db.session.execute(
        sa.select(Case.id, Case.follow_up_on, Case.number)
        .where(Case.id.in_(mine), Case.follow_up_on >= since)
        .order_by(Case.follow_up_on)
        .limit(FEED_LIMIT)
    ).all()
    items = [(f"step-{s.id}", s.due_on, _("%(number)s: %(title)s", number=s.number, title=s.title)) for s in steps]
    items += [
        (
            f"deadline-{d.id}",
            d.due_on,
            _("%(number)s: deadline: %(title)s", number=d.number, title=d.title or d.kind.label),
        )
        for d in deadlines
    ]
    items += [(f"follow-up-{c.id}", c.follow_up_on, _("%(number)s: follow-up", number=c.number)) for c in follow_ups]
    items += _referral_items(mine, since)
    # An appointment is a datetime (a date too, to Python): it sorts on its UTC day.
    return sorted(items, key=lambda item: (_day_of(item[1]), item[0]))


def _day_of(when: date | datetime) -> date:
    return when.date() if isinstance(when, datetime) else when


def _referral_items(mine, since: date) -> list[tuple[str, date | datetime, str]]:
    """Open referrals on the user's cases: follow-up days, and the appointments organizations
    proposed (timed, in UTC)."""
    rows = db.session.execute(
        sa.select(Referral.id, Referral.follow_up_on, Referral.appointment_at, Case.number, Service.name)
        .join(Case, Case.id == Referral.case_id)
        .join(Service, Service.id == Referral.to_service_id)
        .where(
            Referral.case_id.in_(mine),
            Referral.status.in_(OPEN_STATUSES),
            sa.or_(
                Referral.follow_up_on >= since, Referral.appointment_at >= to_utc(datetime.combine(since, time.min))
            ),
        )
        .order_by(Referral.id)
        .limit(FEED_LIMIT)
    ).all()
    items = []
    for r in rows:
        if r.follow_up_on and r.follow_up_on >= since:
            summary = _("%(number)s: referral follow-up: %(service)s", number=r.number, service=r.name)
            items.append((f"referral-follow-up-{r.id}", r.follow_up_on, summary))
        if r.appointment_at and local_time(r.appointment_at).date() >= since:  # the office's day
            summary = _("%(number)s: appointment: %(service)s", number=r.number, service=r.name)
            items.append((f"referral-appointment-{r.id}", r.appointment_at.replace(tzinfo=UTC), summary))
    return items


def build_ics(user_id: int, host: str) -> bytes:
    """The user's feed as an iCalendar document: one event per item."""
    calendar = Calendar()
    calendar.add("prodid", "-//Pisarna lokalne blaginje//Moje delo//SL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("My work"))
    stamp = datetime.now(UTC).replace(microsecond=0)
    for uid, day, summary in feed_items(user_id):
        event = Event()
        event.add("uid", f"{uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        # A timed item (an appointment) gets an hour; a day item is all-day.
        event.add("dtend", day + (timedelta(hours=1) if isinstance(day, datetime) else timedelta(days=1)))
        event.add("summary", summary)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
