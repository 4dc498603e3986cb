"""Demand and supply per life domain: the page the municipal council acts on.

Demand columns come from a registry of *demand sources*, each two functions of the months and
the filters: the figure per top-level life domain (`figures.Figure`), and the distinct records
per month for the total when a record may count in several domains (None: the domains
partition the records). Two are built in: challenges recorded, and catalog searches with no
result (anonymous web searches, counted as visitor-days: one visitor moves a day's figure by
one at most, see `catalog.learning`). The referrals feature fills two more: unmet needs and
declines for lack of capacity. A source that cannot be narrowed by the filters answers None
and its column is left out.

Supply is the number of published catalog services linked to the domain (the catalog's own
public rule, `catalog.services.domains_with_counts`).

A domain is *marked* (demand high, supply thin) when, using shown cells only:
- its shown demand (the sum of its shown demand cells) is at least k and at least the
  average shown demand over all domains, and
- supply is thin: at most THIN_SUPPLY published services, or at least twice as much demand
  per service as the office-wide ratio (all shown demand / all published services).
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cases.trends import figures
from cases.trends.figures import Figure, Filters
from cases.trends.periods import Period, month_start
from cases.trends.privacy import Cell, Count
from cases.trends.tables import Row, Table, domain_categories, min_cell, period_cell, summed
from cases.trends.units import month_index
from catalog import services as catalog
from catalog.learning import services as learning

THIN_SUPPLY = 2
Source = Callable[[list[int], Filters], Figure | None]


@dataclass
class DemandSource:
    key: str
    label: object  # lazy string: the column heading
    counts: Source | None
    totals: Source | None = None  # None: the domains partition the records


def _challenges(months: list[int], filters: Filters) -> Figure:
    return figures.challenges_by_domain(months, filters)


def _search_units(months: list[int], filters: Filters) -> list | None:
    if filters.of_person:
        return None  # an anonymous search has no person
    since, until = month_start(min(months)), month_start(max(months) + 1)
    wanted = set(months)
    return [u for u in learning.zero_result_demand(since, until) if month_index(u.day) in wanted]


def _zero_result_searches(months: list[int], filters: Filters) -> Figure | None:
    units = _search_units(months, filters)
    if units is None:
        return None
    ids = {term.code: term.id for term, _n in catalog.domains_with_counts()}
    figure: Figure = {}
    for unit in units:
        for code in unit.domains:
            domain = ids.get(code)
            if domain is None or (filters.domain and domain != filters.domain):
                continue
            months_ = figure.setdefault(domain, {})
            month = month_index(unit.day)
            months_[month] = months_.get(month, Count()) + Count(1, unit.key)
    return figure


def _zero_result_total(months: list[int], filters: Filters) -> Figure | None:
    units = _search_units(months, filters)
    if units is None:
        return None
    ids = {term.code: term.id for term, _n in catalog.domains_with_counts()}
    total: dict[int, Count] = {}
    for unit in units:
        if filters.domain and filters.domain not in {ids.get(code) for code in unit.domains}:
            continue
        month = month_index(unit.day)
        total[month] = total.get(month, Count()) + Count(1, unit.key)
    return {"total": total}


# Column order is fixed here; a slot with counts=None is a hook not filled yet (no column).
DEMAND_SOURCES: list[DemandSource] = [
    DemandSource("challenges", _l("Challenges recorded"), _challenges),
    # Filled by the referrals feature: needs recorded with no suitable service, by domain.
    DemandSource("unmet_needs", _l("Unmet needs"), None),
    # Filled by the referrals feature: referrals declined for lack of capacity, by domain.
    DemandSource("capacity_declines", _l("Declined for lack of capacity"), None),
    DemandSource(
        "zero_searches",
        _l("Catalog searches with no result (anonymous web searches, counted as visitors per day)"),
        _zero_result_searches,
        _zero_result_total,
    ),
]


def register_demand_source(key: str, counts: Source, totals: Source | None = None, label=None) -> None:
    """Fill a reserved slot (or append a new column) with a per-domain figure function and,
    when a record may count in several domains, the function of its distinct records."""
    for source in DEMAND_SOURCES:
        if source.key == key:
            source.counts, source.totals = counts, totals
            if label is not None:
                source.label = label
            return
    DEMAND_SOURCES.append(DemandSource(key, label or key, counts, totals))


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


def demand_tables(period: Period, filters: Filters) -> list[Table]:
    k = min_cell()
    months = list(period.month_indexes)
    domains = domain_categories()
    if filters.domain:
        domains = [(key, label) for key, label in domains if key == filters.domain]
    columns: list[list[Cell]] = []
    totals: list[Cell] = []
    labels: list[str] = []
    for source in active_sources():
        figure = source.counts(months, filters)
        if figure is None:
            continue
        total = summed(figure) if source.totals is None else summed(source.totals(months, filters) or {})
        columns.append([period_cell(figure.get(key, {}), period, k) for key, _label in domains])
        totals.append(period_cell(total, period, k))
        labels.append(str(source.label))
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
        labels + [_("Published catalog services")],
        rows,
        Row("total", _("All"), totals + [Cell(sum(supply.get(key, 0) for key, _label in domains))]),
        note=_(
            "Marked rows: demand is high (at least %(k)d and at least the average) and supply thin "
            "(at most %(thin)d published services, or twice the office-wide demand per service). "
            "Searches without a domain filter count only in the total.",
            k=k,
            thin=THIN_SUPPLY,
        ),
        flagged=marked,
        additive=False,
        periods=[period] * (len(labels) + 1),
        column_units=["count"] * len(labels) + ["services"],  # supply counts public catalog entries
    )
    return [table]
