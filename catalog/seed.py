"""Demo catalog: taxonomies, service areas and the programmes named in the founding documents.

Ids are derived from stable keys (uuid5), so loading twice changes nothing and exports stay
comparable between machines. Contact details (phones, e-mail, web page, address, opening hours)
exist only where the documents or a public page of the provider give them; every such fact is
listed in the entry's `sources` with the page and the day it was checked (see
tests/functional/test_catalog_contacts.py). A confidential service (safe house) never gets an
address.
"""

import json
import uuid
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa

from catalog.details import Address, CostOption, Language, Phone, RequiredDocument, Schedule, ServiceArea
from catalog.models import (
    LINK_DOMAIN,
    LINK_PROVIDER_TYPE,
    LINK_TARGET_GROUP,
    TAXONOMY_DOMAINS,
    TAXONOMY_PROVIDER_TYPES,
    TAXONOMY_TARGET_GROUPS,
    Attribute,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from welfare.extensions import db

DATA = Path(__file__).parent / "data"
NAMESPACE = uuid.UUID("5b3f4c1e-2a41-4d0c-9a57-6f0d2c1b7e11")
LINK_TYPES = {
    TAXONOMY_DOMAINS: LINK_DOMAIN,
    TAXONOMY_TARGET_GROUPS: LINK_TARGET_GROUP,
    TAXONOMY_PROVIDER_TYPES: LINK_PROVIDER_TYPE,
}


def stable_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(parts)))


def term_id(taxonomy_id: str, code: str) -> str:
    return f"{taxonomy_id}:{code}"


@lru_cache(maxsize=1)
def reference_data() -> dict:
    return json.loads((DATA / "taxonomies.json").read_text(encoding="utf-8"))


def known_areas() -> list[str]:
    """Service-area names offered to staff: national, regional, municipalities, then settlements."""
    areas = reference_data()["service_areas"]
    settlements = [s for group in areas["settlements"].values() for s in group]
    return [areas["national"], areas["regional"], *areas["municipalities"], *settlements]


def load_taxonomies() -> int:
    """Create the taxonomies and terms that do not exist yet; return how many terms were added.

    Two queries find what exists and one flush adds the rest: asking for each of the 52 rows in
    turn flushed the one added before it, a round trip each way per row (the test suite calls this
    in most of its setups)."""
    taxonomies = reference_data()["taxonomies"]
    have_taxonomies = set(db.session.scalars(sa.select(Taxonomy.id)))
    have_terms = set(db.session.scalars(sa.select(TaxonomyTerm.id)))
    added = 0
    for tax in taxonomies:
        if tax["id"] not in have_taxonomies:
            db.session.add(Taxonomy(id=tax["id"], name=tax["name"], description=tax["description"]))
        for code, name, description in tax["terms"]:
            if term_id(tax["id"], code) not in have_terms:
                db.session.add(
                    TaxonomyTerm(
                        id=term_id(tax["id"], code),
                        code=code,
                        name=name,
                        description=description,
                        taxonomy_id=tax["id"],
                        language="sl",
                    )
                )
                added += 1
    db.session.flush()
    return added


def _link(entity: str, record_id: str, taxonomy_id: str, code: str) -> Attribute:
    return Attribute(
        id=stable_id("attr", entity, record_id, taxonomy_id, code),
        link_id=record_id,
        link_entity=entity,
        link_type=LINK_TYPES[taxonomy_id],
        taxonomy_term_id=term_id(taxonomy_id, code),
    )


def phone_specs(value) -> list[dict]:
    """A spec's `phone`: one number, or a list of numbers or {"number", "description"} dicts."""
    if not value:
        return []
    items = value if isinstance(value, list) else [value]
    return [item if isinstance(item, dict) else {"number": item} for item in items]


def _phones(key: str, value, **owner) -> list[Phone]:
    phones = []
    for n, item in enumerate(phone_specs(value)):
        # The first keeps the id it always had, so an older database is not duplicated.
        phone_id = stable_id("phone", key) if n == 0 else stable_id("phone", key, item["number"])
        phones.append(
            Phone(id=phone_id, number=item["number"], description=item.get("description"), type="voice", **owner)
        )
    return phones


