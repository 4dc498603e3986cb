"""HSDS 3.1 `service_capacity` and `unit`: the part of a service's capacity the public may see.

HSDS 3.1 (openreferral/specification issue 221) states capacity as a number of units available
now (and at most), the unit being an object of its own. Only what the partner allowed to be
public leaves the office (`catalog.capacity.is_public`): a waiting list. It is written in the
service's own unit with nothing available now (`available` 0) and the waiting list in words as
its description ("Waiting list, about 6 weeks"); `maximum` is never written, because totals and
free places are the office's working knowledge, not a promise to residents. The words are in
the catalog's language, like the rest of its text, whatever language the caller's browser asks
for. Ids are UUIDs derived from the service's id and the unit (version 5): the same in every
export, as 3.1 asks of every id.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, time

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from catalog.capacity import CapacityUnit, ServiceCapacity, public_capacities, waiting_words
from catalog.hsds.public_ids import NAMESPACE
from catalog.hsds.tables import cell
from welfare.clock import OFFICE_TZ


@dataclass(frozen=True)
class Table31:
    """A table only an HSDS 3.1 export writes (no model of its own: built from ServiceCapacity)."""

    name: str
    path: str
    fields: tuple[str, ...]


SERVICE_CAPACITY = Table31(
    "service_capacity",
    "service_capacity.csv",
    ("id", "service_id", "unit_id", "available", "maximum", "description", "updated"),
)
UNIT = Table31("unit", "units.csv", ("id", "name", "scheme", "identifier", "uri"))
TABLES_31 = (SERVICE_CAPACITY, UNIT)
# A unit's name is a noun in the singular, as in HSDS's examples ("Bed", "Hours").
UNIT_NAMES = {CapacityUnit.PLACES: _l("place"), CapacityUnit.WEEKLY: _l("weekly appointment")}


def _id(kind: str, key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def _catalog_language():
    return force_locale(current_app.config["BABEL_DEFAULT_LOCALE"])


def unit_json(unit: CapacityUnit) -> dict:
    """The HSDS 3.1 unit object. No `scheme`: places and appointments a week belong to none."""
    with _catalog_language():
        return {"id": _id("unit", unit.value), "name": str(UNIT_NAMES[unit])}


def _capacity(row: ServiceCapacity) -> dict:
    """The fields HSDS 3.1 shares between the nested and the tabular form."""
    with _catalog_language():
        description = waiting_words(row.waiting_weeks)
    return {
        "id": _id("service_capacity", row.of_service_id),
        "available": 0,
        "description": description,
        # The partner says it on a day; 3.1 wants a moment: the start of that day at the office.
        "updated": datetime.combine(row.said_on, time(), OFFICE_TZ).isoformat(),
    }


def capacities_json(service_id: str) -> list[dict]:
    """The `capacities` of a service in the API: empty unless the partner allowed it public."""
    row = public_capacities([service_id]).get(service_id)
    return [] if row is None else [{**_capacity(row), "unit": unit_json(row.unit)}]


def capacity_tables(service_ids, typed: bool = False) -> dict[str, list[dict]]:
    """{file name: rows} of service_capacity.csv and units.csv for these (exported, so public)
    services, as text or typed (see `export.export_tables`); a unit is listed once, and only
    when some row uses it."""
    rows = sorted(public_capacities(service_ids).values(), key=lambda r: r.of_service_id)
    capacities = [{**_capacity(r), "service_id": r.of_service_id, "unit_id": unit_json(r.unit)["id"]} for r in rows]
    units = [unit_json(unit) for unit in CapacityUnit if any(r.unit == unit for r in rows)]
    tables = {SERVICE_CAPACITY.path: capacities, UNIT.path: units}
    if typed:
        return {t.path: [{f: row[f] for f in t.fields if f in row} for row in tables[t.path]] for t in TABLES_31}
    return {t.path: [{f: cell(row.get(f)) for f in t.fields} for row in tables[t.path]] for t in TABLES_31}
