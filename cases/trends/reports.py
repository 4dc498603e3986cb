"""The report sections: figures through the perturbation, labelled.

A report is a list of *sections* (people, case flow, referrals, demand and supply); each
section builds its tables for a period (only months that have ended), its comparisons, and
the supervisor's filters. `register_section` adds a section; `demand.register_demand_source`
adds a demand column.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cases.models import CaseOutcome, Channel, Gender, Urgency
from cases.trends import figures
from cases.trends.demand import demand_tables
from cases.trends.figures import CHALLENGE_BUCKETS, Filters
from cases.trends.periods import Period
from cases.trends.privacy import NOT_SHOWN, Cell, Count, median_cell, perturb
from cases.trends.tables import (
    Row,
    Table,
    count_table,
    domain_categories,
    enum_categories,
    min_cell,
    months_of,
    period_cell,
    place_categories,
    summed,
)
from cases.trends.units import AGE_BANDS, UNKNOWN
from welfare.models import Role


@dataclass(frozen=True)
class Section:
    key: str
    title: object  # a lazy string
    build: Callable[[Period, Filters], list[Table]]


SECTIONS: dict[str, Section] = {}


def register_section(key: str, title, build: Callable[[Period, Filters], list[Table]]) -> None:
    """Add a report section (its page is /trends/<key>, and it joins the export)."""
    SECTIONS[key] = Section(key, title, build)


def age_categories() -> list[tuple[str, str]]:
    return [(band, band) for band in AGE_BANDS] + [(UNKNOWN, _("Not known"))]


def median_row(key: str, label: str, by_month: dict[int, list[int]], periods: list[Period]) -> Row:
    """Medians for aligned periods only: over a custom or partial range, the medians of many
    overlapping ranges could be compared until one case's days show (`privacy.median_cell`)."""
    return Row(
        key,
        label,
        [
            median_cell([v for m in p.month_indexes for v in by_month.get(m, ())])
            if len(p.blocks()) == 1
            else Cell(None, NOT_SHOWN)
            for p in periods
        ],
    )


# ---- section: new cases and anonymous contacts ------------------------------------------------


def people_tables(period: Period, filters: Filters) -> list[Table]:
    periods = period.comparisons()
    months = months_of(periods)
    people = figures.person_figures(months, filters)
    opened = summed(people["total"])
    municipality, settlement = people["municipality"], people["settlement"]
    tables = [
        count_table(
            "cases_domain",
            _("New cases by life domain"),
            _("Life domain"),
            domain_categories(),
            figures.cases_by_domain(months, filters),
            periods,
            total=opened,
            note=_("A case with challenges in several domains counts once in each."),
        ),
        count_table(
            "cases_age",
            _("New cases by age band at opening"),
            _("Age band"),
            age_categories(),
            people["age_band"],
            periods,
        ),
        count_table(
            "cases_gender",
            _("New cases by gender"),
            _("Gender"),
            enum_categories(Gender),
            people["gender"],
            periods,
        ),
        count_table(
            "cases_municipality",
            _("New cases by municipality"),
            _("Municipality"),
            place_categories(municipality, _("Other municipality")),
            municipality,
            periods,
            shown_rows_only=True,
        ),
        count_table(
            "cases_settlement",
            _("New cases by settlement"),
            _("Settlement"),
            place_categories(settlement, _("Other settlement")),
            settlement,
            periods,
            shown_rows_only=True,
            note=_("Settlements from the official list; places not on it count as other."),
        ),
        count_table(
            "challenges_per_case",
            _("New cases by number of challenges"),
            _("Challenges"),
            [(b, b) for b in CHALLENGE_BUCKETS],
            figures.challenges_per_case(months, filters),
            periods,
        ),
        count_table(
            "challenges_urgency",
            _("Challenges of new cases by urgency"),
            _("Urgency"),
            enum_categories(Urgency),
            figures.challenges_by_urgency(months, filters),
            periods,
        ),
    ]
    contacts_domain = figures.contacts_by_domain(months, filters)
    if contacts_domain is not None:  # contacts record no person: not narrowed by a person's facts
        tables[1:1] = [
            count_table(
                "contacts_domain",
                _("Anonymous contacts by life domain"),
                _("Life domain"),
                domain_categories(),
                contacts_domain,
                periods,
                total=summed(figures.contacts_total(months, filters)),
            )
        ]
        tables.append(
            count_table(
                "contacts_channel",
                _("Anonymous contacts by channel"),
                _("Channel"),
                enum_categories(Channel),
                figures.contacts_by_channel(months, filters),
                periods,
                note=_("Cases record no channel: they start with a walk-in or an appointment."),
            )
        )
    return tables


# ---- section: case flow -----------------------------------------------------------------------


def flow_tables(period: Period, filters: Filters) -> list[Table]:
    periods = period.comparisons()
    months = months_of(periods)
    k = min_cell()
    labels = [p.label for p in periods]
    opened = summed(figures.cases_opened(months, filters))
    closed_by_outcome = figures.cases_closed(months, filters)
    closed = count_table(
        "flow_closed",
        _("Cases closed by outcome"),
        _("Outcome"),
        enum_categories(CaseOutcome),
        closed_by_outcome,
        periods,
    )
    ends = [p.first + p.months - 1 for p in periods]
    still_open = [Cell(perturb(figures.open_at_end(end, filters), k)) for end in ends]
    summary = Table(
        "flow_summary",
        _("Case flow"),
        _("Cases"),
        labels,
        [
            Row("opened", _("Opened"), [period_cell(opened, p, k) for p in periods]),
            Row("closed", _("Closed"), closed.total.cells),
            Row("open_at_end", _("Still open at the end of the period"), still_open),
        ],
        note=_("Each figure is perturbed on its own: opened minus closed need not equal the change in open cases."),
        additive=False,
        periods=periods,
    )
    medians = Table(
        "flow_medians",
        _("Median days"),
        _("Measure"),
        labels,
        [
            median_row(
                "first_plan",
                _("Days from opening to the first plan (cases opened in the period)"),
                figures.days_to_first_plan(months, filters),
                periods,
            ),
            median_row(
                "closure",
                _("Days from opening to closure (cases closed in the period)"),
                figures.days_to_closure(months, filters),
                periods,
            ),
        ],
        note=_(
            "A median over fewer than %(n)d cases, or over a range that is not a whole month, quarter or year, is not shown.",
            n=10,
        ),
        unit="days",
        additive=False,
        periods=periods,
    )
    roles = [(r.value, r.label) for r in (Role.ORGANIZER, Role.LAWYER, Role.SOCIAL_WORKER)]
    roles.append(("unassigned", _("No one assigned")))
    loads = [figures.caseload_by_role(end, filters) for end in ends]
    caseload = Table(
        "flow_caseload",
        _("Open cases at the end of the period by team role"),
        _("Team role"),
        labels,
        [Row(r, label, [Cell(perturb(load.get(r, Count()), k)) for load in loads]) for r, label in roles],
        Row("total", _("Open cases"), still_open),
        note=_("By role, never by person; a case with assignees in two roles counts for both."),
        additive=False,
        periods=periods,
    )
    return [summary, closed, medians, caseload]


register_section("people", _l("New cases and anonymous contacts"), people_tables)
register_section("flow", _l("Case flow"), flow_tables)
register_section("demand", _l("Demand and supply"), demand_tables)
