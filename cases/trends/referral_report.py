"""The referrals section of the trend reports, and the referral columns of demand and supply.

Referrals count in the month they were sent (a cohort: what became of March's referrals stays
in March): what became of them, declines by reason, completions by outcome, referrals by life
domain and by receiving organization, median days to the organization's answer and to
completion, and unmet needs by what was missing. Every cell is perturbed (`privacy`).
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cases.needs.models import NeedKind
from cases.referrals.models import DeclineReason, ReferralOutcome
from cases.trends import demand, figures
from cases.trends.figures import Filters
from cases.trends.models import TrendReferral
from cases.trends.periods import Period
from cases.trends.reports import median_row, register_section
from cases.trends.tables import Table, count_table, domain_categories, enum_categories, months_of, summed
from cases.trends.units import STATE_BUCKETS
from catalog.models import Organization
from welfare.extensions import db


def state_categories() -> list[tuple[str, str]]:
    labels = {
        "waiting": _("Waiting for the organization's answer"),
        "accepted": _("Accepted or in progress"),
        "completed": _("Completed"),
        "declined": _("Declined"),
        "cancelled": _("Cancelled by the office"),
    }
    return [(key, labels[key]) for key in STATE_BUCKETS]


def _organization_categories(monthly: dict) -> list[tuple[str, str]]:
    """The receiving organizations seen in the figures, by name (public catalog entries)."""
    ids = [key for key in monthly if key != "unknown"]
    names = dict(
        db.session.execute(sa.select(Organization.id, Organization.name).where(Organization.id.in_(ids))).all()
    )
    return sorted(((i, names.get(i, i)) for i in ids), key=lambda c: c[1].casefold())


def referral_tables(period: Period, filters: Filters) -> list[Table]:
    periods = period.comparisons()
    months = months_of(periods)
    sent = summed(figures.referrals_sent(months, filters))
    by_organization = figures.referrals_by(TrendReferral.organization_id, months, filters)
    return [
        count_table(
            "referrals_state",
            _("Referrals sent, by what became of them"),
            _("State today"),
            state_categories(),
            figures.referrals_by(TrendReferral.state, months, filters),
            periods,
            note=_("Referrals count in the month they were sent; the total is all referrals sent."),
        ),
        count_table(
            "referrals_declined",
            _("Declined referrals by the organization's reason"),
            _("Reason"),
            enum_categories(DeclineReason),
            figures.referrals_by(TrendReferral.decline_reason, months, filters),
            periods,
        ),
        count_table(
            "referrals_outcome",
            _("Completed referrals by outcome"),
            _("Outcome"),
            enum_categories(ReferralOutcome),
            figures.referrals_by(TrendReferral.outcome, months, filters),
            periods,
        ),
        count_table(
            "referrals_domain",
            _("Referrals sent by life domain"),
            _("Life domain"),
            domain_categories(),
            figures.referrals_by_domain(months, filters),
            periods,
            total=sent,
        ),
        count_table(
            "referrals_organization",
            _("Referrals sent by receiving organization"),
            _("Organization"),
            _organization_categories(by_organization),
            by_organization,
            periods,
            shown_rows_only=True,
            note=_("Organizations whose figure shows 0 in every column are left out."),
        ),
        Table(
            "referrals_medians",
            _("Median days from sending"),
            _("Measure"),
            [p.label for p in periods],
            [
                median_row(
                    "answer",
                    _("Days to the organization's answer (accepted or declined)"),
                    figures.days_to_answer(months, filters),
                    periods,
                ),
                median_row("completion", _("Days to completion"), figures.days_to_completion(months, filters), periods),
            ],
            note=_(
                "A median over fewer than %(n)d referrals, or over a range that is not a whole month, quarter or year, is not shown.",
                n=10,
            ),
            unit="days",
            additive=False,
            periods=periods,
        ),
        count_table(
            "unmet_needs_kind",
            _("Unmet needs by what was missing"),
            _("What was missing"),
            enum_categories(NeedKind),
            figures.needs_by_kind(months, filters),
            periods,
            note=_("Includes the needs recorded automatically when an organization declined for lack of capacity."),
        ),
    ]


register_section("referrals", _l("Referrals and unmet needs"), referral_tables)
demand.register_demand_source("unmet_needs", figures.needs_by_domain, figures.needs_total)
demand.register_demand_source("capacity_declines", figures.capacity_declines_by_domain, figures.capacity_declines)
