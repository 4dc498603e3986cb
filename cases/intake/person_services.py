"""Correcting a person (GDPR Art. 16), saving contacts typed at intake, merging a duplicate.

Every change goes into `person_change` field by field (old and new value encrypted), so the
person page can show who changed what and when, and an erroneous correction can be undone by
hand. Each function that saves is one user action: it writes its access-log rows and commits.
"""

from datetime import date
from enum import Enum

import sqlalchemy as sa
from flask_babel import gettext as _

from cases import events, places
from cases.access_log import AccessAction, record_access
from cases.intake.models import PersonChange, PersonChangeKind
from cases.intake.persons import PersonData, birth_year_of
from cases.models import Gender, Person
from cases.names import clean_name, name_key
from welfare import audit
from welfare.errors import DomainError, ValidationFailed
from welfare.extensions import db
from welfare.models import User
from welfare.versioning import check_version, commit_or_conflict

# What a merge copies from the duplicate where the kept person has nothing.
FILLED_BY_MERGE = ("birth_date", "municipality", "settlement", "phone", "email")


class AlreadyMerged(DomainError):
    """The merge was done already (a second click, the back button): nothing left to do."""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def _log_change(person: Person, kind: PersonChangeKind, field: str, old, new, actor: User, other=None) -> None:
    db.session.add(
        PersonChange(
            person_id=person.id,
            user_id=actor.id,
            kind=kind,
            field=field,
            old_value=_text(old),
            new_value=_text(new),
            other_person_id=other.id if other is not None else None,
        )
    )


def history(person: Person) -> list[PersonChange]:
    """The person's changes, newest first, with those of the duplicates merged into them."""
    merged = sa.select(Person.id).where(Person.merged_into_id == person.id)
    return list(
        db.session.scalars(
            sa.select(PersonChange)
            .where(sa.or_(PersonChange.person_id == person.id, PersonChange.person_id.in_(merged)))
            .order_by(PersonChange.at.desc(), PersonChange.id.desc())
        )
    )


def merged_records(person: Person) -> list[Person]:
    """The duplicates merged into this person."""
    return list(db.session.scalars(sa.select(Person).where(Person.merged_into_id == person.id).order_by(Person.id)))


def _refuse_merged(person: Person) -> None:
    if person.merged_into_id is not None:
        raise ValidationFailed(_("This record was merged into another person: correct that person instead."))


def _values(data: PersonData) -> dict:
    municipality = data.municipality.strip()
    return {
        "first_name": clean_name(data.first_name),
        "last_name": clean_name(data.last_name),
        "birth_date": data.birth_date,
        "birth_year": birth_year_of(data.birth_date, data.birth_year),
        "gender": data.gender,
        "municipality": municipality,
        "settlement": places.normalize(municipality, data.settlement),
        "phone": (data.phone or "").strip() or None,
        "email": (data.email or "").strip() or None,
    }


# A correction of these changes what the trend reports count the person's cases by.
COUNTED = {"birth_date", "birth_year", "gender", "municipality", "settlement"}


def update_person(person: Person, version: str | None, data: PersonData, actor: User) -> list[str]:
    """Save the corrections of the person's edit form; returns the fields changed (none: nothing saved).

    :raise Conflict: the person changed since the form was loaded.
    :raise ValidationFailed: a merged record, an empty name, no birth date or year.
    """
    check_version(person, version)
    _refuse_merged(person)
    values = _values(data)
    if not values["first_name"]:
        raise ValidationFailed(_("Enter the first name."), field="first_name")
    if not values["last_name"]:
        raise ValidationFailed(_("Enter the last name."), field="last_name")
    changed = [name for name, value in values.items() if getattr(person, name) != value]
    if not changed:
        return []
    for name in changed:
        _log_change(person, PersonChangeKind.EDIT, name, getattr(person, name), values[name], actor)
        setattr(person, name, values[name])
    person.name_key = name_key(person.first_name, person.last_name)
    record_access(AccessAction.EDIT, person_id=person.id, what="person")
    if COUNTED & set(changed) and person.cases:
        events.case_changed(*person.cases)
    commit_or_conflict()
    return changed


def apply_contacts(person: Person, phone: str | None, email: str | None, actor: User) -> list[str]:
    """Save a phone and e-mail typed at intake to the person chosen there, in the caller's
    transaction; returns the fields that changed (the old values stay in the history)."""
    changed = []
    for name, value in (("phone", (phone or "").strip() or None), ("email", (email or "").strip() or None)):
        if value and value != getattr(person, name):
            _log_change(person, PersonChangeKind.CONTACTS, name, getattr(person, name), value, actor)
            setattr(person, name, value)
            changed.append(name)
    if changed:
        record_access(AccessAction.EDIT, person_id=person.id, what="person")
    return changed


def merge_persons(
    kept: Person, duplicate: Person, kept_version: str | None, duplicate_version: str | None, actor: User
) -> list[str]:
    """Merge `duplicate` into `kept`: its cases (and with them consents, plans, referrals, ...)
    move to `kept`, what `kept` lacks is filled from it, and it stays as a record marked merged,
    with its history. Returns the case numbers moved; commits.

    :raise AlreadyMerged: this merge was done already (a double submit).
    :raise ValidationFailed: the same person twice, or either one merged into someone else.
    :raise Conflict: either person changed since the form was loaded.
    """
    if kept.id == duplicate.id:
        raise ValidationFailed(_("A person cannot be merged into themselves. Choose the duplicate."), field="other_id")
    if duplicate.merged_into_id == kept.id:
        raise AlreadyMerged(_("These two records were already merged."))
    if duplicate.merged_into_id is not None:
        raise ValidationFailed(_("The chosen duplicate was already merged into another person."), field="other_id")
    _refuse_merged(kept)
    check_version(kept, kept_version)
    check_version(duplicate, duplicate_version)
    moved = list(duplicate.cases)
    numbers = [case.number for case in moved]
    for name in FILLED_BY_MERGE:
        if not getattr(kept, name) and getattr(duplicate, name):
            _log_change(kept, PersonChangeKind.MERGED_IN, name, None, getattr(duplicate, name), actor, duplicate)
            setattr(kept, name, getattr(duplicate, name))
    if kept.gender == Gender.UNKNOWN and duplicate.gender != Gender.UNKNOWN:
        _log_change(kept, PersonChangeKind.MERGED_IN, "gender", kept.gender, duplicate.gender, actor, duplicate)
        kept.gender = duplicate.gender
    _log_change(kept, PersonChangeKind.MERGED_IN, "cases", "", ", ".join(numbers), actor, duplicate)
    _log_change(duplicate, PersonChangeKind.MERGED_INTO, "cases", ", ".join(numbers), "", actor, kept)
    for case in moved:
        case.person = kept
        record_access(AccessAction.EDIT, case_id=case.id, person_id=kept.id, what="person_merge")
    duplicate.merged_into_id = kept.id
    record_access(AccessAction.EDIT, person_id=kept.id, what="person_merge")
    record_access(AccessAction.EDIT, person_id=duplicate.id, what="person_merge")
    # Ids only: the audit log never holds a name.
    audit.record("case.person_merged", object_type="person", object_id=duplicate.id, detail=f"into={kept.id}")
    if kept.cases:
        events.case_changed(*kept.cases)  # the trend rows read the person's birth year, gender, place
    commit_or_conflict()
    return numbers
