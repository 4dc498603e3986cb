"""Open Referral HSDS 3.0 tables (which model backs each) and the row and problem types that
the reader, the 1.1 converter and the importer share."""

from dataclasses import dataclass, field
from datetime import date, datetime

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
from catalog.models import Attribute, Location, Organization, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm

HSDS_VERSION = "3.0.0"


@dataclass(frozen=True)
class Table:
    name: str  # HSDS table name
    path: str  # file name in a data package
    model: type
    fields: tuple[str, ...]
    required: tuple[str, ...] = ()  # must be present and non-empty
    references: tuple[tuple[str, str, bool], ...] = ()  # (field, target table, required)


TABLES = (
    Table(
        "organization",
        "organizations.csv",
        Organization,
        (
            "id",
            "name",
            "alternate_name",
            "description",
            "email",
            "website",
            "legal_status",
            "year_incorporated",
            "parent_organization_id",
        ),
        ("name",),
        (("parent_organization_id", "organization", False),),
    ),
    Table("taxonomy", "taxonomies.csv", Taxonomy, ("id", "name", "description", "uri", "version"), ("name",)),
    Table(
        "taxonomy_term",
        "taxonomy_terms.csv",
        TaxonomyTerm,
        ("id", "code", "name", "description", "parent_id", "taxonomy_id", "language", "term_uri"),
        ("name",),
        (("taxonomy_id", "taxonomy", False), ("parent_id", "taxonomy_term", False)),
    ),
    Table(
        "service",
        "services.csv",
        Service,
        (
            "id",
            "organization_id",
            "program_id",
            "name",
            "alternate_name",
            "description",
            "url",
            "email",
            "status",
            "interpretation_services",
            "application_process",
            "fees_description",
            "accreditations",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "assured_date",
            "assurer_email",
            "alert",
            "last_modified",
        ),
        ("organization_id", "name", "status"),
        (("organization_id", "organization", True),),
    ),
    Table(
        "location",
        "locations.csv",
        Location,
        (
            "id",
            "location_type",
            "url",
            "organization_id",
            "name",
            "alternate_name",
            "description",
            "transportation",
            "latitude",
            "longitude",
        ),
        (),
        (("organization_id", "organization", False),),
    ),
    Table(
        "service_at_location",
        "service_at_location.csv",
        ServiceAtLocation,
        ("id", "service_id", "location_id", "description"),
        ("service_id", "location_id"),
        (("service_id", "service", True), ("location_id", "location", True)),
    ),
    Table(
        "address",
        "addresses.csv",
        Address,
        (
            "id",
            "location_id",
            "attention",
            "address_1",
            "address_2",
            "city",
            "region",
            "state_province",
            "postal_code",
            "country",
            "address_type",
        ),
        ("location_id", "address_1", "city"),
        (("location_id", "location", True),),
    ),
    Table(
        "contact",
        "contacts.csv",
        Contact,
        (
            "id",
            "organization_id",
            "service_id",
            "service_at_location_id",
            "location_id",
            "name",
            "title",
            "department",
            "email",
        ),
        (),
        (
            ("organization_id", "organization", False),
            ("service_id", "service", False),
            ("service_at_location_id", "service_at_location", False),
            ("location_id", "location", False),
        ),
    ),
    Table(
        "phone",
        "phones.csv",
        Phone,
        (
            "id",
            "location_id",
            "service_id",
            "organization_id",
            "contact_id",
            "service_at_location_id",
            "number",
            "extension",
            "type",
            "description",
        ),
        ("number",),
        (
            ("location_id", "location", False),
            ("service_id", "service", False),
            ("organization_id", "organization", False),
            ("contact_id", "contact", False),
            ("service_at_location_id", "service_at_location", False),
        ),
    ),
    Table(
        "schedule",
        "schedules.csv",
        Schedule,
        (
            "id",
            "service_id",
            "location_id",
            "service_at_location_id",
            "valid_from",
            "valid_to",
            "dtstart",
            "timezone",
            "until",
            "count",
            "wkst",
            "freq",
            "interval",
            "byday",
            "byweekno",
            "bymonthday",
            "byyearday",
            "description",
            "opens_at",
            "closes_at",
            "schedule_link",
            "attending_type",
            "notes",
        ),
        (),
        (
            ("service_id", "service", False),
            ("location_id", "location", False),
            ("service_at_location_id", "service_at_location", False),
        ),
    ),
    Table(
        "language",
        "languages.csv",
        Language,
        ("id", "service_id", "location_id", "phone_id", "name", "code", "note"),
        (),
        (("service_id", "service", False), ("location_id", "location", False), ("phone_id", "phone", False)),
    ),
    Table(
        "cost_option",
        "cost_options.csv",
        CostOption,
        ("id", "service_id", "valid_from", "valid_to", "option", "currency", "amount", "amount_description"),
        ("service_id",),
        (("service_id", "service", True),),
    ),
    Table(
        "service_area",
        "service_areas.csv",
        ServiceArea,
        ("id", "service_id", "name", "description", "extent", "extent_type", "uri"),
        (),
        (("service_id", "service", False),),
    ),
    Table(
        "required_document",
        "required_documents.csv",
        RequiredDocument,
        ("id", "service_id", "document", "uri"),
        (),
        (("service_id", "service", False),),
    ),
    Table(
        "accessibility",
        "accessibility.csv",
        Accessibility,
        ("id", "location_id", "description", "details", "url"),
        (),
        (("location_id", "location", False),),
    ),
    Table(
        "attribute",
        "attributes.csv",
        Attribute,
        ("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"),
        ("link_id", "taxonomy_term_id", "link_type", "link_entity"),
        (("taxonomy_term_id", "taxonomy_term", True),),
    ),
)
BY_NAME = {t.name: t for t in TABLES}
BY_PATH = {t.path: t for t in TABLES}
# Tables HSDS defines that this catalog does not keep; an import reports them as not imported.
NOT_KEPT = (
    "programs.csv",
    "funding.csv",
    "organization_identifiers.csv",
    "metadata.csv",
    "meta_table_descriptions.csv",
)
# Tables HSDS 3.1 added; an import reports them as not imported, with why (their presence also
# names the package a 3.1 one). Capacity is only ever what its organization says through its
# partner account: a package, even this catalog's own 3.1 export, must not overwrite that.
NOT_IMPORTED_31 = {
    "service_capacity.csv": "capacity is kept as each organization states it (partner accounts); not imported",
    "units.csv": "the units of service_capacity.csv; not imported",
    "url.csv": "this catalog does not keep this table; not imported",
}
NAMES_31 = {"service_capacity": "service_capacity.csv", "unit": "units.csv", "url": "url.csv"}  # tabular JSON keys


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


