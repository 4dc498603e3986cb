"""The report sections: facts (counts per month) through the privacy engine, labelled.

A report is a list of *sections* (people, case flow, demand and supply); each section builds
its tables for a period and its comparisons. Later features plug in without editing this
file: `register_section` adds a section (referrals: sent/accepted/declined by organization),
and `demand.register_demand_source` adds a demand column (unmet needs, capacity declines).
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cases.models import CaseOutcome, Channel, Gender, Urgency
from cases.trends import facts, stored
from cases.trends.demand import demand_tables
from cases.trends.periods import Period
from cases.trends.privacy import median_cell, snapshot, suppress
from cases.trends.tables import (
    Row,
    Table,
    count_table,
    domain_categories,
    enum_categories,
    min_cell,
    seen_categories,
    span,
)
from welfare.models import Role


@dataclass(frozen=True)
class Section:
    key: str
    title: object  # a lazy string
    build: Callable[[Period], list[Table]]


SECTIONS: dict[str, Section] = {}


def register_section(key: str, title, build: Callable[[Period], list[Table]]) -> None:
    """Add a report section (its page is /trends/<key>, and it joins the export)."""
    SECTIONS[key] = Section(key, title, build)


# ---- section: new cases and anonymous contacts ------------------------------------------------


def people_tables(period: Period) -> list[Table]:
    periods = period.comparisons()
    days = span(periods)
    domains = domain_categories()
    people, opened = stored.person_figures(days)
    contact_cube = stored.contact_cube(days)
    contacts = facts.cube_totals(contact_cube)
    challenges = stored.challenge_cube(days)
    ages = [(band, band) for band in facts.AGE_BANDS] + [(facts.UNKNOWN, _("Not known"))]

    def person(fact: str):
        return people[fact]

    municipality, settlement = person("municipality"), person("settlement")
    return [
        count_table(
            "cases_domain",
            _("New cases by life domain"),
            _("Life domain"),
            domains,
            stored.cases_by_domain(days),
            periods,
            additive=False,
            monthly_totals=opened,
            note=_("A case with challenges in several domains counts once in each."),
        ),
        count_table(
            "contacts_domain",
            _("Anonymous contacts by life domain"),
            _("Life domain"),
            domains,
            stored.contacts_by_domain(days),
            periods,
            additive=False,
            monthly_totals=contacts,
        ),
        count_table(
            "cases_age",
            _("New cases by age band at opening"),
            _("Age band"),
            ages,
            person("age_band"),
            periods,
        ),
        count_table(
            "cases_gender",
            _("New cases by gender"),
            _("Gender"),
            enum_categories(Gender),
            person("gender"),
            periods,
        ),
        count_table(
            "cases_municipality",
            _("New cases by municipality"),
            _("Municipality"),
            seen_categories(municipality),
            municipality,
            periods,
        ),
        count_table(
            "cases_settlement",
            _("New cases by settlement"),
            _("Settlement"),
            seen_categories(settlement),
            settlement,
            periods,
        ),
        count_table(
            "contacts_channel",
            _("Anonymous contacts by channel"),
            _("Channel"),
            enum_categories(Channel),
            facts.margin(contact_cube, 0),
            periods,
            note=_("Cases record no channel: they start with a walk-in or an appointment."),
        ),
        count_table(
            "challenges_per_case",
            _("New cases by number of challenges"),
            _("Challenges"),
            [(b, b) for b in facts.CHALLENGE_BUCKETS],
            stored.challenges_per_case(days),
            periods,
        ),
        count_table(
            "challenges_urgency",
            _("Challenges of new cases by urgency"),
            _("Urgency"),
            enum_categories(Urgency),
            facts.margin(challenges, 1),
            periods,
        ),
    ]


# ---- section: case flow -----------------------------------------------------------------------


def flow_tables(period: Period) -> list[Table]:
    periods = period.comparisons()
    days = span(periods)
    k = min_cell()
    columns = [p.month_indexes for p in periods]
    # Each row is its own figure (they do not add up), so each is suppressed on its own.
    opened = suppress({"n": stored.cases_opened(days)}, ["n"], columns, k).cells["n"]
    closed_monthly = stored.cases_closed_by_outcome(days)
    closed = count_table(
        "flow_closed",
        _("Cases closed by outcome"),
        _("Outcome"),
        enum_categories(CaseOutcome),
        closed_monthly,
        periods,
    )
    open_counts = [stored.open_at(p.end) for p in periods]
    still_open = snapshot([{"n": n} for n in open_counts], ["n"], k).cells["n"]
    summary = Table(
        "flow_summary",
        _("Case flow"),
        _("Cases"),
        [p.label for p in periods],
        [
            Row("opened", _("Opened"), opened),
            Row("closed", _("Closed"), closed.total.cells),
            Row("open_at_end", _("Still open at the end of the period"), still_open),
        ],
    )
    medians = Table(
        "flow_medians",
        _("Median days"),
        _("Measure"),
        [p.label for p in periods],
        [
            Row(
                "first_plan",
                _("Days from opening to the first plan (cases opened in the period)"),
                [median_cell(values, k) for values in facts.per_period(stored.days_to_first_plan(days), periods)],
            ),
            Row(
                "closure",
                _("Days from opening to closure (cases closed in the period)"),
                [median_cell(values, k) for values in facts.per_period(stored.days_to_closure(days), periods)],
            ),
        ],
        note=_("A median over fewer than %(k)d cases is not shown.", k=k),
        unit="days",
    )
    roles = [(r.value, r.label) for r in (Role.ORGANIZER, Role.LAWYER, Role.SOCIAL_WORKER)]
    roles.append(("unassigned", _("No one assigned")))
    loads = [stored.caseload_by_role(p.end) for p in periods]
    caseload = snapshot(loads, [r for r, _label in roles], k, totals=open_counts)
    caseload_table = Table(
        "flow_caseload",
        _("Open cases at the end of the period by team role"),
        _("Team role"),
        [p.label for p in periods],
        [Row(r, label, caseload.cells[r]) for r, label in roles],
        Row("total", _("Open cases"), still_open),
        note=_("By role, never by person; a case with assignees in two roles counts for both."),
    )
    return [summary, closed, medians, caseload_table]


register_section("people", _l("New cases and anonymous contacts"), people_tables)
register_section("flow", _l("Case flow"), flow_tables)
register_section("demand", _l("Demand and supply"), demand_tables)
