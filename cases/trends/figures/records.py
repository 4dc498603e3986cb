"""Figures of records counted by their own date: anonymous contacts (which have no person, so
a person's filters leave them out) and unmet needs."""

from datetime import date, datetime, time

import sqlalchemy as sa

from cases.models import AnonymousContact, anonymous_contact_domain
from cases.needs.models import UnmetNeed
from cases.trends.figures.query import Figure, Filters, cases_filtered, figure_of, top_domain
from cases.trends.periods import month_start
from welfare.extensions import db


def _day_range(months: list[int]) -> tuple[date, date]:
    return month_start(min(months)), month_start(max(months) + 1)


def _month_of(column):
    """The month index (year * 12 + month - 1) of a date or date-time column, in SQL."""
    if db.session.get_bind().dialect.name == "sqlite":
        year, month = sa.func.strftime("%Y", column), sa.func.strftime("%m", column)
        return sa.cast(year, sa.Integer) * 12 + sa.cast(month, sa.Integer) - 1
    return sa.cast(sa.extract("year", column) * 12 + sa.extract("month", column) - 1, sa.Integer)


def _counted(inner) -> Figure:
    """A subquery of (category, month, record_key) counted by category and month."""
    return figure_of(
        db.session.execute(
            sa.select(inner.c.category, inner.c.month, sa.func.count(), sa.func.sum(inner.c.record_key)).group_by(
                inner.c.category, inner.c.month
            )
        )
    )


def contacts_by(category, months: list[int], filters: Filters, with_domains: bool = False) -> Figure | None:
    """Anonymous contacts by a category (None when narrowed by a person's facts: a contact
    records no person)."""
    if filters.of_person:
        return None
    since, until = _day_range(months)
    domain = top_domain(anonymous_contact_domain.c.term_id)
    columns = [category.label("category"), _month_of(AnonymousContact.occurred_on).label("month")]
    inner = sa.select(*columns, AnonymousContact.record_key.label("record_key")).where(
        AnonymousContact.occurred_on >= since, AnonymousContact.occurred_on < until
    )
    if with_domains or filters.domain:
        inner = inner.join(anonymous_contact_domain, anonymous_contact_domain.c.contact_id == AnonymousContact.id)
        if domain is not anonymous_contact_domain.c.term_id:  # two sub-domains of one domain count once
            inner = inner.add_columns(AnonymousContact.id.label("unit")).distinct()
    if filters.domain:
        inner = inner.where(domain == filters.domain)
    return _counted(inner.subquery())


def contacts_by_channel(months: list[int], filters: Filters) -> Figure | None:
    return contacts_by(AnonymousContact.channel, months, filters)


def contacts_total(months: list[int], filters: Filters) -> Figure | None:
    return contacts_by(sa.literal("total"), months, filters)


def contacts_by_domain(months: list[int], filters: Filters) -> Figure | None:
    return contacts_by(top_domain(anonymous_contact_domain.c.term_id), months, filters, with_domains=True)


def needs_by(category, months: list[int], filters: Filters) -> Figure:
    """Unmet needs recorded in the months by a category (kind, or domain)."""
    since, until = _day_range(months)
    month = _month_of(UnmetNeed.recorded_on)
    inner = sa.select(category.label("category"), month.label("month"), UnmetNeed.record_key.label("record_key")).where(
        UnmetNeed.recorded_on >= datetime.combine(since, time.min),
        UnmetNeed.recorded_on < datetime.combine(until, time.min),
    )
    if filters.domain:
        inner = inner.where(top_domain(UnmetNeed.domain_id) == filters.domain)
    return _counted(cases_filtered(inner, filters, UnmetNeed.case_id).subquery())


def needs_by_kind(months: list[int], filters: Filters) -> Figure:
    return needs_by(UnmetNeed.kind, months, filters)


def needs_by_domain(months: list[int], filters: Filters) -> Figure:
    return needs_by(top_domain(UnmetNeed.domain_id), months, filters)


def needs_total(months: list[int], filters: Filters) -> Figure:
    return needs_by(sa.literal("total"), months, filters)
