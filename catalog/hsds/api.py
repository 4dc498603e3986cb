"""Public read-only HSDS 3.0 API under /api/hsds/. Only public data; bad parameters get a JSON 400."""

import math
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Blueprint, abort, jsonify, request

from catalog.hsds.tables import BY_NAME, HSDS_VERSION, cell
from catalog.models import Attribute, Organization, Service, Taxonomy, TaxonomyTerm
from catalog.search import engine as search
from catalog.services import get_public_service_or_404, public_services, with_details
from welfare.extensions import csrf, db

api = Blueprint("hsds_api", __name__)
csrf.exempt(api)
MAX_PER_PAGE = 100


class BadParameter(Exception):
    def __init__(self, name: str, problem: str):
        super().__init__(problem)
        self.name, self.problem = name, problem


@api.errorhandler(BadParameter)
def bad_parameter(exc: BadParameter):
    return jsonify({"error": "bad_request", "parameter": exc.name, "message": exc.problem}), 400


def _int_param(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(name, f"{name} must be a whole number") from None
    if not low <= value <= high:
        raise BadParameter(name, f"{name} must be between {low} and {high}")
    return value


def _datetime_param(name: str) -> datetime | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace(" ", "+"))
    except ValueError:
        raise BadParameter(name, f"{name} must be an ISO 8601 date or date-time, e.g. 2026-01-31T00:00:00Z") from None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _page(statement, serialize):
    page_number = _int_param("page", 1, 1, 1_000_000)
    per_page = _int_param("per_page", 20, 1, MAX_PER_PAGE)
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

NUMBER_TYPES = (sa.Integer, sa.Float)


def record(obj, table_name: str) -> dict:
    """The HSDS fields of a row. Absent values are left out (HSDS schemas do not allow null);
    required text columns are kept even when empty (e.g. state_province, which Slovenia lacks)."""
    table = BY_NAME[table_name]
    columns = obj.__table__.c
    out = {}
    for name in table.fields:
        value = getattr(obj, name)
        if value is None or (value == "" and columns[name].nullable):
            continue
        out[name] = value if isinstance(columns[name].type, NUMBER_TYPES) else cell(value)
    return out


def term_json(term: TaxonomyTerm) -> dict:
    data = record(term, "taxonomy_term")
    if term.taxonomy:
        data["taxonomy_detail"] = record(term.taxonomy, "taxonomy")
    return data


def attributes_json(attributes) -> list[dict]:
    return [
        {**record(a, "attribute"), "taxonomy_term": term_json(a.taxonomy_term)} for a in attributes if a.taxonomy_term
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
            # A safe house's address never leaves the office.
            "service_at_locations": []
            if service.is_confidential_location
            else [
                {**record(sal, "service_at_location"), "location": location_json(sal.location)}
                for sal in service.service_at_locations
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


@api.route("/services")
def services():
    statement = with_details(public_services())
    text = request.args.get("search", "").strip()
    if len(text) > 200:
        raise BadParameter("search", "search must be at most 200 characters")
    if text:
        # The same engine as the public search page (it degrades to a database query itself).
        statement = statement.where(Service.id.in_(search.matching_ids(text)))
    if term_id := request.args.get("taxonomy_term_id"):
        statement = statement.where(
            Service.id.in_(
                sa.select(Attribute.link_id).where(
                    Attribute.link_entity == "service", Attribute.taxonomy_term_id == term_id
                )
            )
        )
    if taxonomy_id := request.args.get("taxonomy_id"):
        statement = statement.where(
            Service.id.in_(
                sa.select(Attribute.link_id)
                .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
                .where(Attribute.link_entity == "service", TaxonomyTerm.taxonomy_id == taxonomy_id)
            )
        )
    if org_id := request.args.get("organization_id"):
        statement = statement.where(Service.organization_id == org_id)
    if (after := _datetime_param("modified_after")) is not None:
        statement = statement.where(Service.last_modified > after)
    return _page(statement.order_by(Service.name, Service.id), lambda s: service_json(s, full=False))


@api.route("/services/<service_id>")
def service(service_id: str):
    return jsonify(service_json(get_public_service_or_404(service_id)))


def _public_organizations():
    return sa.select(Organization).where(Organization.is_published.is_(True), Organization.archived_at.is_(None))


@api.route("/organizations")
def organizations():
    statement = _public_organizations()
    if text := request.args.get("search", "").strip():
        statement = statement.where(Organization.name.ilike(f"%{text[:200]}%"))
    return _page(statement.order_by(Organization.name, Organization.id), organization_json)


@api.route("/organizations/<org_id>")
def organization(org_id: str):
    org = db.session.scalar(_public_organizations().where(Organization.id == org_id))
    if org is None:
        abort(404)
    data = organization_json(org)
    data["services"] = [
        service_json(s, full=False)
        for s in db.session.scalars(public_services().where(Service.organization_id == org.id).order_by(Service.name))
    ]
    return jsonify(data)


@api.route("/taxonomies")
def taxonomies():
    return _page(sa.select(Taxonomy).order_by(Taxonomy.id), lambda t: record(t, "taxonomy"))


@api.route("/taxonomy_terms")
def taxonomy_terms():
    statement = sa.select(TaxonomyTerm)
    if taxonomy_id := request.args.get("taxonomy_id"):
        statement = statement.where(TaxonomyTerm.taxonomy_id == taxonomy_id)
    if parent_id := request.args.get("parent_id"):
        statement = statement.where(TaxonomyTerm.parent_id == parent_id)
    if request.args.get("top_only", "").lower() == "true":
        statement = statement.where(TaxonomyTerm.parent_id.is_(None))
    return _page(statement.order_by(TaxonomyTerm.taxonomy_id, TaxonomyTerm.name), term_json)
