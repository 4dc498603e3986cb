"""The demo catalog built from the founding documents."""

import json
import re

import pytest
import sqlalchemy as sa

from catalog.details import Phone
from catalog.models import LINK_DOMAIN, TAXONOMY_DOMAINS, Attribute, Organization, Service, TaxonomyTerm
from catalog.seed import DATA, known_areas, load_demo_catalog, phone_specs
from welfare.extensions import db

DOMAIN_MD_DOMAINS = 31  # the starter set of life domains in shared/DOMAIN.md


@pytest.mark.slow  # seeds the whole demo: the slow tier
def test_demo_catalog_is_large_sourced_and_idempotent(app):
    with app.app_context():
        orgs, services = load_demo_catalog()
        assert orgs >= 50 and services >= 100
        assert load_demo_catalog() == (0, 0)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Service)) == services
        for service in db.session.scalars(sa.select(Service)):
            assert service.source_note, service.name
            assert service.is_published
            # Entries not taken from the documents say so and are flagged for verification.
            if "splošnega znanja" in service.source_note:
                assert service.needs_verification, service.name
            else:
                assert re.search(r"A\d+: \d{3} ", service.source_note), service.source_note


def test_every_life_domain_has_a_service(app, demo):
    with app.app_context():
        domains = db.session.scalars(sa.select(TaxonomyTerm).where(TaxonomyTerm.taxonomy_id == TAXONOMY_DOMAINS)).all()
        assert len(domains) == DOMAIN_MD_DOMAINS
        used = set(db.session.scalars(sa.select(Attribute.taxonomy_term_id).where(Attribute.link_type == LINK_DOMAIN)))
        assert {d.id for d in domains} <= used


def test_no_invented_contact_details(app, demo):
    """Every phone and e-mail in the database is one the seed data lists with its source
    (tests/functional/test_catalog_contacts.py checks the sources); nothing else is made up."""
    specs = json.loads((DATA / "demo_catalog.json").read_text(encoding="utf-8"))["organizations"]
    entries = [*specs, *(s for org in specs for s in org["services"])]
    sourced = {f for e in entries for f in (s["field"] for s in e.get("sources", []))}
    assert {"phone", "email"} <= sourced
    with app.app_context():
        phones = set(db.session.scalars(sa.select(Phone.number)))
        assert phones == {p["number"] for e in entries for p in phone_specs(e.get("phone"))}
        emails = {e for e in db.session.scalars(sa.select(Organization.email)) if e}
        emails |= {e for e in db.session.scalars(sa.select(Service.email)) if e}
        assert emails == {e["email"] for e in entries if e.get("email")}
        assert "mestna.obcina@novomesto.si" in emails


def test_confidential_service_has_no_address(app, demo):
    with app.app_context():
        safe_houses = db.session.scalars(sa.select(Service).where(Service.is_confidential_location)).all()
        assert safe_houses and all(not s.service_at_locations for s in safe_houses)


def test_municipalities_and_settlements_are_service_areas():
    areas = known_areas()
    for name in ("Novo mesto", "Semič", "Krško", "Brezje-Žabjak", "Kerinov Grm", "Dolga vas", "Vsa Slovenija"):
        assert name in areas
    assert len(areas) == len(set(areas))
