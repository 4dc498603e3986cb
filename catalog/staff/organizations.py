"""Staff curation of organizations: their fields, provider type, own phones and office address."""

import sqlalchemy as sa

from catalog.details import Address, Phone
from catalog.models import LINK_PROVIDER_TYPE, Location, Organization, new_id
from catalog.services import confidential_location_ids
from catalog.staff.history import assign_fields, check_version, commit_changes, record_history, set_links
from welfare import audit
from welfare.extensions import db
from welfare.models import User

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
        check_version(org, version_id)
    assign_fields(org, "organization", {f: data.get(f) for f in ORG_FIELDS}, actor, is_new)
    set_links(
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
