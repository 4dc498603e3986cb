"""Every figure of the trend reports, computed in this one place.

A figure is a count per category per month, each count with its cell key
(`privacy.Count`): {category: {month index: Count}}. It is read from the de-identified
rows of `models` (cases, referrals) and from the columns of challenges, anonymous contacts
and unmet needs that hold nothing but what is counted: a life domain, urgency, channel,
kind, date and record key. Names, free text, exact birth dates and staff identities are never
selected. `Filters` narrow every figure to one life domain, municipality, age band and/or
gender; a figure that cannot be narrowed so (anonymous contacts have no person) answers None.

A life domain is the top of the catalog's taxonomy (a sub-domain counts for its parent),
read when the report is built, so moving a term in the taxonomy needs no rebuild.
"""

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, fields
from datetime import date, datetime, time

import sqlalchemy as sa

from cases.models import AnonymousContact, Challenge, anonymous_contact_domain, case_assignment
from cases.needs.models import UnmetNeed
from cases.referrals.models import referral_challenge
from cases.trends.models import TrendCase, TrendReferral
from cases.trends.periods import month_start
from cases.trends.privacy import Count
from cases.trends.units import UNKNOWN, month_index
from catalog.models import TaxonomyTerm
from welfare.extensions import db
from welfare.models import User

Figure = dict[Hashable, dict[int, Count]]
CHALLENGE_BUCKETS = ("0", "1", "2", "3", "4+")


