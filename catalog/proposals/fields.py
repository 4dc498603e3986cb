"""What a partner may propose, field by field: how the value is read from the entry as the
staff forms edit it, how it is shown in a diff, and where it goes when the change is applied
through the staff's own save functions.

Values are kept JSON-safe (a proposal stores them): text or None, a list of lines, an address
as a dict, opening hours as lists. `current_values` and a proposal's "before" use the same
shape, so "has the entry changed since?" is a plain comparison.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from catalog import hours
from catalog.models import LINK_PROVIDER_TYPE, Organization, Service
from catalog.staff.organizations import ORG_FIELDS, org_contact
from catalog.staff.services import SERVICE_FIELDS, ServiceDetails, details_of

SERVICE = "service"
ORGANIZATION = "organization"


@dataclass(frozen=True)
class Proposable:
    name: str
    label: object  # a lazy string, shown in the partner's language and in the staff's
    kind: str  # "text", "lines", "address", "weekly", "exceptions"


SERVICE_PROPOSABLE = (
    Proposable("phones", _l("Phone numbers"), "lines"),
    Proposable("email", _l("E-mail"), "text"),
    Proposable("url", _l("Web page"), "text"),
    Proposable("address", _l("Address"), "address"),
    Proposable("weekly", _l("Opening hours"), "weekly"),
    Proposable("exceptions", _l("Exceptions (holidays, special days)"), "exceptions"),
    Proposable("eligibility_description", _l("Who it is for"), "text"),
    Proposable("application_process", _l("How to apply"), "text"),
    Proposable("documents", _l("What to bring"), "lines"),
)
ORGANIZATION_PROPOSABLE = (
    Proposable("phones", _l("Phone numbers"), "lines"),
    Proposable("email", _l("E-mail"), "text"),
    Proposable("website", _l("Web page"), "text"),
    Proposable("address", _l("Address"), "address"),
)
# Fields kept on the service's detail rows (the staff form's ServiceDetails), not its columns.
_SERVICE_DETAILS = {"phones", "address", "weekly", "exceptions", "documents"}


def entry_type(entry: Service | Organization) -> str:
    return SERVICE if isinstance(entry, Service) else ORGANIZATION


def proposable(kind: str) -> tuple[Proposable, ...]:
    return SERVICE_PROPOSABLE if kind == SERVICE else ORGANIZATION_PROPOSABLE


def label_of(kind: str, name: str) -> str:
    return next((str(p.label) for p in proposable(kind) if p.name == name), name)


def _weekly(rows) -> list[list[str]]:
    return [list(row) for row in rows]


def _exceptions(rows) -> list[list]:
    return [[d.isoformat(), o, c, note] for d, o, c, note in rows]


def to_json(name: str, value):
    """A value as stored in a proposal (tuples become lists, dates ISO strings, "" None)."""
    if name == "weekly":
        return _weekly(value)
    if name == "exceptions":
        return _exceptions(value)
    if isinstance(value, str):
        return value.strip() or None
    return value


def as_posted(name: str, value):
    """A stored value as the proposal form would send it back untouched (hours written with
    seconds by an import, stray spaces), so only what the partner changed counts as a change."""
    try:
        if name == "weekly":
            return _weekly(hours.parse_weekly(show(name, value)))
        if name == "exceptions":
            return _exceptions(hours.parse_exceptions(show(name, value)))
    except hours.HoursError:
        return value  # hours the form could not have shown as they are: compared as stored
    if isinstance(value, list):
        return [v.strip() for v in value if isinstance(v, str) and v.strip()]
    if isinstance(value, dict):
        return {k: (v or "").strip() for k, v in value.items()}
    return to_json(name, value)


def current_values(entry: Service | Organization) -> dict:
    """The proposable fields of the entry as they are now, JSON-safe."""
    if isinstance(entry, Service):
        details = details_of(entry)
        values = {name: getattr(details, name) for name in _SERVICE_DETAILS}
        values.update({name: getattr(entry, name) for name in ("email", "url", "eligibility_description")})
        values["application_process"] = entry.application_process
    else:
        phones, address = org_contact(entry)
        values = {"phones": phones, "address": address, "email": entry.email, "website": entry.website}
    return {name: to_json(name, value) for name, value in values.items()}


def show(name: str, value) -> str:
    """A stored value as plain text for the diff and the e-mail (lines stay lines)."""
    if value in (None, "", []):
        return ""
    if name == "address":
        return ", ".join(
            p for p in (value.get("address_1"), f"{value.get('postal_code', '')} {value.get('city', '')}".strip()) if p
        )
    if name == "weekly":
        return hours.format_weekly([tuple(row) for row in value])
    if name == "exceptions":
        return hours.format_exceptions([(date.fromisoformat(d), o, c, note) for d, o, c, note in value])
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value)


# ---- applying: the staff's save functions take the whole entry; these build it ----------------


def service_save_arguments(service: Service, changes: dict) -> tuple[dict, ServiceDetails]:
    """The entry as the staff form would post it, with the proposed values in place."""
    data = {name: getattr(service, name) for name in SERVICE_FIELDS}
    data["status"] = service.status.value
    details = details_of(service)
    for name, value in changes.items():
        if name == "weekly":
            details.weekly = [tuple(row) for row in value]
        elif name == "exceptions":
            details.exceptions = [(date.fromisoformat(d), o, c, note) for d, o, c, note in value]
        elif name in _SERVICE_DETAILS:
            setattr(details, name, value if value is not None else ([] if name != "address" else None))
        else:
            data[name] = value
    return data, details


def organization_save_arguments(org: Organization, changes: dict) -> dict:
    """The organization as the staff form would post it, with the proposed values in place."""
    data = {name: getattr(org, name) for name in ORG_FIELDS}
    data["provider_type"] = next(
        (a.taxonomy_term_id for a in org.attributes if a.link_type == LINK_PROVIDER_TYPE), None
    )
    data["phones"], data["address"] = org_contact(org)
    data.update(changes)
    return data
