"""Figures of sent referrals (by the month they were sent) and of declines for lack of capacity
(by the month of the decline)."""

import sqlalchemy as sa

from cases.models import Challenge
from cases.referrals.models import referral_challenge
from cases.trends.figures.query import (
    Figure,
    Filters,
    cases_filtered,
    figure_of,
    grouped,
    top_domain,
    values_by_month,
)
from cases.trends.models import TrendCase, TrendReferral


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
    return figure_of(
        grouped(
            column,
            TrendReferral.sent,
            TrendReferral.record_key,
            months,
            [column.is_not(None), *_referral_where(filters)],
            filters=filters,
            case_id=TrendReferral.case_id,
        )
    )


def organization_referrals_by(category, months: list[int], organization_id: str) -> Figure:
    """One organization's sent referrals by a column (or expression) of TrendReferral, for its
    monthly statement: the same rows, keys and months as every other referral figure."""
    return figure_of(
        grouped(
            category,
            TrendReferral.sent,
            TrendReferral.record_key,
            months,
            [category.is_not(None), TrendReferral.organization_id == organization_id],
        )
    )


def referrals_sent(months: list[int], filters: Filters) -> Figure:
    return referrals_by(sa.literal("total"), months, filters)


def _by_domain(month_column, months: list[int], filters: Filters) -> Figure:
    """Referrals by the domains of the challenges they address, in the month of `month_column`
    (a referral may count in several domains, each once)."""
    domain = top_domain(Challenge.domain_id)
    return figure_of(
        grouped(
            domain,
            month_column,
            TrendReferral.record_key,
            months,
            [domain == filters.domain] if filters.domain else [],
            joins=[
                (referral_challenge, referral_challenge.c.referral_id == TrendReferral.referral_id),
                (Challenge, Challenge.id == referral_challenge.c.challenge_id),
            ],
            filters=filters,
            case_id=TrendReferral.case_id,
            unit_id=TrendReferral.referral_id,
        )
    )


def referrals_by_domain(months: list[int], filters: Filters) -> Figure:
    """Referrals sent, by the domains of the challenges they address."""
    return _by_domain(TrendReferral.sent, months, filters)


def _referral_days(column, months: list[int], filters: Filters) -> dict[int, list[int]]:
    query = sa.select(TrendReferral.sent, column).where(
        TrendReferral.sent.in_(months), column.is_not(None), *_referral_where(filters)
    )
    if filters.of_person:
        query = cases_filtered(query.join(TrendCase, TrendCase.case_id == TrendReferral.case_id), filters)
    return values_by_month(query)


def days_to_answer(months: list[int], filters: Filters) -> dict[int, list[int]]:
    return _referral_days(TrendReferral.answer_days, months, filters)


def days_to_completion(months: list[int], filters: Filters) -> dict[int, list[int]]:
    return _referral_days(TrendReferral.completion_days, months, filters)


def capacity_declines_by_domain(months: list[int], filters: Filters) -> Figure:
    """Referrals declined for lack of capacity, in the month of the decline, by domain."""
    return _by_domain(TrendReferral.capacity_declined, months, filters)


def capacity_declines(months: list[int], filters: Filters) -> Figure:
    return figure_of(
        grouped(
            sa.literal("total"),
            TrendReferral.capacity_declined,
            TrendReferral.record_key,
            months,
            _referral_where(filters),
            filters=filters,
            case_id=TrendReferral.case_id,
        )
    )