@dataclass(frozen=True)
class Filters:
    """What a supervisor narrowed the report to; None: not narrowed."""

    domain: str | None = None  # a top-level life domain's term id
    municipality: str | None = None
    age_band: str | None = None
    gender: str | None = None

    @property
    def of_person(self) -> bool:
        return any((self.municipality, self.age_band, self.gender))

    def query(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


NONE = Filters()


def top_domain(term_id_column):
    """The top-level life domain of a term id column (a correlated lookup of its parent)."""
    parent = sa.select(TaxonomyTerm.parent_id).where(TaxonomyTerm.id == term_id_column).scalar_subquery()
    return sa.func.coalesce(parent, term_id_column)


def _cases_filtered(query, filters: Filters, case_id_column=None):
    """Narrow a query that has TrendCase (joined on `case_id_column` when given) to the filters."""
    if case_id_column is not None and (filters.of_person or filters.domain):
        query = query.join(TrendCase, TrendCase.case_id == case_id_column)
    for column, value in (
        (TrendCase.municipality, filters.municipality),
        (TrendCase.age_band, filters.age_band),
        (TrendCase.gender, filters.gender),
    ):
        if value:
            query = query.where(column == value)
    return query


def _case_has_domain(case_id_column, domain: str):
    return case_id_column.in_(sa.select(Challenge.case_id).where(top_domain(Challenge.domain_id) == domain))


def _figure(rows, key=lambda k: k) -> Figure:
    """Rows of (category, month, count, key sum) as a figure."""
    figure: Figure = defaultdict(dict)
    for category, month, n, keys in rows:
        category = key(UNKNOWN if category is None or category == "" else getattr(category, "value", category))
        months = figure[category]
        months[int(month)] = months.get(int(month), Count()) + Count(int(n), int(keys or 0))
    return dict(figure)


def _grouped(category, month_column, key_column, months: list[int], where=(), joins=(), filters=NONE, case_id=None):
    """Counts and key sums by category and month (the months of `months` only)."""
    inner = sa.select(category.label("category"), month_column.label("month"), key_column.label("record_key"))
    for target, on in joins:
        inner = inner.join(target, on)
    inner = _cases_filtered(inner, filters, case_id)
    inner = inner.where(month_column.in_(months), *where).subquery()
    return db.session.execute(
        sa.select(inner.c.category, inner.c.month, sa.func.count(), sa.func.sum(inner.c.record_key)).group_by(
            inner.c.category, inner.c.month
        )
    )


def _distinct_grouped(
    unit_id, category, month_column, key_column, months, where=(), joins=(), filters=NONE, case_id=None
):
    """As `_grouped`, each unit once per category (a case with two challenges in one domain)."""
    inner = sa.select(
        unit_id.label("unit"), category.label("category"), month_column.label("month"), key_column.label("record_key")
    ).distinct()
    for target, on in joins:
        inner = inner.join(target, on)
    inner = _cases_filtered(inner, filters, case_id)
    inner = inner.where(month_column.in_(months), *where).subquery()
    return db.session.execute(
        sa.select(inner.c.category, inner.c.month, sa.func.count(), sa.func.sum(inner.c.record_key)).group_by(
            inner.c.category, inner.c.month
        )
    )


# ---- new cases ---------------------------------------------------------------------------------


def _case_where(filters: Filters) -> list:
    return [_case_has_domain(TrendCase.case_id, filters.domain)] if filters.domain else []


def cases_by(column, months: list[int], filters: Filters) -> Figure:
    """New cases by a column of TrendCase (age band, gender, municipality, settlement)."""
    return _figure(
        _grouped(column, TrendCase.opened, TrendCase.record_key, months, _case_where(filters), filters=filters)
    )


def cases_opened(months: list[int], filters: Filters) -> Figure:
    return cases_by(sa.literal("total"), months, filters)


def challenges_per_case(months: list[int], filters: Filters) -> Figure:
    rows = _grouped(
        TrendCase.challenges, TrendCase.opened, TrendCase.record_key, months, _case_where(filters), filters=filters
    )
    return _figure(rows, key=lambda n: "4+" if int(n) >= 4 else str(n))


def cases_by_domain(months: list[int], filters: Filters) -> Figure:
    """New cases with at least one challenge in the domain (a case may count in several)."""
    domain = top_domain(Challenge.domain_id)
    where = [domain == filters.domain] if filters.domain else []
    return _figure(
        _distinct_grouped(
            TrendCase.case_id,
            domain,
            TrendCase.opened,
            TrendCase.record_key,
            months,
            where,
            joins=[(Challenge, Challenge.case_id == TrendCase.case_id)],
            filters=filters,
        )
    )


def _challenges(category, months: list[int], filters: Filters) -> Figure:
    """Challenges of new cases (filed under the case's opening month) by a category."""
    where = [top_domain(Challenge.domain_id) == filters.domain] if filters.domain else []
    return _figure(
        _grouped(
            category,
            TrendCase.opened,
            Challenge.record_key,
            months,
            where,
            joins=[(TrendCase, TrendCase.case_id == Challenge.case_id)],
            filters=filters,
        )
    )


def challenges_by_urgency(months: list[int], filters: Filters) -> Figure:
    return _challenges(Challenge.urgency, months, filters)


def challenges_by_domain(months: list[int], filters: Filters) -> Figure:
    return _challenges(top_domain(Challenge.domain_id), months, filters)


# ---- case flow -----------------------------------------------------------------------------------


def cases_closed(months: list[int], filters: Filters, by_outcome: bool = True) -> Figure:
    category = TrendCase.outcome if by_outcome else sa.literal("total")
    return _figure(
        _grouped(category, TrendCase.closed, TrendCase.record_key, months, _case_where(filters), filters=filters)
    )


def _open_at_end(month: int):
    return [TrendCase.opened <= month, sa.or_(TrendCase.closed.is_(None), TrendCase.closed > month)]


def open_at_end(month: int, filters: Filters) -> Count:
    """Cases open at the end of the month."""
    query = sa.select(sa.func.count(), sa.func.sum(TrendCase.record_key)).where(
        *_open_at_end(month), *_case_where(filters)
    )
    n, keys = db.session.execute(_cases_filtered(query, filters)).one()
    return Count(int(n), int(keys or 0))


def caseload_by_role(month: int, filters: Filters) -> dict[str, Count]:
    """Cases open at the end of the month per team role of their assignees today (a case with
    assignees of two roles counts for both), and those with no one assigned."""
    open_cases = _cases_filtered(
        sa.select(TrendCase.case_id, TrendCase.record_key).where(*_open_at_end(month), *_case_where(filters)), filters
    ).subquery()
    per_role = (
        sa.select(User.role.label("role"), open_cases.c.case_id, open_cases.c.record_key)
        .join(case_assignment, case_assignment.c.case_id == open_cases.c.case_id)
        .join(User, User.id == case_assignment.c.user_id)
        .distinct()
        .subquery()
    )
    counts = {
        getattr(role, "value", role): Count(int(n), int(keys or 0))
        for role, n, keys in db.session.execute(
            sa.select(per_role.c.role, sa.func.count(), sa.func.sum(per_role.c.record_key)).group_by(per_role.c.role)
        )
    }
    n, keys = db.session.execute(
        sa.select(sa.func.count(), sa.func.sum(open_cases.c.record_key)).where(
            open_cases.c.case_id.not_in(sa.select(case_assignment.c.case_id))
        )
    ).one()
    counts["unassigned"] = Count(int(n), int(keys or 0))
    return counts


def days_to_first_plan(months: list[int], filters: Filters) -> dict[int, list[int]]:
    query = sa.select(TrendCase.opened, TrendCase.first_plan_days).where(
        TrendCase.opened.in_(months), TrendCase.first_plan_days.is_not(None), *_case_where(filters)
    )
    return _values(_cases_filtered(query, filters))


def days_to_closure(months: list[int], filters: Filters) -> dict[int, list[int]]:
    query = sa.select(TrendCase.closed, TrendCase.closure_days).where(
        TrendCase.closed.in_(months), TrendCase.closure_days.is_not(None), *_case_where(filters)
    )
    return _values(_cases_filtered(query, filters))


def _values(query) -> dict[int, list[int]]:
    by_month: dict[int, list[int]] = defaultdict(list)
    for month, days in db.session.execute(query):
        by_month[int(month)].append(int(days))
    return by_month


# ---- referrals -------------------------------------------------------------------------------------


def _referral_where(filters: Filters) -> list:
    if not filters.domain:
        return []
    linked = (
        sa.select(referral_challenge.c.referral_id)
        .join(Challenge, Challenge.id == referral_challenge.c.challenge_id)
        .where(top_domain(Challenge.domain_id) == filters.domain)
    )
    return [TrendReferral.referral_id.in_(linked)]


def referrals_by(column, months: list[int], filters: Filters) -> Figure:
    """Referrals sent by a column of TrendReferral (state, decline reason, outcome, organization)."""
    return _figure(
        _grouped(
            column,
            TrendReferral.sent,
            TrendReferral.record_key,
            months,
            [column.is_not(None), *_referral_where(filters)],
            filters=filters,
            case_id=TrendReferral.case_id,
        )
    )


def referrals_sent(months: list[int], filters: Filters) -> Figure:
    return referrals_by(sa.literal("total"), months, filters)


def referrals_by_domain(months: list[int], filters: Filters) -> Figure:
    """Referrals sent by the domains of the challenges they address (a referral may count in several)."""
    domain = top_domain(Challenge.domain_id)
    return _figure(
        _distinct_grouped(
            TrendReferral.referral_id,
            domain,
            TrendReferral.sent,
            TrendReferral.record_key,
            months,
            [domain == filters.domain] if filters.domain else [],
            joins=[
                (referral_challenge, referral_challenge.c.referral_id == TrendReferral.referral_id),
                (Challenge, Challenge.id == referral_challenge.c.challenge_id),
            ],
            filters=filters,
            case_id=TrendReferral.case_id,
        )
    )


def _referral_days(column, months: list[int], filters: Filters) -> dict[int, list[int]]:
    query = sa.select(TrendReferral.sent, column).where(
        TrendReferral.sent.in_(months), column.is_not(None), *_referral_where(filters)
    )
    if filters.of_person:
        query = _cases_filtered(query.join(TrendCase, TrendCase.case_id == TrendReferral.case_id), filters)
    return _values(query)


def days_to_answer(months: list[int], filters: Filters) -> dict[int, list[int]]:
    return _referral_days(TrendReferral.answer_days, months, filters)


def days_to_completion(months: list[int], filters: Filters) -> dict[int, list[int]]:
    return _referral_days(TrendReferral.completion_days, months, filters)


def capacity_declines_by_domain(months: list[int], filters: Filters) -> Figure:
    """Referrals declined for lack of capacity, in the month of the decline, by domain."""
    domain = top_domain(Challenge.domain_id)
    return _figure(
        _distinct_grouped(
            TrendReferral.referral_id,
            domain,
            TrendReferral.capacity_declined,
            TrendReferral.record_key,
            months,
            [domain == filters.domain] if filters.domain else [],
            joins=[
                (referral_challenge, referral_challenge.c.referral_id == TrendReferral.referral_id),
                (Challenge, Challenge.id == referral_challenge.c.challenge_id),
            ],
            filters=filters,
            case_id=TrendReferral.case_id,
        )
    )


def capacity_declines(months: list[int], filters: Filters) -> Figure:
    return _figure(
        _grouped(
            sa.literal("total"),
            TrendReferral.capacity_declined,
            TrendReferral.record_key,
            months,
            _referral_where(filters),
            filters=filters,
            case_id=TrendReferral.case_id,
        )
    )


# ---- records counted by their own date (anonymous contacts, unmet needs) ------------------------


def _day_range(months: list[int]) -> tuple[date, date]:
    return month_start(min(months)), month_start(max(months) + 1)


def _by_day(rows, months: list[int]) -> Figure:
    """Rows of (category, day, count, key sum) as a figure by month (the months asked only)."""
    wanted = set(months)
    figure: Figure = defaultdict(dict)
    for category, day, n, keys in rows:
        if isinstance(day, str):
            day = date.fromisoformat(day[:10])
        month = month_index(day)
        if month not in wanted:
            continue
        category = UNKNOWN if category is None or category == "" else getattr(category, "value", category)
        figure[category][month] = figure[category].get(month, Count()) + Count(int(n), int(keys or 0))
    return dict(figure)


def _day_of(column):
    return sa.func.date(column) if db.session.get_bind().dialect.name == "sqlite" else sa.cast(column, sa.Date)


def contacts_by(category, months: list[int], filters: Filters, distinct_domains: bool = False) -> Figure | None:
    """Anonymous contacts by a category (None when narrowed by a person's facts: a contact
    records no person)."""
    if filters.of_person:
        return None
    since, until = _day_range(months)
    domain = top_domain(anonymous_contact_domain.c.term_id)
    inner = sa.select(
        AnonymousContact.id.label("unit"),
        category.label("category"),
        AnonymousContact.occurred_on.label("day"),
        AnonymousContact.record_key.label("record_key"),
    ).where(AnonymousContact.occurred_on >= since, AnonymousContact.occurred_on < until)
    if distinct_domains or filters.domain:
        inner = inner.join(anonymous_contact_domain, anonymous_contact_domain.c.contact_id == AnonymousContact.id)
    if filters.domain:
        inner = inner.where(domain == filters.domain)
    inner = inner.distinct().subquery()
    rows = db.session.execute(
        sa.select(inner.c.category, inner.c.day, sa.func.count(), sa.func.sum(inner.c.record_key)).group_by(
            inner.c.category, inner.c.day
        )
    )
    return _by_day(rows, months)


def contacts_by_channel(months: list[int], filters: Filters) -> Figure | None:
    return contacts_by(AnonymousContact.channel, months, filters)


def contacts_total(months: list[int], filters: Filters) -> Figure | None:
    return contacts_by(sa.literal("total"), months, filters)


def contacts_by_domain(months: list[int], filters: Filters) -> Figure | None:
    return contacts_by(top_domain(anonymous_contact_domain.c.term_id), months, filters, distinct_domains=True)


def needs_by(category, months: list[int], filters: Filters) -> Figure:
    """Unmet needs recorded in the months by a category (kind, or domain)."""
    since, until = _day_range(months)
    day = _day_of(UnmetNeed.recorded_on)
    inner = sa.select(category.label("category"), day.label("day"), UnmetNeed.record_key.label("record_key")).where(
        UnmetNeed.recorded_on >= datetime.combine(since, time.min),
        UnmetNeed.recorded_on < datetime.combine(until, time.min),
    )
    if filters.domain:
        inner = inner.where(top_domain(UnmetNeed.domain_id) == filters.domain)
    inner = _cases_filtered(inner, filters, UnmetNeed.case_id).subquery()
    rows = db.session.execute(
        sa.select(inner.c.category, inner.c.day, sa.func.count(), sa.func.sum(inner.c.record_key)).group_by(
            inner.c.category, inner.c.day
        )
    )
    return _by_day(rows, months)


def needs_by_kind(months: list[int], filters: Filters) -> Figure:
    return needs_by(UnmetNeed.kind, months, filters)


def needs_by_domain(months: list[int], filters: Filters) -> Figure:
    return needs_by(top_domain(UnmetNeed.domain_id), months, filters)


def needs_total(months: list[int], filters: Filters) -> Figure:
    return needs_by(sa.literal("total"), months, filters)
