"""Public read-only HSDS 3.0 API under /api/hsds/. Only public data; bad parameters get a JSON 400.

A full service also carries HSDS 3.1's `capacities` (what its organization allowed the public to
see, see `capacities`): 3.1 only added optional properties and 3.0's schemas allow properties they
do not name, so each answer is valid HSDS 3.0 and 3.1 alike and 3.0 clients need no switch."""

import math
import re

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext as _

from catalog import search
from catalog.hsds.capacities import capacities_json
from catalog.hsds.public_ids import internal_id, public_id
from catalog.hsds.tables import BY_NAME, HSDS_VERSION, json_record
from catalog.models import Attribute, Organization, Service, Taxonomy, TaxonomyTerm
from catalog.services import (
    confidential_location_ids,
    get_public_organization_or_404,
    get_public_service_or_404,
    public_organizations,
    public_services,
    with_details,
)
from welfare import params
from welfare.extensions import csrf, db, limiter

api = Blueprint("hsds_api", __name__)
csrf.exempt(api)
MAX_PER_PAGE = 100


def _api_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def _not_a_search() -> bool:
    return not request.args.get("search", "").strip()


# Every API request counts per address; a `search` also spends the public search budget, so
# the API is no way around the search page's limit. Over either: 429, Retry-After, JSON body.
limiter.shared_limit(_api_limit, scope="hsds-api")(api)
search_budget = limiter.shared_limit(search.search_limit, scope=search.SEARCH_SCOPE, exempt_when=_not_a_search)


SIGNED_INTEGER = re.compile(r"[+-]?[0-9]{1,4000}")


def _clamped(name: str, default: int, high: int) -> int:
    """A paging number. HSDS declares any integer valid, so one out of range is brought into it
    (`page=0` is the first page, `per_page=0` the default size, `per_page=1000` the largest)
    instead of refused; what is not an integer at all is a 400 that says so."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not SIGNED_INTEGER.fullmatch(raw.strip()):
        raise params.BadParameter(name, _("“%(name)s” must be a whole number.", name=name))
    value = int(raw)
    return default if value < 1 else min(value, high)


BOOLEAN_PARAMETERS = ("top_only", "full", "minimal", "full_service")


@api.before_request
def refuse_bad_booleans():
    """HSDS's yes/no parameters are booleans: "true" or "false", anything else is a 400 (a
    misspelt flag must not be read silently as "false")."""
    for name in BOOLEAN_PARAMETERS:
        for value in request.args.getlist(name):
            if value.strip().lower() not in ("true", "false"):
                raise params.BadParameter(name, _("“%(name)s” must be true or false.", name=name))


def paginated(statement, serialize):
    page_number = _clamped("page", 1, params.MAX_PAGE)
    per_page = _clamped("per_page", 20, MAX_PER_PAGE)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery()))
    items = db.session.scalars(statement.limit(per_page).offset((page_number - 1) * per_page)).unique().all()
    total_pages = max(1, math.ceil(total / per_page))
    return jsonify(
        {
            "total_items": total,
            "total_pages": total_pages,
            "page_number": page_number,
            "size": len(items),
            "first_page": page_number == 1,
            "last_page": page_number >= total_pages,
            "empty": len(items) == 0,
            "contents": [serialize(i) for i in items],
        }
    )


# ---- serialization --------------------------------------------------------------------------


def record(obj, table_name: str) -> dict:
    """The HSDS fields of a row (see `json_record`)."""
    return json_record(obj, BY_NAME[table_name])


def taxonomy_json(taxonomy: Taxonomy) -> dict:
    return {**record(taxonomy, "taxonomy"), "id": public_id("taxonomy", taxonomy.id)}


def term_json(term: TaxonomyTerm) -> dict:
    data = record(term, "taxonomy_term")
    data["id"] = public_id("taxonomy_term", term.id)
    for name, kind in (("parent_id", "taxonomy_term"), ("taxonomy_id", "taxonomy")):
        if name in data:
            data[name] = public_id(kind, data[name])
    if term.taxonomy:
        data["taxonomy_detail"] = taxonomy_json(term.taxonomy)
    return data


def attributes_json(attributes) -> list[dict]:
    return [
        {
            **record(a, "attribute"),
            "taxonomy_term_id": public_id("taxonomy_term", a.taxonomy_term_id),
            "taxonomy_term": term_json(a.taxonomy_term),
        }
        for a in attributes
        if a.taxonomy_term
    ]


def location_json(location) -> dict:
    return {
        **record(location, "location"),
        "addresses": [record(a, "address") for a in location.addresses],
        "accessibility": [record(a, "accessibility") for a in location.accessibility],
        "phones": [record(p, "phone") for p in location.phones],
    }


def organization_json(org: Organization) -> dict:
    data = record(org, "organization")
    data["phones"] = [record(p, "phone") for p in org.phones]
    data["contacts"] = [record(c, "contact") for c in org.contacts]
    data["attributes"] = attributes_json(org.attributes)
    return data


def service_json(service: Service, full: bool = True) -> dict:
    hidden_locations = set(db.session.scalars(confidential_location_ids())) if full else set()
    data = record(service, "service")
    data["organization"] = organization_json(service.organization)
    if not full:
        return data
    data.update(
        {
            "phones": [record(p, "phone") for p in service.phones],
            "schedules": [record(s, "schedule") for s in service.schedules],
            "contacts": [record(c, "contact") for c in service.contacts],
            "languages": [record(lang, "language") for lang in service.languages],
            "cost_options": [record(c, "cost_option") for c in service.cost_options],
            "service_areas": [record(a, "service_area") for a in service.service_areas],
            "required_documents": [record(d, "required_document") for d in service.required_documents],
            "attributes": attributes_json(service.attributes),
            "capacities": capacities_json(service.id),
            # A safe house's address never leaves the office (nor does a place it shares).
            "service_at_locations": []
            if service.is_confidential_location
            else [
                {**record(sal, "service_at_location"), "location": location_json(sal.location)}
                for sal in service.service_at_locations
                if sal.location_id not in hidden_locations
            ],
        }
    )
    return data


# ---- endpoints ------------------------------------------------------------------------------


@api.route("/")
def info():
    return jsonify(
        {
            "version": HSDS_VERSION,
            "profile": "https://docs.openreferral.org/en/v3.0/",
            "openapi_url": "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json",
        }
    )


SORTS = ("relevance", "name")


def _sort() -> str:
    """`sort`: "relevance" (the default: with `search`, best first as on /search; without it, by
    name) or "name" (alphabetical). Anything else is a 400 that names the choices."""
    value = request.args.get("sort", "").strip() or "relevance"
    if value not in SORTS:
        raise params.BadParameter(
            "sort", _("“%(name)s” must be one of: %(options)s.", name="sort", options=", ".join(SORTS))
        )
    return value


def filter_services(statement) -> tuple:
    """The services API's filters (`search`, `taxonomy_term_id`, `taxonomy_id`,
    `organization_id`, `modified_after`) applied to a statement over Service, and the order
    (`sort`): with `search`, the search page's relevance order unless `sort=name`."""
    text = request.args.get("search", "").strip()
    if len(text) > 200:
        raise params.BadParameter("search", _("“%(name)s” must be at most %(num)d characters.", name="search", num=200))
    sort = _sort()
    order = (Service.name, Service.id)
    if text:
        # The same engine and order as the public search page (it degrades to a database query
        # itself): best first, unless the caller asks for `sort=name`.
        ranked = search.matching_ids(text)
        statement = statement.where(Service.id.in_(ranked))
        if sort == "relevance" and ranked:
            order = (
                sa.case({service_id: rank for rank, service_id in enumerate(ranked)}, value=Service.id),
                Service.id,
            )
    if term_id := request.args.get("taxonomy_term_id"):
        term_id = internal_id("taxonomy_term", term_id)
        statement = statement.where(
            Service.id.in_(
                sa.select(Attribute.link_id).where(
                    Attribute.link_entity == "service", Attribute.taxonomy_term_id == term_id
                )
            )
        )
    if taxonomy_id := request.args.get("taxonomy_id"):
        taxonomy_id = internal_id("taxonomy", taxonomy_id)
        statement = statement.where(
            Service.id.in_(
                sa.select(Attribute.link_id)
                .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
                .where(Attribute.link_entity == "service", TaxonomyTerm.taxonomy_id == taxonomy_id)
            )
        )
    if org_id := request.args.get("organization_id"):
        statement = statement.where(Service.organization_id == org_id)
    if (after := params.datetime_value("modified_after")) is not None:
        statement = statement.where(Service.last_modified > after)
    return statement, order


