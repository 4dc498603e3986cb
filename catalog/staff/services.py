"""Staff curation of the catalog: saving with change history, verification, publication,
and the residents' change reports. Each public function is one user action and commits once.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from catalog.details import Accessibility, Address, CostOption, Language, Phone, RequiredDocument, Schedule, ServiceArea
from catalog.hours import DAYS
from catalog.models import (
    LINK_DOMAIN,
    LINK_PROVIDER_TYPE,
    LINK_TARGET_GROUP,
    Attribute,
    ChangeReport,
    Location,
    Metadata,
    Organization,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    TaxonomyTerm,
    new_id,
)
from catalog.services import confidential_location_ids
from welfare import audit
from welfare.database import utcnow
from welfare.errors import Conflict, ValidationFailed
from welfare.extensions import db
from welfare.models import User


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set)):
        return ", ".join(sorted(str(v) for v in value))
    return getattr(value, "value", value) if not isinstance(value, bool) else ("true" if value else "false")


def record_history(
    resource_type: str, resource_id: str, action: str, actor: User, field_name: str = "", old="", new=""
) -> None:
    db.session.add(
        Metadata(
            resource_id=resource_id,
            resource_type=resource_type,
            last_action_type=action,
            field_name=field_name,
            previous_value=str(_text(old)),
            replacement_value=str(_text(new)),
            updated_by=actor.username,
        )
    )


def _assign(record, resource_type: str, values: dict, actor: User, is_new: bool) -> None:
    """Set attributes and write one metadata row per changed field."""
    columns = record.__table__.c
    for name, new in values.items():
        if new is None and not columns[name].nullable:
            new = ""  # an emptied required text column is stored as "", never NULL
        old = getattr(record, name)
        if old != new:
            setattr(record, name, new)
            if not is_new:
                record_history(resource_type, record.id, "update", actor, name, old, new)


def commit_changes(message: str | None = None) -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(
            message or _("Someone else saved this record in the meantime. Reload it and apply your changes again.")
        ) from None


def _check_version(record, version_id: int | None) -> None:
    if version_id is not None and record.version_id != version_id:
        raise Conflict(_("Someone else saved this record in the meantime. Reload it and apply your changes again."))


# ---- links (taxonomy attributes) -------------------------------------------------------------


def _current_links(entity: str, record_id: str, link_type: str) -> dict[str, Attribute]:
    rows = db.session.scalars(
        sa.select(Attribute).where(
            Attribute.link_entity == entity, Attribute.link_id == record_id, Attribute.link_type == link_type
        )
    )
    return {a.taxonomy_term_id: a for a in rows}


def _set_links(entity: str, record_id: str, link_type: str, term_ids: list[str], actor: User, is_new: bool) -> None:
    current = _current_links(entity, record_id, link_type)
    wanted = set(term_ids)
    if set(current) == wanted:
        return
    known = set(db.session.scalars(sa.select(TaxonomyTerm.id).where(TaxonomyTerm.id.in_(wanted))))
    if known != wanted:
        raise ValidationFailed(_("An unknown category was chosen."))
    for term_id, attribute in current.items():
        if term_id not in wanted:
            db.session.delete(attribute)
    for term_id in wanted - set(current):
        db.session.add(Attribute(link_id=record_id, link_entity=entity, link_type=link_type, taxonomy_term_id=term_id))
    if not is_new:
        record_history(entity, record_id, "update", actor, link_type, sorted(current), sorted(wanted))


# ---- organizations -----------------------------------------------------------------------------

ORG_FIELDS = (
    "name",
    "alternate_name",
    "description",
    "email",
    "website",
    "legal_status",
    "source_note",
    "needs_verification",
)


def save_organization(org: Organization | None, data: dict, actor: User, version_id: int | None = None) -> Organization:
    """Create or update an organization from validated form data and commit.

    :raise Conflict: the record changed since the form was loaded.
    """
    is_new = org is None
    if is_new:
        org = Organization(id=new_id(), is_published=False)
        db.session.add(org)
    else:
        _check_version(org, version_id)
    _assign(org, "organization", {f: data.get(f) for f in ORG_FIELDS}, actor, is_new)
    _set_links(
        "organization",
        org.id,
        LINK_PROVIDER_TYPE,
        [data["provider_type"]] if data.get("provider_type") else [],
        actor,
        is_new,
    )
    before = org_contact(org) if not is_new else ([], None)
    _replace_org_contact(org, data.get("phones", []), data.get("address"))
    if is_new:
        record_history("organization", org.id, "create", actor)
    else:
        for name, old, new in (
            ("phones", before[0], data.get("phones", [])),
            ("address", before[1], data.get("address")),
        ):
            if old != new:
                record_history("organization", org.id, "update", actor, name, old, new)
    audit.record("catalog_org_saved", object_type="organization", object_id=org.id, actor=actor)
    commit_changes()
    return org


def _org_phones(org: Organization) -> list[Phone]:
    return list(
        db.session.scalars(
            sa.select(Phone)
            .where(Phone.organization_id == org.id, Phone.service_id.is_(None), Phone.location_id.is_(None))
            .order_by(Phone.id)
        )
    )


def _main_location(org: Organization) -> Location | None:
    """The organization's own office: its location named like it, never one a confidential service uses."""
    confidential = confidential_location_ids()
    return db.session.scalar(
        sa.select(Location)
        .where(Location.organization_id == org.id, Location.name == org.name, Location.id.not_in(confidential))
        .order_by(Location.id)
    )


