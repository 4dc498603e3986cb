"""De-identified facts about referrals and unmet needs, per month (the referral part of the
trend reports and of demand and supply).

Read: a referral's send date, status, decline reason, outcome, receiving organization (a
public catalog entry) and the life domains of the challenges it addresses; the dates of the
organization's answer and of completion from the referral history; an unmet need's date,
life domain and what was missing. Never notes, people, case numbers or staff. Retention must
keep these columns for the figures to stay the same.

Referrals count in the month they were *sent* (a cohort): what became of the referrals sent
in March stays in March, so a period's figures never move between periods as answers arrive
later, and the same month rule as every other figure protects small cells.
"""

import sqlalchemy as sa

from cases.models import Challenge
from cases.needs.models import UnmetNeed
from cases.referrals.models import DeclineReason, Referral, ReferralEvent, ReferralStatus, referral_challenge
from cases.trends.facts import (
    UNKNOWN,
    Monthly,
    Span,
    cube_totals,
    day_of,
    days_between,
    grouped,
    histograms,
    in_span,
    margin,
    month_of,
    single,
    top_domain,
)
from catalog.models import TaxonomyTerm

# What became of a sent referral, as one partition (each sent referral is in exactly one).
WAITING, ACCEPTED = "waiting", "accepted"
STATE_BUCKETS = (WAITING, ACCEPTED, "completed", "declined", "cancelled")


def _state_bucket():
    return sa.case(
        (Referral.status == ReferralStatus.SENT, WAITING),
        (Referral.status.in_([ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS]), ACCEPTED),
        else_=sa.cast(Referral.status, sa.String),
    )


def _domain_joins():
    return [
        (referral_challenge, referral_challenge.c.referral_id == Referral.id),
        (Challenge, Challenge.id == referral_challenge.c.challenge_id),
        (TaxonomyTerm, TaxonomyTerm.id == Challenge.domain_id),
    ]


# The dimensions of `sent_cube`: its margins are the per-state, per-reason, per-outcome and
# per-organization figures, so one scan of the referrals sent serves all of them.
SENT_FACTS = ("state", "decline_reason", "outcome", "organization")


def sent_cube(span: Span) -> dict[tuple, dict[int, int]]:
    """Referrals sent in the span by (`STATE_BUCKETS` bucket, decline reason, outcome,
    receiving organization) and month of sending."""
    return grouped(
        [_state_bucket(), Referral.decline_reason, Referral.outcome, Referral.organization_id], Referral.sent_at, span
    )


def _without_unknown(monthly: Monthly) -> Monthly:
    return {key: months for key, months in monthly.items() if key != UNKNOWN}


def sent_by(cube: dict[tuple, dict[int, int]], fact: str) -> Monthly:
    """One figure of `sent_cube` (reasons and outcomes without the referrals that have none)."""
    monthly = margin(cube, SENT_FACTS.index(fact))
    return _without_unknown(monthly) if fact in ("decline_reason", "outcome") else monthly


def sent_totals(cube: dict[tuple, dict[int, int]]) -> dict[int, int]:
    return cube_totals(cube)


def sent_by_domain(span: Span) -> Monthly:
    """Referrals sent by the top life domain of the challenges they address (a referral for
    two domains counts in both: not additive, the total is `sent_totals`)."""
    return single(grouped([top_domain()], Referral.sent_at, span, distinct=Referral.id, joins=_domain_joins()))


def sent_by_organization(span: Span) -> Monthly:
    return single(grouped([Referral.organization_id], Referral.sent_at, span))


def _days_from_sending(to_statuses: tuple[str, ...], span: Span) -> dict[int, list[int]]:
    """For referrals sent in the span, by the month of sending: whole days from sending to
    their first event into one of `to_statuses` (those without such an event are not counted)."""
    first = sa.func.min(day_of(ReferralEvent.at))
    per_referral = (
        sa.select(
            month_of(Referral.sent_at).label("month"), days_between(first, day_of(Referral.sent_at)).label("days")
        )
        .join(ReferralEvent, ReferralEvent.referral_id == Referral.id)
        .where(in_span(Referral.sent_at, span), ReferralEvent.to_status.in_(to_statuses))
        .group_by(Referral.id, Referral.sent_at)
        .subquery()
    )
    return histograms(per_referral.c.month, per_referral.c.days)


def days_to_answer(span: Span) -> dict[int, list[int]]:
    return _days_from_sending((ReferralStatus.ACCEPTED.value, ReferralStatus.DECLINED.value), span)


def days_to_completion(span: Span) -> dict[int, list[int]]:
    return _days_from_sending((ReferralStatus.COMPLETED.value,), span)


# ---- demand sources (demand and supply) --------------------------------------------------------


def unmet_needs_by_domain(since, until) -> tuple[Monthly, None]:
    """Unmet needs recorded in [since, until) by top life domain (one domain each: additive)."""
    monthly = single(
        grouped(
            [top_domain()],
            UnmetNeed.recorded_on,
            Span.of(since, until),
            joins=[(TaxonomyTerm, TaxonomyTerm.id == UnmetNeed.domain_id)],
        )
    )
    return monthly, None


def unmet_needs_by_kind(span: Span) -> Monthly:
    return single(grouped([UnmetNeed.kind], UnmetNeed.recorded_on, span))


def capacity_declines_by_domain(since, until) -> tuple[Monthly, dict[int, int]]:
    """Referrals declined for lack of capacity, in the month of the decline, by the top life
    domain of their challenges (not additive: the totals are counted on their own)."""
    span = Span.of(since, until)
    declined = sa.and_(Referral.decline_reason == DeclineReason.NO_CAPACITY, ReferralEvent.to_status == "declined")
    event_joins = [(Referral, sa.and_(Referral.id == ReferralEvent.referral_id, declined))]
    monthly = single(
        grouped([top_domain()], ReferralEvent.at, span, distinct=Referral.id, joins=event_joins + _domain_joins())
    )
    totals = cube_totals(grouped([], ReferralEvent.at, span, distinct=Referral.id, joins=event_joins))
    return monthly, totals
