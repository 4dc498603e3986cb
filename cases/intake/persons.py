"""Persons: search by name (with or without č/š/ž), birth year or case number; the duplicate
check before a new person is created.

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
from cases.models import Case, Gender, Person
from cases.services import name_key
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
            folded = name_key(token, "")
            if folded:
                query.words.append(folded[:100])
    return query


def _like_escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find_persons(text: str) -> list[Person]:
    """Persons matching every part of the query (a database query: persons never enter the search index)."""
    query = parse_person_query(text)
    if query.is_empty:
        return []
    # The result list shows each person's case numbers: load them in one query, not one per row.
    statement = sa.select(Person).options(selectinload(Person.cases))
    for word in query.words:
        statement = statement.where(Person.name_key.like(f"%{_like_escaped(word)}%", escape="\\"))
    if query.years:
        statement = statement.where(Person.birth_year.in_(query.years))
    if query.numbers:
        statement = statement.where(Person.id.in_(sa.select(Case.person_id).where(Case.number.in_(query.numbers))))
    return list(db.session.scalars(statement.order_by(Person.name_key, Person.birth_year).limit(SEARCH_LIMIT)))


def likely_duplicates(first_name: str, last_name: str, birth_year: int | None) -> list[Person]:
    """Persons with the same folded name and birth year: shown before a second one is created."""
    if birth_year is None:
        return []
    return list(
        db.session.scalars(
            sa.select(Person)
            .where(Person.name_key == name_key(first_name, last_name), Person.birth_year == birth_year)
            .order_by(Person.id)
        )
    )


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
    person = Person(
        first_name=data.first_name.strip(),
        last_name=data.last_name.strip(),
        name_key=name_key(data.first_name, data.last_name),
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
