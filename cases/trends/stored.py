"""The figures the report sections read, from the monthly fact table (`store`).

The same functions, with the same answers, as the live queries of `facts` and
`referral_facts`, which compute what is stored. Each first brings the table up to date
(`store.ensure_fresh`: two cheap lookups when nothing changed). A span that does not fall on
whole months (reports always do), or TREND_FACT_TABLE = False, is answered by the live query.
"""

from collections import defaultdict
from datetime import date, timedelta

from flask import current_app

from cases.trends import facts, referral_facts, store
from cases.trends.facts import Monthly, Span, cube_totals, margin, single
from cases.trends.periods import month_index


def use_store() -> bool:
    """TREND_FACT_TABLE = False reads the case tables on every request (slow; for comparison)."""
    return current_app.config["TREND_FACT_TABLE"]


def _cube(figure: str, span: Span, live):
    ranges = store.month_ranges(span) if use_store() else None
    if ranges is None:
        return live(span)
    store.ensure_fresh()
    return store.read(figure, ranges)


def _monthly(figure: str, span: Span, live) -> Monthly:
    return single(_cube(figure, span, lambda s: store.as_cube(live(s))))


def _histogram(figure: str, span: Span, live) -> dict[int, list[int]]:
    by_month: dict[int, list[int]] = defaultdict(list)
    for (days,), months in _cube(figure, span, lambda s: store.histogram_cube(live(s))).items():
        for month, n in months.items():
            by_month[month].extend([days] * n)
    return by_month


# ---- cases and contacts ---------------------------------------------------------------------------


def person_figures(span: Span) -> tuple[dict[str, Monthly], dict[int, int]]:
    ages = _cube("ages", span, lambda s: store.compute(s, ["people"])["ages"])
    places = _cube("places", span, lambda s: store.compute(s, ["people"])["places"])
    figures = {"age_band": margin(ages, 0), "gender": margin(ages, 1)}
    figures |= {"municipality": margin(places, 0), "settlement": margin(places, 1)}
    return figures, cube_totals(ages)


def cases_by_domain(span: Span) -> Monthly:
    return _monthly("cases_domain", span, facts.cases_by_domain)


def challenges_per_case(span: Span) -> Monthly:
    return _monthly("challenges_per_case", span, facts.challenges_per_case)


def challenge_cube(span: Span):
    return _cube("challenges", span, facts.challenge_cube)


def challenges_by_domain(span: Span) -> Monthly:
    return margin(challenge_cube(span), 0)


def contact_cube(span: Span):
    return _cube("contacts", span, facts.contact_cube)


def contacts_by_domain(span: Span) -> Monthly:
    return _monthly("contacts_domain", span, facts.contacts_by_domain)


# ---- case flow ------------------------------------------------------------------------------------


def cases_opened(span: Span) -> dict[int, int]:
    return cube_totals(_cube("opened", span, lambda s: {(): facts.cases_opened(s)}))


def cases_closed_by_outcome(span: Span) -> Monthly:
    return _monthly("closed", span, facts.cases_closed_by_outcome)


def _month_end(day: date) -> int | None:
    """The month index of `day` if it is the last day of its month (period ends are)."""
    return month_index(day) if (day + timedelta(days=1)).day == 1 else None


def open_at(day: date) -> int:
    month = _month_end(day)
    if month is None or not use_store():
        return facts.open_at(day)
    store.ensure_fresh()
    return sum(cube_totals(store.read("opened", through=month)).values()) - sum(
        cube_totals(store.read("closed", through=month)).values()
    )


def caseload_by_role(day: date) -> dict[str, int]:
    month = _month_end(day)
    if month is None or not use_store():
        return facts.caseload_by_role(day)
    store.ensure_fresh()
    counts: dict[str, int] = {"unassigned": 0}
    for (role,), months in store.read("caseload_opened", through=month).items():
        counts[role] = counts.get(role, 0) + sum(months.values())
    for (role, opened_month), months in store.read("caseload_closed", through=month).items():
        if _month_index(opened_month) <= month:
            counts[role] -= sum(months.values())
    return {role: n for role, n in counts.items() if n or role == "unassigned"}


def _month_index(text: str) -> int:
    """The month index of 'YYYY-MM'."""
    return int(text[:4]) * 12 + int(text[5:7]) - 1


def days_to_first_plan(span: Span) -> dict[int, list[int]]:
    return _histogram("first_plan", span, facts.days_to_first_plan)


def days_to_closure(span: Span) -> dict[int, list[int]]:
    return _histogram("closure", span, facts.days_to_closure)


# ---- referrals and unmet needs --------------------------------------------------------------------


def sent_cube(span: Span):
    return _cube("sent", span, referral_facts.sent_cube)


def sent_by_domain(span: Span) -> Monthly:
    return _monthly("sent_domain", span, referral_facts.sent_by_domain)


def days_to_answer(span: Span) -> dict[int, list[int]]:
    return _histogram("answer", span, referral_facts.days_to_answer)


def days_to_completion(span: Span) -> dict[int, list[int]]:
    return _histogram("completion", span, referral_facts.days_to_completion)


def unmet_needs_by_kind(span: Span) -> Monthly:
    return _monthly("needs_kind", span, referral_facts.unmet_needs_by_kind)


def _live_needs_by_domain(span: Span):
    return store.as_cube(store.per_range(referral_facts.unmet_needs_by_domain, span)[0])


def unmet_needs_by_domain(since: date, until: date) -> tuple[Monthly, None]:
    return single(_cube("needs_domain", Span.of(since, until), _live_needs_by_domain)), None


def capacity_declines_by_domain(since: date, until: date) -> tuple[Monthly, dict[int, int]]:
    span = Span.of(since, until)
    if store.month_ranges(span) is None or not use_store():
        return referral_facts.capacity_declines_by_domain(since, until)
    monthly = single(_cube("capacity_domain", span, None))
    return monthly, cube_totals(_cube("capacity_total", span, None))