def _schedules(key: str, hours: list[dict], **owner) -> list[Schedule]:
    """Weekly rows, one per day (as the staff form keeps them): {"days": "MO,WE", "opens", "closes"}."""
    rows = []
    for slot in hours:
        for day in slot["days"].split(","):
            rows.append(
                Schedule(
                    id=stable_id("sched", key, day, slot["opens"]),
                    freq="WEEKLY",
                    byday=day,
                    opens_at=slot["opens"],
                    closes_at=slot["closes"],
                    description=slot.get("note"),
                    **owner,
                )
            )
    return rows


def _location(org: Organization, key: str, name: str, address: dict) -> Location:
    location = Location(id=stable_id("loc", key), organization=org, location_type="physical", name=name)
    location.addresses.append(
        Address(id=stable_id("addr", key), country="SI", address_type="physical", state_province="", **address)
    )
    db.session.add(location)
    return location


def _office_location(org: Organization, spec: dict) -> Location | None:
    if "address" not in spec:
        return None
    location = _location(org, spec["key"], spec["name"], spec["address"])
    location.schedules.extend(_schedules(f"loc:{spec['key']}", spec.get("hours", [])))
    return location


def _add_service(org: Organization, org_spec: dict, spec: dict, location: Location | None) -> None:
    service_id = stable_id("svc", org_spec["key"], spec["name"])
    service = Service(
        id=service_id,
        organization=org,
        name=spec["name"],
        alternate_name=spec.get("alt"),
        description=spec["desc"],
        url=spec.get("url"),
        email=spec.get("email"),
        eligibility_description=spec.get("elig"),
        application_process=spec.get("apply"),
        fees_description=spec.get("fees"),
        is_confidential_location=spec.get("conf", False),
        source_note=spec["source"],
        needs_verification=spec.get("verify", org_spec.get("verify", False)),
        is_published=True,
    )
    for area in spec.get("area", org_spec["area"]):
        service.service_areas.append(ServiceArea(id=stable_id("area", service_id, area), name=area))
    for document in spec.get("docs", []):
        service.required_documents.append(
            RequiredDocument(id=stable_id("doc", service_id, document), document=document)
        )
    if spec.get("free") is True:
        service.cost_options.append(
            CostOption(id=stable_id("cost", service_id), option="Brezplačno", amount=0, currency="EUR")
        )
    service.languages.append(Language(id=stable_id("lang", service_id, "sl"), name="slovenščina", code="sl"))
    if spec.get("address"):
        if spec.get("conf"):
            raise ValueError(f"{spec['name']}: a confidential service must not have an address")
        location = _location(org, f"svc:{service_id}", spec["name"], spec["address"])
        service.service_at_locations.append(ServiceAtLocation(id=stable_id("sal", service_id), location=location))
    elif spec.get("at_org") and location is not None:
        service.service_at_locations.append(ServiceAtLocation(id=stable_id("sal", service_id), location=location))
    service.phones.extend(_phones(f"svc:{service_id}", spec.get("phone")))
    # A service held at the organization's seat keeps the seat's office hours unless it has its own.
    hours = spec.get("hours") or (org_spec.get("hours", []) if spec.get("at_org") and not spec.get("address") else [])
    service.schedules.extend(_schedules(f"svc:{service_id}", hours))
    db.session.add(service)
    db.session.add_all([_link("service", service_id, TAXONOMY_DOMAINS, c) for c in spec["dom"]])
    db.session.add_all([_link("service", service_id, TAXONOMY_TARGET_GROUPS, c) for c in spec["grp"]])


def load_synonyms() -> int:
    """Seed the thesaurus from data/synonyms.txt when it is empty; return groups added."""
    from catalog.search import SynonymGroup

    if db.session.scalar(sa.select(sa.func.count()).select_from(SynonymGroup)):
        return 0
    text = (DATA / "synonyms.txt").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    groups = [g.strip() for g in "\n".join(lines).split("\n\n") if g.strip()]
    db.session.add_all(SynonymGroup(terms=g, note="starter set", updated_by="seed") for g in groups)
    db.session.flush()
    return len(groups)


