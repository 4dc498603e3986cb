"""Hand-made data for the trend reports: cases and contacts with only the facts reports read
(the caller commits). Every figure in tests/functional/test_trends*.py is counted from these.
Like the case services, the factories announce what they add (`cases.events`); a test that
changes their records afterwards calls `recount()`."""

import json
import uuid
from datetime import date, datetime

from cases import events as announce
from cases.models import (
    AnonymousContact,
    Case,
    CaseOutcome,
    CaseStatus,
    Challenge,
    Channel,
    ContactAction,
    Gender,
    LegalBasis,
    Person,
    Urgency,
)
from cases.names import name_key
from cases.plans.models import PlanGoal
from cases.referrals.models import Referral, ReferralEvent
from cases.services import next_case_number
from catalog.models import TAXONOMY_DOMAINS, TaxonomyTerm
from catalog.search import SearchLog
from catalog.seed import load_taxonomies, term_id
from welfare.extensions import db


def add_cases(
    n: int,
    opened_on: date,
    domain: str = "dolgovi",
    gender: Gender = Gender.FEMALE,
    birth_year: int | None = 1980,
    municipality: str = "Novo mesto",
    settlement: str = "Bršljin",
    urgency: Urgency = Urgency.HIGH,
    closed_on: date | None = None,
    outcome: CaseOutcome | None = None,
    plan_on: date | None = None,
    assignees=(),
) -> list[Case]:
    load_taxonomies()
    cases = []
    for i in range(n):
        person = Person(
            first_name="Tajna",
            last_name=f"Oseba{i}",
            name_key=name_key("Tajna", f"Oseba{i}"),
            birth_year=birth_year,
            gender=gender,
            municipality=municipality,
            settlement=settlement,
        )
        case = Case(
            number=next_case_number(opened_on.year),
            person=person,
            status=CaseStatus.CLOSED if closed_on else CaseStatus.OPEN,
            legal_basis=LegalBasis.SOCIAL_CARE,
            opened_on=opened_on,
            closed_on=closed_on,
            outcome=outcome,
            assignees=list(assignees),
        )
        case.challenges.append(
            Challenge(domain_id=term_id(TAXONOMY_DOMAINS, domain), description="Zaupno besedilo.", urgency=urgency)
        )
        db.session.add(case)
        db.session.flush()
        if plan_on:
            db.session.add(
                PlanGoal(case_id=case.id, title="Cilj", created_at=datetime.combine(plan_on, datetime.min.time()))
            )
        cases.append(case)
    announce.case_changed(*cases)
    return cases


def recount() -> None:
    """Records were changed by hand after they were added: derive the counted rows again."""
    announce.many_changed()


def add_contacts(n: int, occurred_on: date, channel: Channel = Channel.PHONE, domains=("dolgovi",)) -> None:
    load_taxonomies()
    terms = [db.session.get(TaxonomyTerm, term_id(TAXONOMY_DOMAINS, code)) for code in domains]
    for _ in range(n):
        db.session.add(
            AnonymousContact(occurred_on=occurred_on, channel=channel, action=ContactAction.INFORMED, domains=terms)
        )
    db.session.flush()


def add_zero_result_searches(n: int, at: datetime, domain: str | None) -> None:
    """n zero-result searches by n different visitors (the figure counts visitor-days)."""
    filters = json.dumps({"domain": [domain]} if domain else {})
    for _ in range(n):
        visitor = uuid.uuid4().hex[:16]
        db.session.add(
            SearchLog(at=at, query="iskanje", query_key="iskanje", filters=filters, result_count=0, visitor=visitor)
        )
    db.session.flush()


def add_referral(case, service, status, events, sent_at, **fields) -> Referral:
    """A referral of the case's challenges to the service, sent at `sent_at`, then moved on by
    the organization through `events` ((to_status, at) pairs)."""
    referral = Referral(
        case_id=case.id,
        to_service_id=service.id,
        organization_id=service.organization_id,
        status=status,
        sent_at=sent_at,
        challenges=list(case.challenges),
        **fields,
    )
    referral.events.append(ReferralEvent(at=sent_at, from_status="draft", to_status="sent"))
    for to_status, at in events:
        referral.events.append(ReferralEvent(at=at, to_status=to_status, by_organization=True))
    db.session.add(referral)
    db.session.flush()
    announce.referral_changed(referral)
    return referral
