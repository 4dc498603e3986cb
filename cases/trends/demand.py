"""Demand and supply per life domain: the page the municipal council acts on.

Demand columns come from a registry of *demand sources*, each a function returning, for a
date range, counts per top-level life domain per month (`facts.Monthly`). Two are built in:
challenges recorded and zero-result catalog searches. Two slots are reserved for the
referrals feature and stay empty (and their columns hidden) until it fills them:

    from cases.trends import demand
    demand.register_demand_source("unmet_needs", unmet_needs_by_domain)
    demand.register_demand_source("capacity_declines", capacity_declines_by_domain)

Supply is the number of published catalog services linked to the domain (the catalog's own
public rule, `catalog.services.domains_with_counts`).

A domain is *marked* (demand high, supply thin) when, using shown cells only (so the mark
leaks nothing a hidden cell holds):
- its shown demand (the sum of its shown demand cells) is at least k and at least the
  average shown demand over all domains, and
- supply is thin: at most THIN_SUPPLY published services, or at least twice as much demand
  per service as the office-wide ratio (all shown demand / all published services).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cases.trends import facts, stored
from cases.trends.periods import Period
from cases.trends.privacy import Cell, suppress
from cases.trends.tables import Row, Table, domain_categories, min_cell
from catalog import services as catalog
from catalog.learning import services as learning

THIN_SUPPLY = 2


@dataclass
class DemandSource:
    key: str
    label: object  # lazy string: the column heading
    counts: Callable[[date, date], tuple[dict, dict[int, int] | None]] | None
    additive: bool = True  # False: one record may count in several domains


def _challenges(since: date, until: date):
    return stored.challenges_by_domain(facts.Span.of(since, until)), None


def _zero_result_searches(since: date, until: date):
    by_code, totals = learning.zero_result_searches_by_domain(since, until)
    ids = {term.code: term.id for term, _n in catalog.domains_with_counts()}
    return {ids[code]: months for code, months in by_code.items() if code in ids}, totals


# Column order is fixed here; a slot with counts=None is a hook not filled yet (no column).
DEMAND_SOURCES: list[DemandSource] = [
    DemandSource("challenges", _l("Challenges recorded"), _challenges),
    # Filled by the referrals feature: needs recorded with no suitable service, by domain.
    DemandSource("unmet_needs", _l("Unmet needs"), None),
    # Filled by the referrals feature: referrals declined for lack of capacity, by domain.
    DemandSource("capacity_declines", _l("Declined for lack of capacity"), None),
    DemandSource("zero_searches", _l("Catalog searches with no result"), _zero_result_searches, additive=False),
]


def register_demand_source(key: str, counts, additive: bool = True, label=None) -> None:
    """Fill a reserved slot (or append a new column) with a per-domain monthly count function
    `counts(since, until) -> (monthly_by_domain_id, monthly_totals_or_None)`."""
    for source in DEMAND_SOURCES:
        if source.key == key:
            source.counts, source.additive = counts, additive
            if label is not None:
                source.label = label
            return
    DEMAND_SOURCES.append(DemandSource(key, label or key, counts, additive))


def active_sources() -> list[DemandSource]:
    return [s for s in DEMAND_SOURCES if s.counts is not None]


def mark_domains(rows: list[tuple[str, list[Cell], int]], k: int) -> set[str]:
    """The domains where demand is high and supply thin (the rule in the module docstring).
    `rows` holds (domain, demand cells, published services)."""
    demand = {key: sum(c.value for c in cells if c.value is not None) for key, cells, _s in rows}
    services = {key: s for key, _cells, s in rows}
    if not demand:
        return set()
    average = sum(demand.values()) / len(demand)
    total_services = sum(services.values())
    ratio = sum(demand.values()) / total_services if total_services else 0
    marked = set()
    for key, value in demand.items():
        high = value >= k and value >= average
        per_service = value / services[key] if services[key] else float("inf")
        thin = services[key] <= THIN_SUPPLY or (ratio and per_service >= 2 * ratio)
        if high and thin:
            marked.add(key)
    return marked


def demand_tables(period: Period) -> list:
    k = min_cell()
    since, until = period.start, period.end + timedelta(days=1)
    domains = domain_categories()
    keys = [key for key, _label in domains]
    columns: list[list[Cell]] = []
    totals: list[Cell] = []
    sources = active_sources()
    for source in sources:
        monthly, monthly_totals = source.counts(since, until)
        result = suppress(
            monthly,
            keys,
            [period.month_indexes],
            k,
            additive=source.additive,
            monthly_totals=monthly_totals,
        )
        columns.append([result.cells[key][0] for key in keys])
        totals.append(result.totals[0])
    supply = dict((term.id, n) for term, n in catalog.domains_with_counts())
    rows = []
    for i, (key, label) in enumerate(domains):
        cells = [column[i] for column in columns] + [Cell(supply.get(key, 0))]
        rows.append(Row(key, label, cells))
    marked = mark_domains([(row.key, row.cells[:-1], supply.get(row.key, 0)) for row in rows], k)
    table = Table(
        "demand_supply",
        _("Demand and supply by life domain, %(period)s", period=period.label),
        _("Life domain"),
        [str(s.label) for s in sources] + [_("Published catalog services")],
        rows,
        Row("total", _("All"), totals + [Cell(sum(supply.values()))]),
        note=_(
            "Marked rows: demand is high (at least %(k)d and at least the average) and supply thin "
            "(at most %(thin)d published services, or twice the office-wide demand per service). "
            "Searches without a domain filter count only in the total.",
            k=k,
            thin=THIN_SUPPLY,
        ),
        flagged=marked,
    )
    return [table]
