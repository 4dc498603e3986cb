"""Small factory functions for test data (real models, real session)."""

from catalog.details import Address, CostOption, Phone, Schedule, ServiceArea
from catalog.models import (
    LINK_DOMAIN,
    LINK_TARGET_GROUP,
    TAXONOMY_DOMAINS,
    TAXONOMY_TARGET_GROUPS,
    Attribute,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
)
from catalog.seed import load_taxonomies, term_id
from welfare.extensions import db


def make_org(name="Društvo Test", published=True, **kwargs) -> Organization:
    org = Organization(
        name=name, description=kwargs.pop("description", "Opis organizacije."), is_published=published, **kwargs
    )
    db.session.add(org)
    db.session.flush()
    return org


def make_service(
    org=None,
    name="Svetovanje za dolžnike",
    domains=("dolgovi",),
    groups=(),
    published=True,
    address=None,
    schedules=(),
    free=False,
    areas=("Novo mesto",),
    **kwargs,
) -> Service:
    load_taxonomies()
    org = org or make_org()
    service = Service(
        organization=org,
        name=name,
        description=kwargs.pop("description", "Pomoč pri dolgovih."),
        is_published=published,
        **kwargs,
    )
    for area in areas:
        service.service_areas.append(ServiceArea(name=area))
    if free:
        service.cost_options.append(CostOption(option="Brezplačno", amount=0, currency="EUR"))
    if address:
        location = Location(organization=org, name=name)
        location.addresses.append(Address(country="SI", state_province="", **address))
        service.service_at_locations.append(ServiceAtLocation(location=location))
    for row in schedules:
        service.schedules.append(Schedule(**row))
    db.session.add(service)
    db.session.flush()
    for code in domains:
        db.session.add(
            Attribute(
                link_id=service.id,
                link_entity="service",
                link_type=LINK_DOMAIN,
                taxonomy_term_id=term_id(TAXONOMY_DOMAINS, code),
            )
        )
    for code in groups:
        db.session.add(
            Attribute(
                link_id=service.id,
                link_entity="service",
                link_type=LINK_TARGET_GROUP,
                taxonomy_term_id=term_id(TAXONOMY_TARGET_GROUPS, code),
            )
        )
    db.session.flush()
    return service


def add_phone(service: Service, number: str) -> None:
    service.phones.append(Phone(number=number, type="voice"))
