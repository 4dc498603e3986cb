"""The referrals section of the trend reports, and the referral columns of demand and supply.

Figures (referrals count in the month they were sent, see `referral_facts`): what became of
the referrals sent, declines by reason, completions by outcome, referrals sent by life domain
and by receiving organization, median days to the organization's answer and to completion,
and unmet needs by what was missing. Each table is one dimension with period columns, so the
privacy engine's complementary suppression covers it; a cross-table of organization by state
would need two-way suppression and is left out on purpose.
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cases.needs.models import NeedKind
from cases.referrals.models import DeclineReason, ReferralOutcome
from cases.trends import demand, referral_facts, stored
from cases.trends.facts import per_period
from cases.trends.periods import Period
from cases.trends.privacy import median_cell
from cases.trends.reports import register_section
from cases.trends.tables import Row, Table, count_table, domain_categories, enum_categories, min_cell, span
from catalog.models import Organization
from welfare.extensions import db


def _state_categories() -> list[tuple[str, str]]:
    labels = {
        "waiting": _("Waiting for the organization's answer"),
        "accepted": _("Accepted or in progress"),
        "completed": _("Completed"),
        "declined": _("Declined"),
        "cancelled": _("Cancelled by the office"),
    }
    return [(key, labels[key]) for key in referral_facts.STATE_BUCKETS]


def _organization_categories(monthly: dict) -> list[tuple[str, str]]:
    """The receiving organizations seen in the figures, by name (public catalog entries)."""
    ids = [key for key in monthly if key != "unknown"]
    names = dict(
        db.session.execute(sa.select(Organization.id, Organization.name).where(Organization.id.in_(ids))).all()
    )
    return sorted(((i, names.get(i, i)) for i in ids), key=lambda c: c[1].casefold())


def referral_tables(period: Period) -> list[Table]:
    periods = period.comparisons()
    days = span(periods)
    k = min_cell()
    sent = stored.sent_cube(days)
    totals = referral_facts.sent_totals(sent)
    by_domain = stored.sent_by_domain(days)
    by_organization = referral_facts.sent_by(sent, "organization")
    tables = [
        count_table(
            "referrals_state",
            _("Referrals sent, by what became of them"),
            _("State today"),
            _state_categories(),
            referral_facts.sent_by(sent, "state"),
            periods,
            note=_("Referrals count in the month they were sent; the total is all referrals sent."),
        ),
        count_table(
            "referrals_declined",
            _("Declined referrals by the organization's reason"),
            _("Reason"),
            enum_categories(DeclineReason),
            referral_facts.sent_by(sent, "decline_reason"),
            periods,
        ),
        count_table(
            "referrals_outcome",
            _("Completed referrals by outcome"),
            _("Outcome"),
            enum_categories(ReferralOutcome),
            referral_facts.sent_by(sent, "outcome"),
            periods,
        ),
        count_table(
            "referrals_domain",
            _("Referrals sent by life domain"),
            _("Life domain"),
            domain_categories(),
            by_domain,
            periods,
            additive=False,
            monthly_totals=totals,
        ),
        count_table(
            "referrals_organization",
            _("Referrals sent by receiving organization"),
            _("Organization"),
            _organization_categories(by_organization),
            by_organization,
            periods,
            monthly_totals=totals,
        ),
        Table(
            "referrals_medians",
            _("Median days from sending"),
            _("Measure"),
            [p.label for p in periods],
            [
                Row(
                    "answer",
                    _("Days to the organization's answer (accepted or declined)"),
                    [median_cell(v, k) for v in per_period(stored.days_to_answer(days), periods)],
                ),
                Row(
                    "completion",
                    _("Days to completion"),
                    [median_cell(v, k) for v in per_period(stored.days_to_completion(days), periods)],
                ),
            ],
            note=_("A median over fewer than %(k)d referrals is not shown.", k=k),
            unit="days",
        ),
        count_table(
            "unmet_needs_kind",
            _("Unmet needs by what was missing"),
            _("What was missing"),
            enum_categories(NeedKind),
            stored.unmet_needs_by_kind(days),
            periods,
            note=_("Includes the needs recorded automatically when an organization declined for lack of capacity."),
        ),
    ]
    return tables


register_section("referrals", _l("Referrals and unmet needs"), referral_tables)
demand.register_demand_source("unmet_needs", stored.unmet_needs_by_domain)
demand.register_demand_source("capacity_declines", stored.capacity_declines_by_domain, additive=False)