def org_contact(org: Organization) -> tuple[list[str], dict | None]:
    """The organization's own phone numbers and main street address, as the form edits them."""
    location = _main_location(org)
    address = location.addresses[0] if location and location.addresses else None
    return (
        [p.number for p in _org_phones(org)],
        {"address_1": address.address_1, "postal_code": address.postal_code, "city": address.city} if address else None,
    )


def _replace_org_contact(org: Organization, phones: list[str], address: dict | None) -> None:
    for phone in _org_phones(org):
        db.session.delete(phone)
    db.session.add_all(Phone(organization_id=org.id, number=n, type="voice") for n in phones)
    location = _main_location(org)
    if address:
        if location is None:
            location = Location(organization_id=org.id, location_type="physical", name=org.name)
            db.session.add(location)
        location.addresses[:] = [Address(country="SI", address_type="physical", state_province="", **address)]
    elif location is not None:
        location.addresses[:] = []


# ---- services ------------------------------------------------------------------------------------

SERVICE_FIELDS = (
    "name",
    "alternate_name",
    "organization_id",
    "description",
    "status",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "application_process",
    "fees_description",
    "url",
    "email",
    "alert",
    "interpretation_services",
    "source_note",
    "needs_verification",
    "is_confidential_location",
)


@dataclass
class ServiceDetails:
    """The repeating parts of a service as the staff form edits them."""

    free_of_charge: bool = False
    domains: list[str] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    address: dict | None = None
    accessibility: str = ""
    weekly: list[tuple[str, str, str]] = field(default_factory=list)  # (BYDAY, opens, closes)
    exceptions: list[tuple[date, str | None, str | None, str]] = field(default_factory=list)


def details_of(service: Service) -> ServiceDetails:
    location = _own_location(service)
    address = location.addresses[0] if location and location.addresses else None
    return ServiceDetails(
        free_of_charge=service.is_free,
        domains=[a.taxonomy_term_id for a in service.attributes if a.link_type == LINK_DOMAIN],
        target_groups=[a.taxonomy_term_id for a in service.attributes if a.link_type == LINK_TARGET_GROUP],
        areas=sorted(a.name for a in service.service_areas if a.name),
        documents=[d.document for d in service.required_documents if d.document],
        phones=[p.number for p in service.phones],
        languages=sorted(lang.code for lang in service.languages if lang.code),
        address={"address_1": address.address_1, "postal_code": address.postal_code, "city": address.city}
        if address
        else None,
        accessibility=(location.accessibility[0].description or "") if location and location.accessibility else "",
        weekly=sorted(
            ((s.byday, s.opens_at, s.closes_at) for s in service.schedules if s.freq == "WEEKLY"),
            key=lambda r: (DAYS.index(r[0]) if r[0] in DAYS else len(DAYS), r[1] or ""),
        ),
        exceptions=sorted(
            (s.valid_from, s.opens_at, s.closes_at, s.description or "")
            for s in service.schedules
            if not s.freq and s.valid_from
        ),
    )


def _own_location(service: Service) -> Location | None:
    """The service's first location (the one the staff form edits)."""
    return service.service_at_locations[0].location if service.service_at_locations else None


def _replace_details(service: Service, details: ServiceDetails) -> None:
    service.service_areas[:] = [ServiceArea(name=name) for name in details.areas]
    service.required_documents[:] = [RequiredDocument(document=doc) for doc in details.documents]
    service.phones[:] = [Phone(number=number, type="voice") for number in details.phones]
    service.languages[:] = [Language(code=code, name=code) for code in details.languages]
    service.cost_options[:] = (
        [CostOption(option="Brezplačno", amount=0, currency="EUR")] if details.free_of_charge else []
    )
    service.schedules[:] = [
        Schedule(freq="WEEKLY", byday=day, opens_at=opens, closes_at=closes) for day, opens, closes in details.weekly
    ] + [
        Schedule(valid_from=day, valid_to=day, opens_at=opens, closes_at=closes, description=note)
        for day, opens, closes, note in details.exceptions
    ]
    _replace_location(service, details)


