"""The de-identified facts the trend reports read, as counts per category and month.

This narrow query layer is the only place reports touch case tables, and it reads only:
case opened_on / closed_on / status / outcome; the person's birth year (or the year of the
birth date: the age band at opening is computed here and nothing finer leaves), gender,
municipality and settlement; each challenge's life domain and urgency; the date
of the first plan goal; the *role* of assignees (never who); anonymous contacts' date,
channel and domains. Names, free text, exact birth dates and staff identities are never
selected. Retention/anonymization must keep exactly these columns (and may blank the rest)
for the reports to stay complete; if it blanks birth_date it must keep birth_year.

Aggregation happens in the database (GROUP BY month), so 100,000 cases stay fast without a
separate fact table. A month index is year * 12 + month - 1 (see `periods.month_index`).
"""

from collections import defaultdict
from collections.abc import Hashable
from datetime import date, datetime, time

import sqlalchemy as sa

from cases.models import AnonymousContact, Case, Challenge, Person, anonymous_contact_domain, case_assignment
from cases.plans.models import PlanGoal
from catalog.models import TaxonomyTerm
from welfare.extensions import db
from welfare.models import User

Monthly = dict[Hashable, dict[int, int]]
AGE_BANDS = ("0-17", "18-25", "26-40", "41-64", "65+")
UNKNOWN = "unknown"
CHALLENGE_BUCKETS = ("0", "1", "2", "3", "4+")


def _collect(rows) -> Monthly:
    monthly: Monthly = defaultdict(dict)
    for category, year, month, count in rows:
        index = int(year) * 12 + int(month) - 1
        key = UNKNOWN if category is None or category == "" else category
        monthly[key][index] = monthly[key].get(index, 0) + int(count)
    return dict(monthly)


def _totals(rows) -> dict[int, int]:
    return {int(year) * 12 + int(month) - 1: int(count) for year, month, count in rows}


def _ym(column):
    return sa.extract("year", column), sa.extract("month", column)


def _in(column, since: date, until: date):
    """since <= column < until, for date and datetime columns alike."""
    if isinstance(column.type, sa.DateTime):
        return sa.and_(column >= datetime.combine(since, time.min), column < datetime.combine(until, time.min))
    return sa.and_(column >= since, column < until)


def _top_domain():
    """The life domain at the top of the taxonomy (a sub-domain counts for its parent)."""
    return sa.func.coalesce(TaxonomyTerm.parent_id, TaxonomyTerm.id)


def _grouped(category, date_column, since, until, count=None, joins=(), where=()) -> Monthly:
    year, month = _ym(date_column)
    statement = sa.select(category, year, month, count if count is not None else sa.func.count())
    statement = statement.select_from(date_column.class_)  # the record the date belongs to
    for target, on in joins:
        statement = statement.join(target, on)
    statement = statement.where(_in(date_column, since, until), *where).group_by(category, year, month)
    return _collect(db.session.execute(statement))


# ---- new cases ------------------------------------------------------------------------------


def cases_opened(since: date, until: date) -> dict[int, int]:
    year, month = _ym(Case.opened_on)
    return _totals(
        db.session.execute(
            sa.select(year, month, sa.func.count()).where(_in(Case.opened_on, since, until)).group_by(year, month)
        )
    )


def cases_by_domain(since: date, until: date) -> Monthly:
    """New cases with at least one challenge in the domain (a case may count in several)."""
    return _grouped(
        _top_domain(),
        Case.opened_on,
        since,
        until,
        count=sa.func.count(sa.distinct(Case.id)),
        joins=[(Challenge, Challenge.case_id == Case.id), (TaxonomyTerm, TaxonomyTerm.id == Challenge.domain_id)],
    )


def age_band_expression():
    birth_year = sa.func.coalesce(Person.birth_year, sa.extract("year", Person.birth_date))
    age = sa.extract("year", Case.opened_on) - birth_year
    return sa.case(
        (birth_year.is_(None), UNKNOWN),
        (age < 18, "0-17"),
        (age < 26, "18-25"),
        (age < 41, "26-40"),
        (age < 65, "41-64"),
        else_="65+",
    )


PERSON_FACTS = {
    "age_band": age_band_expression,
    "gender": lambda: Person.gender,
    "municipality": lambda: Person.municipality,
    "settlement": lambda: Person.settlement,
}


def cases_by_person_fact(fact: str, since: date, until: date) -> Monthly:
    """New cases by one de-identified fact about the person (age band, gender, place)."""
    monthly = _grouped(
        PERSON_FACTS[fact](), Case.opened_on, since, until, joins=[(Person, Person.id == Case.person_id)]
    )
    return {getattr(key, "value", key): counts for key, counts in monthly.items()}


