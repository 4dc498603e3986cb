"""The API's `/service_at_locations`: where each public service is offered.

Filters as for `/services` (`search` in relevance order, `taxonomy_term_id`, `taxonomy_id`,
`organization_id`, `modified_after`) plus `postcode`: the places whose address has that postal
code. `proximity` is accepted and not applied: the catalog's locations carry no coordinates and
there is no postcode centroid to measure from, so the answer is the postcode's places (README).
A safe house's places, and any place one shares, never appear.
"""

import sqlalchemy as sa
from flask import abort, jsonify, request
from sqlalchemy.orm import selectinload

from catalog.details import Address
from catalog.hsds.api import api, filter_services, location_json, paginated, record, search_budget, service_json
from catalog.models import Location, Service, ServiceAtLocation
from catalog.services import confidential_location_ids, public_services
from welfare.extensions import db


def _public_places(statement):
    """Links of public, non-confidential services to places a resident may see."""
    public = public_services().where(Service.is_confidential_location.is_not(True)).with_only_columns(Service.id)
    return statement.where(
        ServiceAtLocation.service_id.in_(public),
        ServiceAtLocation.location_id.not_in(confidential_location_ids()),
    ).options(
        selectinload(ServiceAtLocation.service).selectinload(Service.organization),
        selectinload(ServiceAtLocation.location).selectinload(Location.addresses),
    )


def place_json(link: ServiceAtLocation) -> dict:
    return {
        **record(link, "service_at_location"),
        "location": location_json(link.location),
        "service": service_json(link.service, full=False),
    }


@api.route("/service_at_locations")
@search_budget
def service_at_locations():
    services, order = filter_services(public_services())
    statement = (
        sa.select(ServiceAtLocation)
        .join(ServiceAtLocation.service)
        .join(ServiceAtLocation.location)
        .where(ServiceAtLocation.service_id.in_(services.with_only_columns(Service.id)))
    )
    if postcode := request.args.get("postcode", "").strip():
        statement = statement.where(
            ServiceAtLocation.location_id.in_(
                sa.select(Address.location_id).where(Address.postal_code == postcode.replace(" ", ""))
            )
        )
    # `proximity` is deliberately ignored: see the module docstring.
    return paginated(_public_places(statement).order_by(*order, Location.name, ServiceAtLocation.id), place_json)


@api.route("/service_at_locations/<link_id>")
def service_at_location(link_id: str):
    link = db.session.scalar(_public_places(sa.select(ServiceAtLocation).where(ServiceAtLocation.id == link_id)))
    if link is None:
        abort(404)
    return jsonify(place_json(link))