def _replace_location(service: Service, details: ServiceDetails) -> None:
    location = _own_location(service)
    if not details.address:
        if location is not None:
            service.service_at_locations.clear()
        return
    if location is None:
        location = Location(organization_id=service.organization_id, location_type="physical", name=service.name)
        service.service_at_locations.append(ServiceAtLocation(location=location))
    location.addresses[:] = [Address(country="SI", address_type="physical", state_province="", **details.address)]
    location.accessibility[:] = [Accessibility(description=details.accessibility)] if details.accessibility else []


def save_service(
    service: Service | None, data: dict, details: ServiceDetails, actor: User, version_id: int | None = None
) -> Service:
    """Create or update a service (all its parts) from validated form data and commit.

    :raise Conflict: the record changed since the form was loaded.
    :raise ValidationFailed: a referenced organization or category does not exist.
    """
    if db.session.get(Organization, data["organization_id"]) is None:
        raise ValidationFailed(_("Choose an existing organization."), field="organization_id")
    is_new = service is None
    before = None
    if is_new:
        service = Service(id=new_id(), is_published=False)
        db.session.add(service)
    else:
        _check_version(service, version_id)
        before = details_of(service)
    values = {f: data.get(f) for f in SERVICE_FIELDS}
    values["status"] = ServiceStatus(values["status"] or "active")
    _assign(service, "service", values, actor, is_new)
    db.session.flush()
    _set_links("service", service.id, LINK_DOMAIN, details.domains, actor, is_new)
    _set_links("service", service.id, LINK_TARGET_GROUP, details.target_groups, actor, is_new)
    _replace_details(service, details)
    if is_new:
        record_history("service", service.id, "create", actor)
    else:
        for name in (
            "free_of_charge",
            "areas",
            "documents",
            "phones",
            "languages",
            "address",
            "accessibility",
            "weekly",
            "exceptions",
        ):
            old, new = getattr(before, name), getattr(details, name)
            if old != new:
                record_history("service", service.id, "update", actor, name, old, new)
    service.last_modified = utcnow()
    audit.record("catalog_service_saved", object_type="service", object_id=service.id, actor=actor)
    commit_changes()
    return service


# ---- publication, archive, verification ---------------------------------------------------------


def _resource_type(record) -> str:
    return "service" if isinstance(record, Service) else "organization"


def set_published(record: Service | Organization, published: bool, actor: User) -> None:
    if record.is_published != published:
        record_history(
            _resource_type(record), record.id, "update", actor, "is_published", record.is_published, published
        )
        record.is_published = published
        commit_changes()


def set_archived(record: Service | Organization, archived: bool, actor: User) -> None:
    """Archive (hide for good, keep history) or restore a record."""
    if (record.archived_at is not None) != archived:
        old = record.archived_at
        record.archived_at = utcnow() if archived else None
        record_history(
            _resource_type(record),
            record.id,
            "archive" if archived else "restore",
            actor,
            "archived_at",
            old,
            record.archived_at,
        )
        commit_changes()


def verify_today(service: Service, actor: User) -> None:
    """Record that a staff member checked the entry today ("verified today")."""
    today = date.today()
    record_history("service", service.id, "verify", actor, "assured_date", service.assured_date, today)
    service.assured_date = today
    service.assurer = actor.full_name or actor.username
    service.needs_verification = False
    commit_changes()


def stale_services(months: int | None = None) -> list[Service]:
    """Non-archived services not verified for `months` (config CATALOG_STALE_MONTHS), oldest first."""
    months = months or current_app.config["CATALOG_STALE_MONTHS"]
    cutoff = date.today() - timedelta(days=round(months * 30.44))
    query = (
        sa.select(Service)
        .where(Service.archived_at.is_(None), sa.or_(Service.assured_date.is_(None), Service.assured_date < cutoff))
        .order_by(Service.assured_date.is_not(None), Service.assured_date, Service.name)
    )
    return list(db.session.scalars(query))


def history_of(resource_type: str, resource_id: str) -> list[Metadata]:
    return list(
        db.session.scalars(
            sa.select(Metadata)
            .where(Metadata.resource_type == resource_type, Metadata.resource_id == resource_id)
            .order_by(Metadata.last_action_date.desc(), Metadata.id)
        )
    )


# ---- residents' change reports ----------------------------------------------------------------


def submit_change_report(service: Service, message: str, contact: str | None) -> ChangeReport:
    report = ChangeReport(
        service_id=service.id, message=message.strip(), reporter_contact=(contact or "").strip() or None
    )
    db.session.add(report)
    db.session.commit()
    return report


def open_reports() -> list[ChangeReport]:
    return list(
        db.session.scalars(
            sa.select(ChangeReport).where(ChangeReport.status == "open").order_by(ChangeReport.submitted_at)
        )
    )


def handle_report(report: ChangeReport, accepted: bool, actor: User) -> None:
    """Mark a change report accepted (staff will edit the entry) or dismissed."""
    if report.status != "open":
        raise ValidationFailed(_("This report has already been handled."))
    report.status = "accepted" if accepted else "dismissed"
    report.handled_by = actor.username
    report.handled_at = utcnow()
    commit_changes()
