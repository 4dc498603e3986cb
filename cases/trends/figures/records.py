"""Figures of records counted by their own date: anonymous contacts (which have no person, so
a person's filters leave them out) and unmet needs."""

from collections import defaultdict
from datetime import date, datetime, time

import sqlalchemy as sa

from cases.models import AnonymousContact, anonymous_contact_domain
from cases.needs.models import UnmetNeed
from cases.trends.figures.query import Figure, Filters, cases_filtered, top_domain
from cases.trends.periods import month_start
from cases.trends.privacy import Count
from cases.trends.units import UNKNOWN, month_index
from welfare.extensions import db


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
    inner = cases_filtered(inner, filters, UnmetNeed.case_id).subquery()
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
