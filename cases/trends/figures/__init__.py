"""Every figure of the trend reports, computed in this one package (its front door).

A figure is a count per category per month, each count with its cell key
(`privacy.Count`): {category: {month index: Count}}. It is read from the de-identified
rows of `models` (cases, referrals) and from the columns of challenges, anonymous contacts
and unmet needs that hold nothing but what is counted: a life domain, urgency, channel,
kind, date and record key. Names, free text, exact birth dates and staff identities are never
selected. `Filters` narrow every figure to one life domain, municipality, age band and/or
gender; a figure that cannot be narrowed so (anonymous contacts have no person) answers None.

A life domain is the top of the catalog's taxonomy (a sub-domain counts for its parent),
read when the report is built, so moving a term in the taxonomy needs no rebuild.
"""

from cases.trends.figures.cases import (
    CHALLENGE_BUCKETS,
    caseload_by_role,
    cases_by_domain,
    cases_closed,
    cases_opened,
    challenges_by_domain,
    challenges_by_urgency,
    challenges_per_case,
    days_to_closure,
    days_to_first_plan,
    open_at_end,
    person_figures,
)
from cases.trends.figures.query import NONE, Figure, Filters, top_domain
from cases.trends.figures.records import (
    contacts_by_channel,
    contacts_by_domain,
    contacts_total,
    needs_by_domain,
    needs_by_kind,
    needs_total,
)
from cases.trends.figures.referrals import (
    capacity_declines,
    capacity_declines_by_domain,
    days_to_answer,
    days_to_completion,
    organization_referrals_by,
    referrals_by,
    referrals_by_domain,
    referrals_sent,
)

__all__ = [
    "CHALLENGE_BUCKETS",
    "NONE",
    "Figure",
    "Filters",
    "capacity_declines",
    "capacity_declines_by_domain",
    "caseload_by_role",
    "cases_by_domain",
    "cases_closed",
    "cases_opened",
    "challenges_by_domain",
    "challenges_by_urgency",
    "challenges_per_case",
    "contacts_by_channel",
    "contacts_by_domain",
    "contacts_total",
    "days_to_answer",
    "days_to_closure",
    "days_to_completion",
    "days_to_first_plan",
    "needs_by_domain",
    "needs_by_kind",
    "needs_total",
    "open_at_end",
    "organization_referrals_by",
    "person_figures",
    "referrals_by",
    "referrals_by_domain",
    "referrals_sent",
    "top_domain",
]
