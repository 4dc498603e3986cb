"""Open Referral HSDS 3.0 tables: which model backs each, and the export of public data.

Export writes only what the public may see: published, non-archived, non-defunct services of
public organizations; never a location used by a confidential service; no change metadata
(it names staff and may describe unpublished drafts).
"""
import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa

from catalog.details import (Accessibility, Address, Contact, CostOption, Language, Phone, RequiredDocument,
                             Schedule, ServiceArea)
from catalog.models import (Attribute, Location, Organization, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm)
from catalog.services import public_service_filter
from welfare.extensions import db

HSDS_VERSION = "3.0.0"


@dataclass(frozen=True)
class Table:
    name: str            # HSDS table name
    path: str            # file name in a data package
    model: type
    fields: tuple[str, ...]
    required: tuple[str, ...] = ()                    # must be present and non-empty
    references: tuple[tuple[str, str, bool], ...] = ()  # (field, target table, required)


TABLES = (
    Table("organization", "organizations.csv", Organization,
          ("id", "name", "alternate_name", "description", "email", "website", "legal_status", "year_incorporated",
           "parent_organization_id"), ("name",), (("parent_organization_id", "organization", False),)),
    Table("taxonomy", "taxonomies.csv", Taxonomy, ("id", "name", "description", "uri", "version"), ("name",)),
    Table("taxonomy_term", "taxonomy_terms.csv", TaxonomyTerm,
          ("id", "code", "name", "description", "parent_id", "taxonomy_id", "language", "term_uri"), ("name",),
          (("taxonomy_id", "taxonomy", False), ("parent_id", "taxonomy_term", False))),
    Table("service", "services.csv", Service,
          ("id", "organization_id", "program_id", "name", "alternate_name", "description", "url", "email", "status",
           "interpretation_services", "application_process", "fees_description", "accreditations",
           "eligibility_description", "minimum_age", "maximum_age", "assured_date", "assurer_email", "alert",
           "last_modified"),
          ("organization_id", "name", "status"), (("organization_id", "organization", True),)),
    Table("location", "locations.csv", Location,
          ("id", "location_type", "url", "organization_id", "name", "alternate_name", "description", "transportation",
           "latitude", "longitude"), (), (("organization_id", "organization", False),)),
    Table("service_at_location", "service_at_location.csv", ServiceAtLocation,
          ("id", "service_id", "location_id", "description"), ("service_id", "location_id"),
          (("service_id", "service", True), ("location_id", "location", True))),
    Table("address", "addresses.csv", Address,
          ("id", "location_id", "attention", "address_1", "address_2", "city", "region", "state_province",
           "postal_code", "country", "address_type"), ("location_id", "address_1", "city"),
          (("location_id", "location", True),)),
    Table("contact", "contacts.csv", Contact,
          ("id", "organization_id", "service_id", "service_at_location_id", "location_id", "name", "title",
           "department", "email"), (),
          (("organization_id", "organization", False), ("service_id", "service", False),
           ("service_at_location_id", "service_at_location", False), ("location_id", "location", False))),
    Table("phone", "phones.csv", Phone,
          ("id", "location_id", "service_id", "organization_id", "contact_id", "service_at_location_id", "number",
           "extension", "type", "description"), ("number",),
          (("location_id", "location", False), ("service_id", "service", False),
           ("organization_id", "organization", False), ("contact_id", "contact", False),
           ("service_at_location_id", "service_at_location", False))),
    Table("schedule", "schedules.csv", Schedule,
          ("id", "service_id", "location_id", "service_at_location_id", "valid_from", "valid_to", "dtstart",
           "timezone", "until", "count", "wkst", "freq", "interval", "byday", "byweekno", "bymonthday", "byyearday",
           "description", "opens_at", "closes_at", "schedule_link", "attending_type", "notes"), (),
          (("service_id", "service", False), ("location_id", "location", False),
           ("service_at_location_id", "service_at_location", False))),
    Table("language", "languages.csv", Language,
          ("id", "service_id", "location_id", "phone_id", "name", "code", "note"), (),
          (("service_id", "service", False), ("location_id", "location", False), ("phone_id", "phone", False))),
    Table("cost_option", "cost_options.csv", CostOption,
          ("id", "service_id", "valid_from", "valid_to", "option", "currency", "amount", "amount_description"),
          ("service_id",), (("service_id", "service", True),)),
    Table("service_area", "service_areas.csv", ServiceArea,
          ("id", "service_id", "name", "description", "extent", "extent_type", "uri"), (),
          (("service_id", "service", False),)),
    Table("required_document", "required_documents.csv", RequiredDocument, ("id", "service_id", "document", "uri"),
          (), (("service_id", "service", False),)),
    Table("accessibility", "accessibility.csv", Accessibility, ("id", "location_id", "description", "details", "url"),
          (), (("location_id", "location", False),)),
    Table("attribute", "attributes.csv", Attribute,
          ("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"),
          ("link_id", "taxonomy_term_id", "link_type", "link_entity"), (("taxonomy_term_id", "taxonomy_term", True),)),
)
BY_NAME = {t.name: t for t in TABLES}
BY_PATH = {t.path: t for t in TABLES}
# Tables HSDS defines that this catalog does not keep; an import reports them as not imported.
NOT_KEPT = ("programs.csv", "funding.csv", "organization_identifiers.csv", "metadata.csv",
            "meta_table_descriptions.csv")


