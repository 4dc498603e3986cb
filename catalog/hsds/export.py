"""Export of public catalog data as an HSDS package (CSV or tabular JSON), in 3.0 (the default,
what existing consumers read) or 3.1, which adds the public part of services' capacity
(`service_capacity.csv`, `units.csv`; see `capacities`). 3.1 changed no table 3.0 has in a way
that asks for more, so both versions write the same 3.0 tables.

Export writes only what the public may see: published, non-archived, non-defunct services of
public organizations; never a location used by a confidential service; no change metadata
(it names staff and may describe unpublished drafts); of capacity, only a waiting list its
organization allowed to be shown.
"""

import csv
import io
import json
from pathlib import Path

import sqlalchemy as sa

from catalog.details import (
    Accessibility,
    Address,
    Contact,
    CostOption,
    Language,
    Phone,
    RequiredDocument,
    Schedule,
    ServiceArea,
)
from catalog.hsds.capacities import TABLES_31, capacity_tables
from catalog.hsds.tables import HSDS_VERSION, TABLES, cell, json_record
from catalog.models import Attribute, Location, Organization, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm
from catalog.services import public_location_filter, public_organization_filter, public_service_filter
from welfare.extensions import db

VERSIONS = {"3.0": HSDS_VERSION, "3.1": "3.1.0"}


def _ids(statement) -> set[str]:
    return set(db.session.scalars(statement))


def public_rows() -> dict[str, list]:
    """Model rows of every exported table, restricted to what is public."""
    services = db.session.scalars(
        sa.select(Service).join(Service.organization).where(public_service_filter()).order_by(Service.id)
    ).all()
    service_ids = {s.id for s in services}
    org_ids = _ids(sa.select(Organization.id).where(public_organization_filter()))
    locations = [
        loc
        for loc in db.session.scalars(sa.select(Location).where(public_location_filter()).order_by(Location.id))
        if loc.organization_id in org_ids or loc.organization_id is None
    ]
    location_ids = {loc.id for loc in locations}
    sals = [
        s
        for s in db.session.scalars(sa.select(ServiceAtLocation).order_by(ServiceAtLocation.id))
        if s.service_id in service_ids and s.location_id in location_ids
    ]
    sal_ids = {s.id for s in sals}
    entity_ids = {"service": service_ids, "organization": org_ids, "location": location_ids}

    def owned(model, *owners):
        rows = db.session.scalars(sa.select(model).order_by(model.id))
        return [
            r
            for r in rows
            if any(getattr(r, f, None) in ids for f, ids in owners)
            and not any(getattr(r, f, None) not in (None, *ids) for f, ids in owners)
        ]

    rows = {
        "organization": db.session.scalars(
            sa.select(Organization).where(Organization.id.in_(org_ids)).order_by(Organization.id)
        ).all(),
        "taxonomy": db.session.scalars(sa.select(Taxonomy).order_by(Taxonomy.id)).all(),
        "taxonomy_term": db.session.scalars(sa.select(TaxonomyTerm).order_by(TaxonomyTerm.id)).all(),
        "service": services,
        "location": locations,
        "service_at_location": sals,
        "address": owned(Address, ("location_id", location_ids)),
        "phone": owned(
            Phone,
            ("service_id", service_ids),
            ("organization_id", org_ids),
            ("location_id", location_ids),
            ("service_at_location_id", sal_ids),
        ),
        "schedule": owned(
            Schedule, ("service_id", service_ids), ("location_id", location_ids), ("service_at_location_id", sal_ids)
        ),
        "contact": owned(
            Contact,
            ("service_id", service_ids),
            ("organization_id", org_ids),
            ("location_id", location_ids),
            ("service_at_location_id", sal_ids),
        ),
        "language": owned(Language, ("service_id", service_ids), ("location_id", location_ids)),
        "cost_option": owned(CostOption, ("service_id", service_ids)),
        "service_area": owned(ServiceArea, ("service_id", service_ids)),
        "required_document": owned(RequiredDocument, ("service_id", service_ids)),
        "accessibility": owned(Accessibility, ("location_id", location_ids)),
        "attribute": [
            a
            for a in db.session.scalars(sa.select(Attribute).order_by(Attribute.id))
            if a.link_id in entity_ids.get(a.link_entity, ())
        ],
    }
    # Phones and languages hanging off a contact/phone that is not exported go too.
    contact_ids = {c.id for c in rows["contact"]}
    rows["phone"] = [p for p in rows["phone"] if p.contact_id is None or p.contact_id in contact_ids]
    phone_ids = {p.id for p in rows["phone"]}
    rows["language"] = [lang for lang in rows["language"] if lang.phone_id is None or lang.phone_id in phone_ids]
    return rows


def tables_of(version: str) -> tuple:
    """The tables an export in this HSDS version ("3.0" or "3.1") writes, in order."""
    return TABLES + TABLES_31 if version == "3.1" else TABLES


def export_tables(version: str = "3.0", typed: bool = False) -> dict[str, list[dict]]:
    """{file name: rows} for every table, in HSDS order. A row is {field: text} for CSV (and 3.0's
    tabular JSON, kept as its consumers know it), or typed for 3.1's tabular JSON: numbers as
    numbers and absent values left out, as the 3.1 schemas and HSDS's tabular example have it."""
    rows = public_rows()
    tables = {
        t.path: [json_record(r, t) if typed else {f: cell(getattr(r, f)) for f in t.fields} for r in rows[t.name]]
        for t in TABLES
    }
    if version == "3.1":
        tables |= capacity_tables((service.id for service in rows["service"]), typed)
    return tables


def datapackage(version: str = "3.0") -> dict:
    return {
        "name": "pisarna-lokalne-blaginje-katalog",
        "title": "Katalog storitev Pisarne lokalne blaginje",
        "profile": "tabular-data-package",
        "version": VERSIONS[version],
        "resources": [
            {
                "name": t.name,
                "path": t.path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": {"primaryKey": "id", "fields": [{"name": f, "type": "string"} for f in t.fields]},
            }
            for t in tables_of(version)
        ],
    }


def write_csv_package(directory: Path, version: str = "3.0") -> dict[str, int]:
    """Write the public catalog as an HSDS CSV data package; return rows per file."""
    directory.mkdir(parents=True, exist_ok=True)
    tables = export_tables(version)
    for table in tables_of(version):
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=table.fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(tables[table.path])
        (directory / table.path).write_text(buffer.getvalue(), encoding="utf-8")
    (directory / "datapackage.json").write_text(
        json.dumps(datapackage(version), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return {path: len(rows) for path, rows in tables.items()}


def write_json(path: Path, version: str = "3.0") -> dict[str, int]:
    """Write the public catalog in HSDS tabular JSON form ({"services.csv": [...], ...})."""
    tables = export_tables(version, typed=version == "3.1")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(tables, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return {p: len(rows) for p, rows in tables.items()}