def challenges_per_case(since: date, until: date) -> Monthly:
    """New cases by how many challenges they record (0, 1, 2, 3, 4 or more)."""
    per_case = (
        sa.select(Case.opened_on.label("opened_on"), sa.func.count(Challenge.id).label("n"))
        .outerjoin(Challenge, Challenge.case_id == Case.id)
        .where(_in(Case.opened_on, since, until))
        .group_by(Case.id, Case.opened_on)
        .subquery()
    )
    bucket = sa.case((per_case.c.n >= 4, "4+"), else_=sa.cast(per_case.c.n, sa.String))
    year, month = _ym(per_case.c.opened_on)
    rows = db.session.execute(sa.select(bucket, year, month, sa.func.count()).group_by(bucket, year, month))
    return _collect(rows)


# ---- challenges (demand) ----------------------------------------------------------------------


# Challenges count in the month their case was opened: nearly all are recorded at intake, and
# one date for every case figure keeps the tables of a period about the same cases.


def challenges_by_urgency(since: date, until: date) -> Monthly:
    monthly = _grouped(
        Challenge.urgency, Case.opened_on, since, until, joins=[(Challenge, Challenge.case_id == Case.id)]
    )
    return {getattr(key, "value", key): counts for key, counts in monthly.items()}


def challenges_by_domain(since: date, until: date) -> Monthly:
    return _grouped(
        _top_domain(),
        Case.opened_on,
        since,
        until,
        joins=[(Challenge, Challenge.case_id == Case.id), (TaxonomyTerm, TaxonomyTerm.id == Challenge.domain_id)],
    )


# ---- anonymous contacts -----------------------------------------------------------------------


def contacts(since: date, until: date) -> dict[int, int]:
    year, month = _ym(AnonymousContact.occurred_on)
    return _totals(
        db.session.execute(
            sa.select(year, month, sa.func.count())
            .where(_in(AnonymousContact.occurred_on, since, until))
            .group_by(year, month)
        )
    )


def contacts_by_domain(since: date, until: date) -> Monthly:
    return _grouped(
        _top_domain(),
        AnonymousContact.occurred_on,
        since,
        until,
        count=sa.func.count(sa.distinct(AnonymousContact.id)),
        joins=[
            (anonymous_contact_domain, anonymous_contact_domain.c.contact_id == AnonymousContact.id),
            (TaxonomyTerm, TaxonomyTerm.id == anonymous_contact_domain.c.term_id),
        ],
    )


def contacts_by_channel(since: date, until: date) -> Monthly:
    monthly = _grouped(AnonymousContact.channel, AnonymousContact.occurred_on, since, until)
    return {getattr(key, "value", key): counts for key, counts in monthly.items()}


# ---- case flow --------------------------------------------------------------------------------


def cases_closed_by_outcome(since: date, until: date) -> Monthly:
    monthly = _grouped(Case.outcome, Case.closed_on, since, until)
    return {getattr(key, "value", key): counts for key, counts in monthly.items()}


def _open_on(day: date):
    """Cases open at the end of `day` (opened by then, not closed by then)."""
    return sa.and_(Case.opened_on <= day, sa.or_(Case.closed_on.is_(None), Case.closed_on > day))


def open_at(day: date) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Case).where(_open_on(day))) or 0


def caseload_by_role(day: date) -> dict[str, int]:
    """Cases open at the end of `day` per team role of their assignees (today's assignment;
    a case with two assignees of different roles counts for both), and those with none."""
    rows = db.session.execute(
        sa.select(User.role, sa.func.count(sa.distinct(Case.id)))
        .join(case_assignment, case_assignment.c.case_id == Case.id)
        .join(User, User.id == case_assignment.c.user_id)
        .where(_open_on(day))
        .group_by(User.role)
    )
    counts = {getattr(role, "value", role): int(n) for role, n in rows}
    assigned = sa.select(case_assignment.c.case_id)
    counts["unassigned"] = (
        db.session.scalar(sa.select(sa.func.count()).select_from(Case).where(_open_on(day), Case.id.not_in(assigned)))
        or 0
    )
    return counts


def days_to_first_plan(since: date, until: date) -> list[int]:
    """For cases opened in the range that have a plan: days from opening to the first goal."""
    rows = db.session.execute(
        sa.select(Case.opened_on, sa.func.min(PlanGoal.created_at))
        .join(PlanGoal, PlanGoal.case_id == Case.id)
        .where(_in(Case.opened_on, since, until))
        .group_by(Case.id, Case.opened_on)
    )
    return [max((_as_date(first) - opened).days, 0) for opened, first in rows]


def days_to_closure(since: date, until: date) -> list[int]:
    """For cases closed in the range: days from opening to closing."""
    rows = db.session.execute(
        sa.select(Case.opened_on, Case.closed_on).where(_in(Case.closed_on, since, until), Case.closed_on.is_not(None))
    )
    return [max((closed - opened).days, 0) for opened, closed in rows]


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):  # SQLite returns min() over a datetime column as text
        return datetime.fromisoformat(value).date()
    return value
