"""Figures of cases: new cases by the person's facts, life domain, challenges; the case flow
(closed, still open, caseload by team role) and its medians."""

import sqlalchemy as sa

from cases.models import Challenge, case_assignment
from cases.trends.figures.query import (
    Figure,
    Filters,
    case_has_domain,
    cases_filtered,
    figure_of,
    grouped,
    top_domain,
    values_by_month,
)
from cases.trends.models import TrendCase, TrendCaseDomain
from cases.trends.privacy import Count
from cases.trends.units import UNKNOWN
from welfare.extensions import db
from welfare.models import User

CHALLENGE_BUCKETS = ("0", "1", "2", "3", "4+")


def _case_where(filters: Filters) -> list:
    return [case_has_domain(TrendCase.case_id, filters.domain)] if filters.domain else []


PERSON_FACTS = ("age_band", "gender", "municipality", "settlement")


def person_figures(months: list[int], filters: Filters) -> dict[str, Figure]:
    """New cases by each of the person's facts (`PERSON_FACTS`), and all new cases ("total"):
    one pass over the months' cases (a covering index), the margins added up here."""
    result: dict[str, Figure] = {name: {} for name in (*PERSON_FACTS, "total")}
    # Two small groupings, not one of all four facts: that would be nearly a group per case.
    for names in (("age_band", "gender"), ("municipality", "settlement")):
        columns = [getattr(TrendCase, name) for name in names]
        query = cases_filtered(
            sa.select(*columns, TrendCase.opened, sa.func.count(), sa.func.sum(TrendCase.record_key))
            .where(TrendCase.opened.in_(months), *_case_where(filters))
            .group_by(*columns, TrendCase.opened),
            filters,
        )
        with_total = names[0] == "age_band"  # every case once, in the first grouping
        for *values, month, n, keys in db.session.execute(query):
            count = Count(int(n), int(keys or 0))
            for name, value in zip(names, values, strict=True):
                _add(result[name], value, month, count)
            if with_total:
                _add(result["total"], "total", month, count)
    return result


def _add(figure: Figure, value, month: int, count: Count) -> None:
    category = UNKNOWN if value is None or value == "" else value
    months_ = figure.setdefault(category, {})
    months_[month] = months_.get(month, Count()) + count


def cases_opened(months: list[int], filters: Filters) -> Figure:
    """New cases per month (one grouping; `person_figures` has them too, with the person's facts)."""
    rows = grouped(
        sa.literal("total"), TrendCase.opened, TrendCase.record_key, months, _case_where(filters), filters=filters
    )
    return figure_of(rows)


def challenges_per_case(months: list[int], filters: Filters) -> Figure:
    rows = grouped(
        TrendCase.challenges, TrendCase.opened, TrendCase.record_key, months, _case_where(filters), filters=filters
    )
    return figure_of(rows, key=lambda n: "4+" if int(n) >= 4 else str(n))


def cases_by_domain(months: list[int], filters: Filters) -> Figure:
    """New cases with at least one challenge in the domain (a case may count in several)."""
    domain = top_domain(TrendCaseDomain.domain_id)
    where = [domain == filters.domain] if filters.domain else []
    joins = [(TrendCase, TrendCase.case_id == TrendCaseDomain.case_id)] if filters.of_person else []
    if domain is TrendCaseDomain.domain_id:  # no sub-domains: the rows are distinct already
        rows = grouped(domain, TrendCaseDomain.opened, TrendCaseDomain.record_key, months, where, joins, filters)
        return figure_of(rows)
    rows = grouped(
        domain,
        TrendCaseDomain.opened,
        TrendCaseDomain.record_key,
        months,
        where,
        joins=joins,
        filters=filters,
        unit_id=TrendCaseDomain.case_id,
    )
    return figure_of(rows)


def _challenges(category, months: list[int], filters: Filters) -> Figure:
    """Challenges of new cases (filed under the case's opening month) by a category."""
    where = [top_domain(Challenge.domain_id) == filters.domain] if filters.domain else []
    return figure_of(
        grouped(
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
    return figure_of(
        grouped(category, TrendCase.closed, TrendCase.record_key, months, _case_where(filters), filters=filters)
    )


def _open_at_end(month: int):
    return [TrendCase.opened <= month, sa.or_(TrendCase.closed.is_(None), TrendCase.closed > month)]


def open_at_end(month: int, filters: Filters) -> Count:
    """Cases open at the end of the month."""
    query = sa.select(sa.func.count(), sa.func.sum(TrendCase.record_key)).where(
        *_open_at_end(month), *_case_where(filters)
    )
    n, keys = db.session.execute(cases_filtered(query, filters)).one()
    return Count(int(n), int(keys or 0))


def caseload_by_role(month: int, filters: Filters) -> dict[str, Count]:
    """Cases open at the end of the month per team role of their assignees today (a case with
    assignees of two roles counts for both), and those with no one assigned."""
    open_cases = cases_filtered(
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
    return values_by_month(cases_filtered(query, filters))


def days_to_closure(months: list[int], filters: Filters) -> dict[int, list[int]]:
    query = sa.select(TrendCase.closed, TrendCase.closure_days).where(
        TrendCase.closed.in_(months), TrendCase.closure_days.is_not(None), *_case_where(filters)
    )
    return values_by_month(cases_filtered(query, filters))
