"""The de-identified facts the trend reports read, as counts per category and month.

This narrow query layer is the only place reports touch case tables, and it reads only:
case opened_on / closed_on / status / outcome; the person's birth year (or the year of the
birth date: the age band at opening is computed here and nothing finer leaves), gender,
municipality and settlement; each challenge's life domain and urgency; the date
of the first plan goal; the *role* of assignees (never who); anonymous contacts' date,
channel and domains. Names, free text, exact birth dates and staff identities are never
selected. Retention/anonymization must keep exactly these columns (and may blank the rest)
for the reports to stay complete; if it blanks birth_date it must keep birth_year.

Aggregation happens in the database, one GROUP BY per kind of record (a "cube" of cases by
month, age band, gender and place; one of challenges by month, domain and urgency; ...) whose
margins give the figures. These live queries fill the monthly fact table the reports read
(`store`, for the months a write changed; `stored` reads it back with the same answers). Months are grouped on
the ISO date text (SQLite) or to_char (PostgreSQL), which is cheaper than EXTRACT per row.
A month index is year * 12 + month - 1 (see `periods.month_index`).
"""

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
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
PERSON_FACTS = ("age_band", "gender", "municipality", "settlement")


def is_sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def month_of(column):
    """'YYYY-MM' of a date or date-time column."""
    if is_sqlite():
        return sa.func.substr(column, 1, 7)  # SQLite keeps dates as ISO text
    return sa.func.to_char(column, "YYYY-MM")


def _year(column):
    if is_sqlite():
        return sa.cast(sa.func.substr(column, 1, 4), sa.Integer)
    return sa.extract("year", column)


def day_of(column):
    """The date of a date-time column (its day, for whole-day differences)."""
    return sa.func.date(column) if is_sqlite() else sa.cast(column, sa.Date)


def days_between(later, earlier):
    """Whole days from `earlier` to `later` (both dates)."""
    if is_sqlite():
        return sa.cast(sa.func.julianday(later) - sa.func.julianday(earlier), sa.Integer)
    return later - earlier  # date - date is an integer on PostgreSQL


def _index(month_text: str) -> int:
    return int(month_text[:4]) * 12 + int(month_text[5:7]) - 1


def _key(value) -> Hashable:
    value = getattr(value, "value", value)  # enums as their stored value
    return UNKNOWN if value is None or value == "" else value


def _cube(rows) -> dict[tuple, dict[int, int]]:
    """Rows of (*dimensions, 'YYYY-MM', count) as {dimensions: {month index: count}}."""
    cube: dict[tuple, dict[int, int]] = defaultdict(dict)
    for *dims, month, count in rows:
        key, index = tuple(_key(d) for d in dims), _index(month)
        cube[key][index] = cube[key].get(index, 0) + int(count)
    return dict(cube)


def margin(cube: dict[tuple, dict[int, int]], dimension: int) -> Monthly:
    """One dimension of a cube: {category: {month: count}}."""
    monthly: Monthly = defaultdict(dict)
    for key, months in cube.items():
        counts = monthly[key[dimension]]
        for month, n in months.items():
            counts[month] = counts.get(month, 0) + n
    return dict(monthly)


def cube_totals(cube: dict[tuple, dict[int, int]]) -> dict[int, int]:
    totals: dict[int, int] = {}
    for months in cube.values():
        for month, n in months.items():
            totals[month] = totals.get(month, 0) + n
    return totals


@dataclass(frozen=True)
class Span:
    """The days a query reads: half-open ranges [since, until) (a page's periods and their
    comparisons, without the months between them)."""

    ranges: tuple[tuple[date, date], ...]

    @classmethod
    def of(cls, since: date, until: date) -> "Span":
        return cls(((since, until),))


def in_span(column, span: Span):
    """The column within the span, for date and datetime columns alike."""
    if isinstance(column.type, sa.DateTime):
        return sa.or_(
            *(
                sa.and_(column >= datetime.combine(a, time.min), column < datetime.combine(b, time.min))
                for a, b in span.ranges
            )
        )
    return sa.or_(*(sa.and_(column >= a, column < b) for a, b in span.ranges))


def top_domain():
    """The life domain at the top of the taxonomy (a sub-domain counts for its parent)."""
    return sa.func.coalesce(TaxonomyTerm.parent_id, TaxonomyTerm.id)


