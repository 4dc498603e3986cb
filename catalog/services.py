"""Catalog queries and rules as plain functions; views stay thin."""

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import selectinload

from catalog.models import (
    LINK_DOMAIN,
    TAXONOMY_DOMAINS,
    Attribute,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    TaxonomyTerm,
)
from welfare import params
from welfare.extensions import db

PUBLIC_PAGE_SIZE = 20


def public_service_filter():
    """Only published, non-archived, non-defunct services of public organizations are shown."""
    return sa.and_(
        Service.is_published.is_(True),
        Service.archived_at.is_(None),
        Service.status != ServiceStatus.DEFUNCT,
        Organization.is_published.is_(True),
        Organization.archived_at.is_(None),
    )


def public_services():
    return sa.select(Service).join(Service.organization).where(public_service_filter())


def with_details(query):
    return query.options(
        selectinload(Service.organization),
        selectinload(Service.schedules),
        selectinload(Service.phones),
        selectinload(Service.contacts),
        selectinload(Service.languages),
        selectinload(Service.cost_options),
        selectinload(Service.service_areas),
        selectinload(Service.required_documents),
        selectinload(Service.attributes).selectinload(Attribute.taxonomy_term),
        selectinload(Service.service_at_locations)
        .selectinload(ServiceAtLocation.location)
        .selectinload(Location.addresses),
    )


def get_public_service_or_404(service_id: str) -> Service:
    """:raise 404: no such service, or it is not public."""
    service = db.session.scalar(with_details(public_services().where(Service.id == service_id)))
    if service is None:
        abort(404)
    return service


def get_public_organization_or_404(org_id: str) -> Organization:
    """:raise 404: no such organization, or it is not public."""
    org = db.session.get(Organization, org_id)
    if org is None or not org.is_public:
        abort(404)
    return org


def public_services_of(org: Organization) -> list[Service]:
    return list(db.session.scalars(public_services().where(Service.organization_id == org.id).order_by(Service.name)))


def domains_with_counts() -> list[tuple[TaxonomyTerm, int]]:
    """Top-level life domains with the number of public services in each, for browsing."""
    count = (
        sa.select(Attribute.taxonomy_term_id, sa.func.count(sa.distinct(Service.id)).label("n"))
        .join(Service, sa.and_(Attribute.link_id == Service.id, Attribute.link_entity == "service"))
        .join(Service.organization)
        .where(public_service_filter(), Attribute.link_type == LINK_DOMAIN)
        .group_by(Attribute.taxonomy_term_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(TaxonomyTerm, sa.func.coalesce(count.c.n, 0))
        .outerjoin(count, count.c.taxonomy_term_id == TaxonomyTerm.id)
        .where(TaxonomyTerm.taxonomy_id == TAXONOMY_DOMAINS, TaxonomyTerm.parent_id.is_(None))
        .order_by(TaxonomyTerm.name)
    )
    return [(term, n) for term, n in rows]


def get_domain_or_404(code: str) -> TaxonomyTerm:
    """:raise 404: no life domain with this code."""
    term = db.session.scalar(
        sa.select(TaxonomyTerm).where(TaxonomyTerm.taxonomy_id == TAXONOMY_DOMAINS, TaxonomyTerm.code == code)
    )
    if term is None:
        abort(404)
    return term


def services_in_domain(term: TaxonomyTerm):
    """Public services linked to the domain or any of its sub-domains, paginated by name."""
    term_ids = [term.id] + [child.id for child in term.children]
    linked = sa.select(Attribute.link_id).where(
        Attribute.link_entity == "service", Attribute.taxonomy_term_id.in_(term_ids)
    )
    query = public_services().where(Service.id.in_(linked)).order_by(Service.name)
    return params.paginate(with_details(query), per_page=PUBLIC_PAGE_SIZE)


def public_addresses(org: Organization) -> list:
    """The organization's addresses a resident may see: never one a confidential service uses."""
    confidential = set(
        db.session.scalars(
            sa.select(ServiceAtLocation.location_id)
            .join(ServiceAtLocation.service)
            .where(Service.is_confidential_location.is_(True))
        )
    )
    return [address for location in org.locations if location.id not in confidential for address in location.addresses]