def cell(value) -> str:
    """A value as it is written to CSV (and compared after a round trip)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") + "Z"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(getattr(value, "value", value))


def _ids(statement) -> set[str]:
    return set(db.session.scalars(statement))


def public_rows() -> dict[str, list]:
    """Model rows of every exported table, restricted to what is public."""
    services = db.session.scalars(sa.select(Service).join(Service.organization).where(public_service_filter())
                                  .order_by(Service.id)).all()
    service_ids = {s.id for s in services}
    org_ids = _ids(sa.select(Organization.id).where(Organization.is_published.is_(True),
                                                    Organization.archived_at.is_(None)))
    confidential = _ids(sa.select(ServiceAtLocation.location_id).join(ServiceAtLocation.service)
                        .where(Service.is_confidential_location.is_(True)))
    locations = [loc for loc in db.session.scalars(sa.select(Location).order_by(Location.id))
                 if loc.id not in confidential and (loc.organization_id in org_ids or loc.organization_id is None)]
    location_ids = {loc.id for loc in locations}
    sals = [s for s in db.session.scalars(sa.select(ServiceAtLocation).order_by(ServiceAtLocation.id))
            if s.service_id in service_ids and s.location_id in location_ids]
    sal_ids = {s.id for s in sals}
    entity_ids = {"service": service_ids, "organization": org_ids, "location": location_ids}

    def owned(model, *owners):
        rows = db.session.scalars(sa.select(model).order_by(model.id))
        return [r for r in rows if any(getattr(r, f, None) in ids for f, ids in owners)
                and not any(getattr(r, f, None) not in (None, *ids) for f, ids in owners)]

    rows = {
        "organization": db.session.scalars(sa.select(Organization).where(Organization.id.in_(org_ids))
                                           .order_by(Organization.id)).all(),
        "taxonomy": db.session.scalars(sa.select(Taxonomy).order_by(Taxonomy.id)).all(),
        "taxonomy_term": db.session.scalars(sa.select(TaxonomyTerm).order_by(TaxonomyTerm.id)).all(),
        "service": services, "location": locations, "service_at_location": sals,
        "address": owned(Address, ("location_id", location_ids)),
        "phone": owned(Phone, ("service_id", service_ids), ("organization_id", org_ids),
                       ("location_id", location_ids), ("service_at_location_id", sal_ids)),
        "schedule": owned(Schedule, ("service_id", service_ids), ("location_id", location_ids),
                          ("service_at_location_id", sal_ids)),
        "contact": owned(Contact, ("service_id", service_ids), ("organization_id", org_ids),
                         ("location_id", location_ids), ("service_at_location_id", sal_ids)),
        "language": owned(Language, ("service_id", service_ids), ("location_id", location_ids)),
        "cost_option": owned(CostOption, ("service_id", service_ids)),
        "service_area": owned(ServiceArea, ("service_id", service_ids)),
        "required_document": owned(RequiredDocument, ("service_id", service_ids)),
        "accessibility": owned(Accessibility, ("location_id", location_ids)),
        "attribute": [a for a in db.session.scalars(sa.select(Attribute).order_by(Attribute.id))
                      if a.link_id in entity_ids.get(a.link_entity, ())],
    }
    # Phones and languages hanging off a contact/phone that is not exported go too.
    contact_ids = {c.id for c in rows["contact"]}
    rows["phone"] = [p for p in rows["phone"] if p.contact_id is None or p.contact_id in contact_ids]
    phone_ids = {p.id for p in rows["phone"]}
    rows["language"] = [l for l in rows["language"] if l.phone_id is None or l.phone_id in phone_ids]
    return rows


def export_tables() -> dict[str, list[dict[str, str]]]:
    """{file name: [row as {field: text}]} for every table, in HSDS order."""
    rows = public_rows()
    return {t.path: [{f: cell(getattr(r, f)) for f in t.fields} for r in rows[t.name]] for t in TABLES}


def datapackage() -> dict:
    return {
        "name": "pisarna-lokalne-blaginje-katalog",
        "title": "Katalog storitev Pisarne lokalne blaginje",
        "profile": "tabular-data-package",
        "version": HSDS_VERSION,
        "resources": [{"name": t.name, "path": t.path, "format": "csv", "mediatype": "text/csv",
                       "encoding": "utf-8", "profile": "tabular-data-resource",
                       "schema": {"primaryKey": "id", "fields": [{"name": f, "type": "string"} for f in t.fields]}}
                      for t in TABLES],
    }


def write_csv_package(directory: Path) -> dict[str, int]:
    """Write the public catalog as an HSDS 3.0 CSV data package; return rows per file."""
    directory.mkdir(parents=True, exist_ok=True)
    tables = export_tables()
    for table in TABLES:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=table.fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(tables[table.path])
        (directory / table.path).write_text(buffer.getvalue(), encoding="utf-8")
    (directory / "datapackage.json").write_text(json.dumps(datapackage(), ensure_ascii=False, indent=2) + "\n",
                                                encoding="utf-8")
    return {path: len(rows) for path, rows in tables.items()}


def write_json(path: Path) -> dict[str, int]:
    """Write the public catalog in HSDS tabular JSON form ({"services.csv": [...], ...})."""
    tables = export_tables()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(tables, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return {p: len(rows) for p, rows in tables.items()}