def grouped(dimensions, date_column, span: Span, distinct=None, joins=()) -> dict[tuple, dict[int, int]]:
    """Counts of rows (or of distinct `distinct` values) by the dimensions and month.

    The dimensions are computed in a subquery and grouped outside it: PostgreSQL would not
    match a CASE with bound parameters in SELECT to its copy in GROUP BY."""
    columns = [d.label(f"d{i}") for i, d in enumerate(dimensions)] + [month_of(date_column).label("month")]
    if distinct is not None:
        columns.append(distinct.label("rid"))
    inner = sa.select(*columns).select_from(date_column.class_)  # the record the date belongs to
    for target, on, *outer in joins:  # (target, on[, True for an outer join])
        inner = inner.join(target, on, isouter=bool(outer and outer[0]))
    inner = inner.where(in_span(date_column, span)).subquery()
    keys = [inner.c[f"d{i}"] for i in range(len(dimensions))] + [inner.c.month]
    count = sa.func.count(sa.distinct(inner.c.rid)) if distinct is not None else sa.func.count()
    return _cube(db.session.execute(sa.select(*keys, count).group_by(*keys)))


def single(cube: dict[tuple, dict[int, int]]) -> Monthly:
    return margin(cube, 0)


# ---- new cases ------------------------------------------------------------------------------


def age_band_expression():
    birth_year = sa.func.coalesce(Person.birth_year, _year(Person.birth_date))
    age = _year(Case.opened_on) - birth_year
    return sa.case(
        (birth_year.is_(None), UNKNOWN),
        (age < 18, "0-17"),
        (age < 26, "18-25"),
        (age < 41, "26-40"),
        (age < 65, "41-64"),
        else_="65+",
    )


def person_figures(span: Span) -> tuple[dict[str, Monthly], dict[int, int]]:
    """New cases by each of `PERSON_FACTS` (age band at opening, gender, municipality,
    settlement) per month, and new cases per month. Two small cubes, (age band, gender) and
    (municipality, settlement), not one of all four: its groups would be nearly one per case
    over a long range, and turning those into margins in Python cost more than a second scan."""
    people = [(Person, Person.id == Case.person_id)]
    ages = grouped([age_band_expression(), Person.gender], Case.opened_on, span, joins=people)
    places = grouped([Person.municipality, Person.settlement], Case.opened_on, span, joins=people)
    figures = {"age_band": margin(ages, 0), "gender": margin(ages, 1)}
    figures |= {"municipality": margin(places, 0), "settlement": margin(places, 1)}
    return figures, cube_totals(ages)


def cases_by_domain(span: Span) -> Monthly:
    """New cases with at least one challenge in the domain (a case may count in several)."""
    return single(
        grouped(
            [top_domain()],
            Case.opened_on,
            span,
            distinct=Case.id,
            joins=[(Challenge, Challenge.case_id == Case.id), (TaxonomyTerm, TaxonomyTerm.id == Challenge.domain_id)],
        )
    )


def challenges_per_case(span: Span) -> Monthly:
    """New cases by how many challenges they record (0, 1, 2, 3, 4 or more): a count on the
    challenges' case index per case, not a join and GROUP BY of every challenge."""
    n = sa.select(sa.func.count()).where(Challenge.case_id == Case.id).correlate(Case).scalar_subquery()
    bucket = sa.case((n >= 4, "4+"), else_=sa.cast(n, sa.String))
    return single(grouped([bucket], Case.opened_on, span))


# Challenges count in the month their case was opened: nearly all are recorded at intake, and
# one date for every case figure keeps the tables of a period about the same cases.


def challenge_cube(span: Span) -> dict[tuple, dict[int, int]]:
    """Challenges of new cases by (top life domain, urgency) and month."""
    return grouped(
        [top_domain(), Challenge.urgency],
        Case.opened_on,
        span,
        joins=[(Challenge, Challenge.case_id == Case.id), (TaxonomyTerm, TaxonomyTerm.id == Challenge.domain_id)],
    )


def challenges_by_domain(span: Span) -> Monthly:
    return margin(challenge_cube(span), 0)


# ---- anonymous contacts -----------------------------------------------------------------------