@api.route("/services")
@search_budget
def services():
    statement, order = filter_services(with_details(public_services()))
    return paginated(statement.order_by(*order), lambda s: service_json(s, full=False))


@api.route("/services/<service_id>")
def service(service_id: str):
    return jsonify(service_json(get_public_service_or_404(service_id)))


@api.route("/organizations")
def organizations():
    statement = public_organizations()
    if text := request.args.get("search", "").strip():
        statement = statement.where(Organization.name.ilike(f"%{text[:200]}%"))
    return paginated(statement.order_by(Organization.name, Organization.id), organization_json)


@api.route("/organizations/<org_id>")
def organization(org_id: str):
    org = get_public_organization_or_404(org_id)
    data = organization_json(org)
    data["services"] = [
        service_json(s, full=False)
        for s in db.session.scalars(public_services().where(Service.organization_id == org.id).order_by(Service.name))
    ]
    return jsonify(data)


@api.route("/taxonomies")
def taxonomies():
    return paginated(sa.select(Taxonomy).order_by(Taxonomy.id), taxonomy_json)


@api.route("/taxonomies/<taxonomy_id>")
def taxonomy(taxonomy_id: str):
    """One taxonomy by its UUID or its old slug id."""
    return jsonify(taxonomy_json(db.get_or_404(Taxonomy, internal_id("taxonomy", taxonomy_id))))


@api.route("/taxonomy_terms")
def taxonomy_terms():
    statement = sa.select(TaxonomyTerm)
    if taxonomy_id := request.args.get("taxonomy_id"):
        statement = statement.where(TaxonomyTerm.taxonomy_id == internal_id("taxonomy", taxonomy_id))
    if parent_id := request.args.get("parent_id"):
        statement = statement.where(TaxonomyTerm.parent_id == internal_id("taxonomy_term", parent_id))
    if request.args.get("top_only", "").lower() == "true":
        statement = statement.where(TaxonomyTerm.parent_id.is_(None))
    return paginated(statement.order_by(TaxonomyTerm.taxonomy_id, TaxonomyTerm.name), term_json)


@api.route("/taxonomy_terms/<term_id>")
def taxonomy_term(term_id: str):
    """One term by its UUID or its old slug id ("pisarna-zivljenjska-podrocja:nasilje")."""
    return jsonify(term_json(db.get_or_404(TaxonomyTerm, internal_id("taxonomy_term", term_id))))


from catalog.hsds import api_places  # noqa: E402,F401  (its routes join this blueprint)
