"""Factory functions for case records (real models, real session; the caller commits)."""

from datetime import date

from cases import events
from cases.models import Case, CaseStatus, Challenge, Consent, LegalBasis, Person, Urgency
from cases.names import name_key
from cases.services import next_case_number
from catalog.models import TAXONOMY_DOMAINS
from catalog.seed import load_taxonomies, term_id
from welfare.clock import today
from welfare.extensions import db


def make_person(first_name="Marija", last_name="Horvat", birth_year=1980, **kwargs) -> Person:
    person = Person(
        first_name=first_name,
        last_name=last_name,
        name_key=name_key(first_name, last_name),
        birth_year=birth_year,
        **kwargs,
    )
    db.session.add(person)
    db.session.flush()
    return person


def make_case(person=None, domain="dolgovi", assignees=(), status=CaseStatus.OPEN, opened_on=None, **kwargs) -> Case:
    load_taxonomies()
    person = person or make_person()
    opened_on = opened_on or today()
    case = Case(
        number=kwargs.pop("number", None) or next_case_number(opened_on.year),
        person=person,
        status=status,
        legal_basis=kwargs.pop("legal_basis", LegalBasis.SOCIAL_CARE),
        opened_on=opened_on,
        assignees=list(assignees),
        **kwargs,
    )
    case.challenges.append(
        Challenge(domain_id=term_id(TAXONOMY_DOMAINS, domain), description="Neplačani računi.", urgency=Urgency.HIGH)
    )
    db.session.add(case)
    events.case_changed(case)  # as the intake service does
    return case


def make_consent(case, organization_id=None, provider_type_id=None, given_on=None) -> Consent:
    consent = Consent(
        case=case,
        scope="Podatki o dolgovih.",
        organization_id=organization_id,
        provider_type_id=provider_type_id,
        text_version="2026-1",
        given_on=given_on or date(2026, 1, 5),
    )
    db.session.add(consent)
    db.session.flush()
    return consent