def contact_cube(span: Span) -> dict[tuple, dict[int, int]]:
    """Anonymous contacts by channel and month (the totals are its margin)."""
    return grouped([AnonymousContact.channel], AnonymousContact.occurred_on, span)


def contacts_by_domain(span: Span) -> Monthly:
    return single(
        grouped(
            [top_domain()],
            AnonymousContact.occurred_on,
            span,
            distinct=AnonymousContact.id,
            joins=[
                (anonymous_contact_domain, anonymous_contact_domain.c.contact_id == AnonymousContact.id),
                (TaxonomyTerm, TaxonomyTerm.id == anonymous_contact_domain.c.term_id),
            ],
        )
    )


# ---- case flow --------------------------------------------------------------------------------


def cases_opened(span: Span) -> dict[int, int]:
    return cube_totals(grouped([], Case.opened_on, span))


def cases_closed_by_outcome(span: Span) -> Monthly:
    return single(grouped([Case.outcome], Case.closed_on, span))


def _open_ids(day: date):
    """Ids of cases open at the end of `day`: not closed by then (two index ranges on
    closed_on, not a scan of every case ever opened)."""
    return sa.union_all(
        sa.select(Case.id).where(Case.closed_on > day), sa.select(Case.id).where(Case.closed_on.is_(None))
    )


def open_at(day: date) -> int:
    """Cases open at the end of `day`: opened by then minus closed by then (index counts)."""
    opened = db.session.scalar(sa.select(sa.func.count()).select_from(Case).where(Case.opened_on <= day)) or 0
    closed = db.session.scalar(sa.select(sa.func.count()).select_from(Case).where(Case.closed_on <= day)) or 0
    return opened - closed


def caseload_by_role(day: date) -> dict[str, int]:
    """Cases open at the end of `day` per team role of their assignees (today's assignment;
    a case with two assignees of different roles counts for both), and those with none."""
    open_cases = sa.select(Case.id).where(Case.opened_on <= day, Case.id.in_(_open_ids(day))).subquery()
    rows = db.session.execute(
        sa.select(User.role, sa.func.count(sa.distinct(case_assignment.c.case_id)))
        .join(User, User.id == case_assignment.c.user_id)
        .where(case_assignment.c.case_id.in_(sa.select(open_cases.c.id)))
        .group_by(User.role)
    )
    counts = {_key(role): int(n) for role, n in rows}
    assigned = sa.select(case_assignment.c.case_id)
    counts["unassigned"] = (
        db.session.scalar(sa.select(sa.func.count()).select_from(open_cases).where(open_cases.c.id.not_in(assigned)))
        or 0
    )
    return counts


def histograms(month_column, days_column) -> dict[int, list[int]]:
    """The values of a (subquery) column of whole days per month, from one GROUP BY (few
    distinct month and day pairs): one query serves a page's period and its comparisons."""
    rows = db.session.execute(sa.select(month_column, days_column, sa.func.count()).group_by(month_column, days_column))
    by_month: dict[int, list[int]] = defaultdict(list)
    for month, days, n in rows:
        if days is not None:
            by_month[_index(month)].extend([max(int(days), 0)] * int(n))
    return by_month


def per_period(by_month: dict[int, list[int]], periods) -> list[list[int]]:
    """The values of each period's months (for its median)."""
    return [[value for month in p.month_indexes for value in by_month.get(month, ())] for p in periods]


def days_to_first_plan(span: Span) -> dict[int, list[int]]:
    """For cases opened in the span that have a plan, by the month of opening: days from
    opening to the first goal."""
    first_goal = sa.func.min(day_of(PlanGoal.created_at))
    per_case = (
        sa.select(month_of(Case.opened_on).label("month"), days_between(first_goal, Case.opened_on).label("days"))
        .join(PlanGoal, PlanGoal.case_id == Case.id)
        .where(in_span(Case.opened_on, span))
        .group_by(Case.id, Case.opened_on)
        .subquery()
    )
    return histograms(per_case.c.month, per_case.c.days)


def days_to_closure(span: Span) -> dict[int, list[int]]:
    """For cases closed in the span, by the month of closing: days from opening to closing."""
    per_case = (
        sa.select(month_of(Case.closed_on).label("month"), days_between(Case.closed_on, Case.opened_on).label("days"))
        .where(in_span(Case.closed_on, span))
        .subquery()
    )
    return histograms(per_case.c.month, per_case.c.days)
