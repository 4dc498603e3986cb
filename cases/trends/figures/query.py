"""What every figure query shares: the filters, the top-level life domain, and counting rows
with their key sums by category and month."""

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, fields

import sqlalchemy as sa

from cases.models import Challenge
from cases.trends.models import TrendCase
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


def top_domain(term_id_column):
    """The top-level life domain of a term id column (a correlated lookup of its parent)."""
    parent = sa.select(TaxonomyTerm.parent_id).where(TaxonomyTerm.id == term_id_column).scalar_subquery()
    return sa.func.coalesce(parent, term_id_column)


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
    return case_id_column.in_(sa.select(Challenge.case_id).where(top_domain(Challenge.domain_id) == domain))


def figure_of(rows, key=lambda k: k) -> Figure:
    """Rows of (category, month, count, key sum) as a figure."""
    figure: Figure = defaultdict(dict)
    for category, month, n, keys in rows:
        category = key(UNKNOWN if category is None or category == "" else getattr(category, "value", category))
        months = figure[category]
        months[int(month)] = months.get(int(month), Count()) + Count(int(n), int(keys or 0))
    return dict(figure)


def grouped(category, month_column, key_column, months: list[int], where=(), joins=(), filters=NONE, case_id=None):
    """Counts and key sums by category and month (the months of `months` only)."""
    inner = sa.select(category.label("category"), month_column.label("month"), key_column.label("record_key"))
    for target, on in joins:
        inner = inner.join(target, on)
    inner = cases_filtered(inner, filters, case_id)
    inner = inner.where(month_column.in_(months), *where).subquery()
    return db.session.execute(
        sa.select(inner.c.category, inner.c.month, sa.func.count(), sa.func.sum(inner.c.record_key)).group_by(
            inner.c.category, inner.c.month
        )
    )


def distinct_grouped(
    unit_id, category, month_column, key_column, months, where=(), joins=(), filters=NONE, case_id=None
):
    """As `_grouped`, each unit once per category (a case with two challenges in one domain)."""
    inner = sa.select(
        unit_id.label("unit"), category.label("category"), month_column.label("month"), key_column.label("record_key")
    ).distinct()
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
    """Rows of (month, whole days) as the days of each month (for medians)."""
    by_month: dict[int, list[int]] = defaultdict(list)
    for month, days in db.session.execute(query):
        by_month[int(month)].append(int(days))
    return by_month
