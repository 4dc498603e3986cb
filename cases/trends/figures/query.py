"""What every figure query shares: the filters, the top-level life domain, and counting rows
with their key sums by category and month."""

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, fields

import sqlalchemy as sa
from flask import g

from cases.trends.models import TrendCase, TrendCaseDomain
from cases.trends.privacy import Count
from cases.trends.units import UNKNOWN
from catalog.models import TaxonomyTerm
from welfare.extensions import db

Figure = dict[Hashable, dict[int, Count]]


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


def _parents() -> dict[str, str]:
    """Sub-domain -> its top-level domain, read once per request (the taxonomy is small)."""
    if "trend_parents" not in g:
        rows = db.session.execute(
            sa.select(TaxonomyTerm.id, TaxonomyTerm.parent_id).where(TaxonomyTerm.parent_id.is_not(None))
        )
        g.trend_parents = dict(rows.all())
    return g.trend_parents


def top_domain(term_id_column):
    """The top-level life domain of a term id column: the column itself, or a CASE over the few
    sub-domains (not a lookup per row: a report groups tens of thousands of challenges)."""
    parents = _parents()
    if not parents:
        return term_id_column
    return sa.case(parents, value=term_id_column, else_=term_id_column)


def cases_filtered(query, filters: Filters, case_id_column=None):
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


def case_has_domain(case_id_column, domain: str):
    """Cases with a challenge in the (top-level) domain."""
    in_domain = sa.select(TrendCaseDomain.case_id).where(top_domain(TrendCaseDomain.domain_id) == domain)
    return case_id_column.in_(in_domain)


def figure_of(rows, key=lambda k: k) -> Figure:
    """Rows of (category, month, count, key sum) as a figure."""
    figure: Figure = defaultdict(dict)
    for category, month, n, keys in rows:
        category = key(UNKNOWN if category is None or category == "" else getattr(category, "value", category))
        months = figure[category]
        months[int(month)] = months.get(int(month), Count()) + Count(int(n), int(keys or 0))
    return dict(figure)


def grouped(
    category, month_column, key_column, months: list[int], where=(), joins=(), filters=NONE, case_id=None, unit_id=None
):
    """Counts and key sums by category and month (the months of `months` only). With `unit_id`,
    each unit once per category (a referral addressing two challenges of one domain)."""
    columns = [category.label("category"), month_column.label("month"), key_column.label("record_key")]
    inner = sa.select(*columns) if unit_id is None else sa.select(unit_id.label("unit"), *columns).distinct()
    for target, on in joins:
        inner = inner.join(target, on)
    inner = cases_filtered(inner, filters, case_id)
    inner = inner.where(month_column.in_(months), *where).subquery()
    return db.session.execute(
        sa.select(inner.c.category, inner.c.month, sa.func.count(), sa.func.sum(inner.c.record_key)).group_by(
            inner.c.category, inner.c.month
        )
    )


def values_by_month(query) -> dict[int, list[int]]:
    """A query of (month, whole days) as the days of each month (for medians), counted in SQL
    as (month, days, how many): few distinct pairs, however many records."""
    inner = query.subquery()
    month, days = inner.c[0], inner.c[1]
    by_month: dict[int, list[int]] = defaultdict(list)
    for m, d, n in db.session.execute(sa.select(month, days, sa.func.count()).group_by(month, days)):
        by_month[int(m)].extend([int(d)] * int(n))
    return by_month
