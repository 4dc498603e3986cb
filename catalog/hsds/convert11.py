"""HSDS 1.1 CSV packages, converted to 3.0 rows before they are checked and written.

1.1 is what most directories still publish: physical/postal addresses, regular and holiday
schedules, a flat taxonomy with services_taxonomy links, eligibility as its own table.
Weekday numbers follow ISO 8601 (1 = Monday ... 7 = Sunday); names (Monday, MO) work too.
"""

import re

from catalog.hsds.tables import Row
from welfare import params

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
    number = params.whole_number(value, 1, 7)  # "²" is a digit to str.isdigit, not to this
    if number is not None:
        return DAYS[number - 1]
    return DAY_NAMES.get(value)


def _time(value: str) -> str:
    """1.1 writes 09:00:00 (or 9:00); text such as "by appointment" is left for the check to report."""
    match = re.match(r"^(\d{1,2}):(\d{2})(:\d{2})?$", value.strip())
    return f"{int(match[1]):02d}:{match[2]}" if match else value


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "taxonomy"


def convert(tables: dict, report) -> dict:
    """{3.0 table: [Row]} from {1.1 file: (header, [Row])}."""
    result: dict[str, list] = {}
    for name, (_header, rows) in tables.items():
        if name in IGNORED:
            report.notes.append(f"{name}: this catalog does not keep this table; not imported")
            continue
        for table, converted in _convert_file(name, rows, report):
            result.setdefault(table, []).extend(converted)
    _merge_eligibility(tables, result)
    for row in result.get("service", []):
        if not row.values.get("status"):
            row.values["status"] = "active"
    return result


def _convert_file(name: str, rows: list[Row], report) -> list[tuple[str, list[Row]]]:
    """One 1.1 file as (3.0 table, rows) pairs; files this converter does not know give nothing."""
    if name in SIMPLE:
        table, mapping = SIMPLE[name]
        return [(table, _copy(rows, mapping, {"location_type": "physical"} if table == "location" else None))]
    converter = FILE_CONVERTERS.get(name)
    return converter(name, rows, report) if converter else []


def _addresses(name: str, rows: list[Row], report) -> list[tuple[str, list[Row]]]:
    """Physical and postal addresses are one 3.0 table; address_3 and address_4 join address_2."""
    converted = _copy(rows, {}, {"address_type": "physical" if name.startswith("physical") else "postal"})
    for row in converted:
        v = row.values
        v["address_2"] = ", ".join(p for p in (v.get("address_2"), v.pop("address_3", ""), v.pop("address_4", "")) if p)
    return [("address", converted)]


def _schedule_row(name: str, row: Row, row_id: str, values: dict) -> Row:
    v = row.values
    return Row(
        name,
        row.line,
        {
            "id": row_id,
            "service_id": v.get("service_id", ""),
            "location_id": v.get("location_id", ""),
            "service_at_location_id": v.get("service_at_location_id", ""),
            **values,
        },
    )


def _regular_schedules(name: str, rows: list[Row], report) -> list[tuple[str, list[Row]]]:
    """Weekly opening hours; a weekday that is not a day is reported and its row left out."""
    converted = []
    for row in rows:
        day = _day(row.values.get("weekday", ""))
        if day is None:
            problem = f'"{row.values.get("weekday")}" is not a day (1 = Monday ... 7 = Sunday)'
            report.problem(name, row.line, "weekday", problem, "schedule text instead of times")
            continue
        v = row.values
        times = {"opens_at": _time(v.get("opens_at", "")), "closes_at": _time(v.get("closes_at", ""))}
        converted.append(_schedule_row(name, row, v.get("id", ""), {"freq": "WEEKLY", "byday": day, **times}))
    return [("schedule", converted)]


def _holiday_schedules(name: str, rows: list[Row], report) -> list[tuple[str, list[Row]]]:
    """Dated exceptions to the weekly hours (closed, or other hours)."""
    converted = []
    for row in rows:
        v = row.values
        closed = v.get("closed", "").lower() in ("true", "1", "yes")
        values = {
            "valid_from": v.get("start_date", ""),
            "valid_to": v.get("end_date", ""),
            "opens_at": "" if closed else _time(v.get("opens_at", "")),
            "closes_at": "" if closed else _time(v.get("closes_at", "")),
            "description": "closed" if closed else "",
        }
        # 1.1 numbers holiday and regular schedules separately; both become 3.0 schedules.
        converted.append(_schedule_row(name, row, f"holiday:{v['id']}" if v.get("id") else "", values))
    return [("schedule", converted)]


def _taxonomy(name: str, rows: list[Row], report) -> list[tuple[str, list[Row]]]:
    """A flat 1.1 taxonomy becomes terms, plus one 3.0 taxonomy per vocabulary named in it."""
    vocabularies = {}
    terms = []
    for row in rows:
        v = row.values
        vocabulary = v.get("vocabulary") or "HSDS 1.1"
        taxonomy_id = "hsds11-" + _slug(vocabulary)
        vocabularies[taxonomy_id] = vocabulary
        terms.append(
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
        )
    taxonomies = [
        Row(name, 0, {"id": tid, "name": vocab, "description": f"Imported vocabulary {vocab}"})
        for tid, vocab in vocabularies.items()
    ]
    return [("taxonomy_term", terms), ("taxonomy", taxonomies)]


def _services_taxonomy(name: str, rows: list[Row], report) -> list[tuple[str, list[Row]]]:
    """Links from services to terms become 3.0 attributes."""
    attributes = [
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
    ]
    return [("attribute", attributes)]


FILE_CONVERTERS = {
    "physical_addresses.csv": _addresses,
    "postal_addresses.csv": _addresses,
    "regular_schedules.csv": _regular_schedules,
    "holiday_schedules.csv": _holiday_schedules,
    "taxonomy.csv": _taxonomy,
    "services_taxonomy.csv": _services_taxonomy,
}


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
