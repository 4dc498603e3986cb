"""Persons: search by name (with or without č/š/ž), birth year or case number, with names that
are close but not equal found too; the duplicate check before a new person is created.

Search is a database query on purpose: person data never enters the public search index.
"""

import re
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from cases import places
from cases.access_log import AccessAction, record_access
from cases.intake import matching
from cases.models import Case, CaseStatus, Gender, Person
from cases.names import clean_name, fold_name, name_key
from welfare.errors import ValidationFailed
from welfare.extensions import db
from welfare.models import User

SEARCH_LIMIT = 50
CASE_NUMBER_RE = re.compile(r"^\d{4}-\d{1,4}$")
YEAR_RE = re.compile(r"^(19|20)\d{2}$")


@dataclass
class PersonQuery:
    """A typed search split into what each part of it means."""

    words: list[str] = field(default_factory=list)  # folded name parts
    years: list[int] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.years or self.numbers)


def parse_person_query(text: str) -> PersonQuery:
    """ "Novak 1980", "2026-0042", "šuštar" -> name words (folded), birth years, case numbers."""
    query = PersonQuery()
    for token in (text or "").replace(",", " ").split()[:8]:
        if CASE_NUMBER_RE.match(token):
            year, serial = token.split("-")
            query.numbers.append(f"{year}-{int(serial):04d}")
        elif YEAR_RE.match(token):
            query.years.append(int(token))
        else:
            # Invisible characters, look-alike letters and hyphens go as in the stored key.
            query.words.extend(word[:100] for word in fold_name(token).split())
    return query


def _like_escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass
class PersonResults:
    found: list[Person] = field(default_factory=list)  # every part of the query matches
    similar: list[Person] = field(default_factory=list)  # close names, or the birth year one off

    @property
    def ids(self) -> list[int]:
        return [person.id for person in self.found + self.similar]


def find_persons(text: str) -> PersonResults:
    """Persons matching every part of the query, then persons with a similar name (a database
    query and RapidFuzz over the stored keys: persons never enter the search index)."""
    query = parse_person_query(text)
    if query.is_empty:
        return PersonResults()
    found = _matching_persons(query)
    room = SEARCH_LIMIT - len(found)
    similar = (
        matching.similar_persons(query.words, query.years, query.numbers, {p.id for p in found}, room)
        if room > 0
        else []
    )
    return PersonResults(found, similar)


def _matching_persons(query: PersonQuery) -> list[Person]:
    # The result list shows each person's case numbers: load them in one query, not one per row.
    statement = sa.select(Person).options(selectinload(Person.cases))
    for word in query.words:
        statement = statement.where(Person.name_key.like(f"%{_like_escaped(word)}%", escape="\\"))
    if query.years:
        statement = statement.where(Person.birth_year.in_(query.years))
    if query.numbers:
        statement = statement.where(Person.id.in_(sa.select(Case.person_id).where(Case.number.in_(query.numbers))))
    return list(db.session.scalars(statement.order_by(Person.name_key, Person.birth_year).limit(SEARCH_LIMIT)))


def likely_duplicates(
    first_name: str, last_name: str, birth_year: int | None, birth_date: date | None = None
) -> list[matching.Suggestion]:
    """Persons who may be the one typed (a close name, the birth year equal or one off), best
    first: shown before a second one is created."""
    return matching.suggestions(first_name, last_name, birth_year, birth_date)


def open_cases_of(person: Person) -> list[Case]:
    """The person's cases not closed: a new case for them is likely a mistake, so it is warned of."""
    return [case for case in person.cases if case.status != CaseStatus.CLOSED]


def final_person(person: Person) -> Person:
    """The person a merged record now lives on (itself when not merged)."""
    seen = {person.id}
    while person.merged_into_id is not None and person.merged_into_id not in seen:
        person = db.session.get(Person, person.merged_into_id)
        seen.add(person.id)
    return person


def view_person(person: Person) -> None:
    """Log that the current user opened this person's page (a read: the caller took the write lock)."""
    record_access(AccessAction.VIEW, person_id=person.id, what="person")
    db.session.commit()


def birth_year_of(birth_date: date | None, birth_year: int | None) -> int | None:
    """The year a person was born, from whichever the user gave; both must then agree.

    :raise ValidationFailed: neither given, or the two disagree.
    """
    if birth_date is None and birth_year is None:
        raise ValidationFailed(_("Enter the date of birth or at least the year of birth."), field="birth_year")
    if birth_date is not None and birth_year is not None and birth_date.year != birth_year:
        raise ValidationFailed(_("The year of birth does not match the date of birth."), field="birth_year")
    return birth_date.year if birth_date else birth_year


@dataclass
class PersonData:
    first_name: str
    last_name: str
    birth_date: date | None
    birth_year: int | None
    gender: Gender
    municipality: str = ""
    settlement: str = ""
    phone: str | None = None
    email: str | None = None


def new_person(data: PersonData, actor: User) -> Person:
    """Add a person built from the intake form to the session (the caller commits with the case)."""
    first_name, last_name = clean_name(data.first_name), clean_name(data.last_name)
    person = Person(
        first_name=first_name,
        last_name=last_name,
        name_key=name_key(first_name, last_name),
        birth_date=data.birth_date,
        birth_year=birth_year_of(data.birth_date, data.birth_year),
        gender=data.gender,
        municipality=data.municipality.strip(),
        # The form checked the choice; this keeps anything else (a street, a flat) out anyway.
        settlement=places.normalize(data.municipality, data.settlement),
        phone=(data.phone or "").strip() or None,
        email=(data.email or "").strip() or None,
        created_by_id=actor.id,
    )
    db.session.add(person)
    return person
