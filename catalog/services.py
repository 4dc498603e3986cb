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


# ---- what the public may see: each rule decided here once, used by pages, print, API, export
# and search alike -------------------------------------------------------------------------------


def public_organization_filter():
    """THE rule for organizations: published and not archived."""
    return sa.and_(Organization.is_published.is_(True), Organization.archived_at.is_(None))


def public_service_filter():
    """THE rule for services: published, not archived, not defunct, of a public organization
    (the statement must join Service.organization)."""
    return sa.and_(
        Service.is_published.is_(True),
        Service.archived_at.is_(None),
        Service.status != ServiceStatus.DEFUNCT,
        public_organization_filter(),
    )


def public_organizations():
    return sa.select(Organization).where(public_organization_filter())


def public_services():
    return sa.select(Service).join(Service.organization).where(public_service_filter())


def is_public_service(service_id: str) -> bool:
    return (
        db.session.scalar(public_services().with_only_columns(Service.id).where(Service.id == service_id)) is not None
    )


def confidential_location_ids():
    """THE rule for confidential locations: any place a confidential service (a safe house) uses,
    whatever that service's state; its address is never shown or exported."""
    return (
        sa.select(ServiceAtLocation.location_id)
        .join(ServiceAtLocation.service)
        .where(Service.is_confidential_location.is_(True), ServiceAtLocation.location_id.is_not(None))
    )


def public_location_filter():
    """Locations whose address a resident may see: not confidential, and either used by a
    public service or by no service at all (the organization's own office). A place only a
    draft, unpublished or archived service uses stays hidden."""
    used = sa.select(ServiceAtLocation.location_id).where(ServiceAtLocation.location_id.is_not(None))
    used_by_public = (
        sa.select(ServiceAtLocation.location_id)
        .join(ServiceAtLocation.service)
        .join(Service.organization)
        .where(public_service_filter(), ServiceAtLocation.location_id.is_not(None))
    )
    return sa.and_(
        Location.id.not_in(confidential_location_ids()),
        sa.or_(Location.id.in_(used_by_public), Location.id.not_in(used)),
    )


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
    org = db.session.scalar(public_organizations().where(Organization.id == org_id))
    if org is None:
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
    """The organization's addresses a resident may see (see public_location_filter)."""
    locations = db.session.scalars(
        sa.select(Location)
        .where(Location.organization_id == org.id, public_location_filter())
        .options(selectinload(Location.addresses))
        .order_by(Location.id)
    )
    return [address for location in locations for address in location.addresses]


def public_locations_of(service: Service) -> list[Location]:
    """The places of a public service a resident may see: none for a safe house, and never a
    place a safe house shares."""
    if service.is_confidential_location:
        return []
    hidden = set(db.session.scalars(confidential_location_ids()))
    return [sal.location for sal in service.service_at_locations if sal.location_id not in hidden]


def term_names(ids) -> dict[str, str]:
    """Taxonomy term names by id (life domains, kinds of organization): what case pages show
    beside the ids they store."""
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(TaxonomyTerm.id, TaxonomyTerm.name).where(TaxonomyTerm.id.in_(ids))).all())