def domain_phrase_seed() -> list[tuple[str, str]]:
    """(domain code, phrase) pairs from data/domain_phrases.txt."""
    pairs = []
    for line in (DATA / "domain_phrases.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#") and ":" in line:
            code, phrases = line.split(":", 1)
            pairs += [(code.strip(), p.strip()) for p in phrases.split(",") if p.strip()]
    return pairs


def load_domain_phrases() -> int:
    """Add the seed file's everyday phrases that the table lacks; return how many.

    Runs on an existing database too (`seed-demo`, `flask catalog seed-phrases`), so phrases
    added to the file reach it; a phrase staff removed (its audit event) is not brought back."""
    from catalog.search import DomainPhrase, forget_phrases, phrase_key
    from welfare.models import AuditEvent

    seen = {(t, k) for t, k in db.session.execute(sa.select(DomainPhrase.term_id, DomainPhrase.key))}
    removed = set()
    for detail in db.session.scalars(sa.select(AuditEvent.detail).where(AuditEvent.action == "catalog_phrase_removed")):
        code, _, phrase = (detail or "").partition(": ")
        removed.add((code, phrase_key(phrase)))
    # One query for the terms, not a lookup per phrase (each would flush the phrases added so far).
    terms = set(db.session.scalars(sa.select(TaxonomyTerm.id).where(TaxonomyTerm.taxonomy_id == TAXONOMY_DOMAINS)))
    added = 0
    for code, phrase in domain_phrase_seed():
        key = (term_id(TAXONOMY_DOMAINS, code), phrase_key(phrase))
        if not key[1] or key in seen or (code, key[1]) in removed or key[0] not in terms:
            continue
        seen.add(key)
        db.session.add(DomainPhrase(term_id=key[0], phrase=phrase, key=key[1], source="seed", created_by="seed"))
        added += 1
    db.session.flush()
    if added:
        forget_phrases()
    return added


def retire_seed_phrases() -> int:
    """Remove the phrases the seed file brought that it no longer holds (it made a risky one
    specific, or dropped one that named no need); return how many. Phrases staff added or
    accepted from the search log are theirs and stay."""
    from catalog.search import DomainPhrase, forget_phrases, phrase_key

    current = {(term_id(TAXONOMY_DOMAINS, code), phrase_key(phrase)) for code, phrase in domain_phrase_seed()}
    dropped = [
        row
        for row in db.session.scalars(sa.select(DomainPhrase).where(DomainPhrase.source == "seed"))
        if (row.term_id, row.key) not in current
    ]
    for row in dropped:
        db.session.delete(row)
    db.session.flush()
    if dropped:
        forget_phrases()
    return len(dropped)


def load_demo_catalog() -> tuple[int, int]:
    """Load organizations and services that are not there yet; return (organizations, services) added."""
    load_taxonomies()
    load_synonyms()
    load_domain_phrases()
    retire_seed_phrases()
    specs = json.loads((DATA / "demo_catalog.json").read_text(encoding="utf-8"))["organizations"]
    existing = set(db.session.scalars(sa.select(Organization.id)))
    orgs = services = 0
    for spec in specs:
        org_id = stable_id("org", spec["key"])
        if org_id in existing:
            continue
        org = Organization(
            id=org_id,
            name=spec["name"],
            alternate_name=spec.get("alt"),
            description=spec["desc"],
            website=spec.get("website"),
            email=spec.get("email"),
            source_note=spec["source"],
            needs_verification=spec.get("verify", False),
            is_published=True,
        )
        db.session.add(org)
        db.session.add_all(_phones(spec["key"], spec.get("phone"), organization_id=org_id))
        db.session.add(_link("organization", org_id, TAXONOMY_PROVIDER_TYPES, spec["type"]))
        location = _office_location(org, spec)
        for service_spec in spec["services"]:
            _add_service(org, spec, service_spec, location)
            services += 1
        orgs += 1
    db.session.commit()
    return orgs, services