NUMBER_TYPES = (sa.Integer, sa.Float)


def json_record(obj, table: Table) -> dict:
    """The HSDS fields of a row as JSON values (numbers as numbers). Absent values are left out
    (HSDS schemas do not allow null); required text columns are kept even when empty (e.g.
    state_province, which Slovenia lacks)."""
    columns = obj.__table__.c
    out = {}
    for name in table.fields:
        value = getattr(obj, name)
        if value is None or (value == "" and columns[name].nullable):
            continue
        out[name] = value if isinstance(columns[name].type, NUMBER_TYPES) else cell(value)
    return out


@dataclass
class Issue:
    file: str
    row: int  # 1 = header line, data starts at 2; 0 = the file as a whole
    field: str
    problem: str
    kind: str = "invalid value"  # what the summary counts it under

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row else self.file
        return f"{where}{', ' + self.field if self.field else ''}: {self.problem}"


@dataclass
class Row:
    file: str
    line: int
    values: dict


@dataclass
class ImportReport:
    """What an import read, wrote, refused, skipped and would change.

    A problem is an error (the import is refused) or, with skip_invalid, a skipped or corrected
    row; a warning (no postal code, a file not in UTF-8) never stops an import.
    """

    skip_invalid: bool = False
    version: str = "3.0"
    source: str = ""
    written: dict[str, int] = field(default_factory=dict)
    errors: list[Issue] = field(default_factory=list)
    skipped: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    changes: object = None  # sources.Changes: what the import adds, updates and archives
    report_path: str = ""  # where the full list of problems was written

    def problem(self, file: str, row: int, field_name: str, text: str, kind: str = "invalid value") -> None:
        (self.skipped if self.skip_invalid else self.errors).append(Issue(file, row, field_name, text, kind))

    def warn(self, file: str, row: int, field_name: str, text: str, kind: str) -> None:
        self.warnings.append(Issue(file, row, field_name, text, kind))

    @property
    def issues(self) -> list[Issue]:
        return self.errors + self.skipped + self.warnings
