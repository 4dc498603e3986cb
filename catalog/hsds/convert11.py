"""HSDS 1.1 CSV packages, converted to 3.0 rows before they are checked and written.

1.1 is what most directories still publish: physical/postal addresses, regular and holiday
schedules, a flat taxonomy with services_taxonomy links, eligibility as its own table.
Weekday numbers follow ISO 8601 (1 = Monday ... 7 = Sunday); names (Monday, MO) work too.
"""

import re

from catalog.hsds.tables import Issue, Row

MARKERS = {
    "physical_addresses.csv",
    "postal_addresses.csv",
    "services_at_location.csv",
    "regular_schedules.csv",
    "holiday_schedules.csv",
    "services_taxonomy.csv",
    "taxonomy.csv",
    "accessibility_for_disabilities.csv",
    "eligibility.csv",
}
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
DAY_NAMES = {
    "monday": "MO",
    "tuesday": "TU",
    "wednesday": "WE",
    "thursday": "TH",
    "friday": "FR",
    "saturday": "SA",
    "sunday": "SU",
    **{d.lower(): d for d in DAYS},
}
# 1.1 file -> (3.0 table, {1.1 column: 3.0 field}); columns with the same name carry over.
SIMPLE = {
    "organizations.csv": ("organization", {"url": "website"}),
    "services.csv": ("service", {"fees": "fees_description"}),
    "locations.csv": ("location", {}),
    "services_at_location.csv": ("service_at_location", {}),
    "phones.csv": ("phone", {}),
    "contacts.csv": ("contact", {}),
    "required_documents.csv": ("required_document", {}),
    "service_areas.csv": ("service_area", {"service_area": "name"}),
    "languages.csv": ("language", {"language": "name"}),
    "accessibility_for_disabilities.csv": ("accessibility", {"accessibility": "description"}),
}
IGNORED = ("funding.csv", "payments_accepted.csv", "programs.csv", "metadata.csv", "meta_table_descriptions.csv")


def looks_like_11(tables: dict) -> bool:
    return bool(MARKERS & set(tables))


def _copy(rows, mapping: dict, extra: dict | None = None):
    out = []
    for row in rows:
        values = {mapping.get(k, k): v for k, v in row.values.items()}
        out.append(Row(row.file, row.line, {**values, **(extra or {})}))
    return out


def _day(value: str) -> str | None:
    value = value.strip().lower()
    if value.isdigit() and 1 <= int(value) <= 7:
        return DAYS[int(value) - 1]
    return DAY_NAMES.get(value)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "taxonomy"


def convert(tables: dict, report) -> dict:
    """{3.0 table: [Row]} from {1.1 file: (header, [Row])}."""
    result: dict[str, list] = {}

    def add(table: str, rows: list) -> None:
        result.setdefault(table, []).extend(rows)

    for name, (_header, rows) in tables.items():
        if name in SIMPLE:
            table, mapping = SIMPLE[name]
            extra = {"location_type": "physical"} if table == "location" else None
            add(table, _copy(rows, mapping, extra))
        elif name in ("physical_addresses.csv", "postal_addresses.csv"):
            kind = "physical" if name.startswith("physical") else "postal"
            for row in _copy(rows, {}, {"address_type": kind}):
                v = row.values
                v["address_2"] = ", ".join(
                    p for p in (v.get("address_2"), v.pop("address_3", ""), v.pop("address_4", "")) if p
                )
                add("address", [row])
        elif name == "regular_schedules.csv":
            for row in rows:
                day = _day(row.values.get("weekday", ""))
                if day is None:
                    report.errors.append(
                        Issue(
                            name,
                            row.line,
                            "weekday",
                            f'"{row.values.get("weekday")}" is not a day (1 = Monday ... 7 = Sunday)',
                        )
                    )
                    continue
                v = row.values
                add(
                    "schedule",
                    [
                        Row(
                            name,
                            row.line,
                            {
                                "id": v.get("id", ""),
                                "service_id": v.get("service_id", ""),
                                "location_id": v.get("location_id", ""),
                                "service_at_location_id": v.get("service_at_location_id", ""),
                                "freq": "WEEKLY",
                                "byday": day,
                                "opens_at": v.get("opens_at", "")[:5],
                                "closes_at": v.get("closes_at", "")[:5],
                            },
                        )
                    ],
                )
        elif name == "holiday_schedules.csv":
            for row in rows:
                v = row.values
                closed = v.get("closed", "").lower() in ("true", "1", "yes")
                # 1.1 numbers holiday and regular schedules separately; both become 3.0 schedules.
                add(
                    "schedule",
                    [
                        Row(
                            name,
                            row.line,
                            {
                                "id": f"holiday:{v['id']}" if v.get("id") else "",
                                "service_id": v.get("service_id", ""),
                                "location_id": v.get("location_id", ""),
                                "service_at_location_id": v.get("service_at_location_id", ""),
                                "valid_from": v.get("start_date", ""),
                                "valid_to": v.get("end_date", ""),
                                "opens_at": "" if closed else v.get("opens_at", "")[:5],
                                "closes_at": "" if closed else v.get("closes_at", "")[:5],
                                "description": "closed" if closed else "",
                            },
                        )
                    ],
                )
        elif name == "taxonomy.csv":
            vocabularies = {}
            for row in rows:
                v = row.values
                vocabulary = v.get("vocabulary") or "HSDS 1.1"
                taxonomy_id = "hsds11-" + _slug(vocabulary)
                vocabularies[taxonomy_id] = vocabulary
                add(
                    "taxonomy_term",
                    [
                        Row(
                            name,
                            row.line,
                            {
                                "id": v.get("id", ""),
                                "name": v.get("name", ""),
                                "parent_id": v.get("parent_id", ""),
                                "taxonomy_id": taxonomy_id,
                                "description": "",
                            },
                        )
                    ],
                )
            add(
                "taxonomy",
                [
                    Row(name, 0, {"id": tid, "name": vocab, "description": f"Imported vocabulary {vocab}"})
                    for tid, vocab in vocabularies.items()
                ],
            )
        elif name == "services_taxonomy.csv":
            add(
                "attribute",
                [
                    Row(
                        name,
                        row.line,
                        {
                            "id": row.values.get("id", ""),
                            "link_id": row.values.get("service_id", ""),
                            "link_entity": "service",
                            "link_type": "service_taxonomy",
                            "taxonomy_term_id": row.values.get("taxonomy_id", ""),
                            "value": row.values.get("taxonomy_detail", ""),
                        },
                    )
                    for row in rows
                ],
            )
        elif name in IGNORED:
            report.notes.append(f"{name}: this catalog does not keep this table; not imported")
    _merge_eligibility(tables, result)
    for row in result.get("service", []):
        row.values.setdefault("status", "active")
        if not row.values["status"]:
            row.values["status"] = "active"
    return result


def _merge_eligibility(tables: dict, result: dict) -> None:
    """1.1 keeps eligibility in its own table; 3.0 has a text field on the service."""
    if "eligibility.csv" not in tables:
        return
    by_service: dict[str, list[str]] = {}
    for row in tables["eligibility.csv"][1]:
        if row.values.get("eligibility"):
            by_service.setdefault(row.values.get("service_id", ""), []).append(row.values["eligibility"])
    for row in result.get("service", []):
        extra = by_service.get(row.values.get("id"))
        if extra:
            current = row.values.get("eligibility_description", "")
            row.values["eligibility_description"] = "; ".join(p for p in (current, *extra) if p)
