"""Staff curation of services (all their parts), publication, archive and verification of
services and organizations, and the residents' change reports. Each public function is one
user action and commits once; organizations are saved in `organizations`, and the history
and commit helpers they share live in `history`.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from catalog.details import Accessibility, Address, CostOption, Language, Phone, RequiredDocument, Schedule, ServiceArea
from catalog.hours import DAYS
from catalog.models import (
    LINK_DOMAIN,
    LINK_TARGET_GROUP,
    ChangeReport,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    new_id,
)
from catalog.staff.history import assign_fields, check_version, commit_changes, record_history, set_links
from welfare import audit, clock
from welfare.database import utcnow
from welfare.errors import ValidationFailed
from welfare.extensions import db
from welfare.models import User

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
        check_version(service, version_id)
        before = details_of(service)
    values = {f: data.get(f) for f in SERVICE_FIELDS}
    values["status"] = ServiceStatus(values["status"] or "active")
    assign_fields(service, "service", values, actor, is_new)
    db.session.flush()
    set_links("service", service.id, LINK_DOMAIN, details.domains, actor, is_new)
    set_links("service", service.id, LINK_TARGET_GROUP, details.target_groups, actor, is_new)
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
    today = clock.today()
    record_history("service", service.id, "verify", actor, "assured_date", service.assured_date, today)
    service.assured_date = today
    service.assurer = actor.full_name or actor.username
    service.needs_verification = False
    commit_changes()


def stale_services(months: int | None = None) -> list[Service]:
    """Non-archived services not verified for `months` (config CATALOG_STALE_MONTHS), oldest first."""
    months = months or current_app.config["CATALOG_STALE_MONTHS"]
    cutoff = clock.today() - timedelta(days=round(months * 30.44))
    query = (
        sa.select(Service)
        .where(Service.archived_at.is_(None), sa.or_(Service.assured_date.is_(None), Service.assured_date < cutoff))
        .order_by(Service.assured_date.is_not(None), Service.assured_date, Service.name)
    )
    return list(db.session.scalars(query))


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
