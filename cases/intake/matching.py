"""Fuzzy person matching (RapidFuzz): the duplicate suggestions at intake and the "similar names"
part of person search.

Names are compared as folded words (cases.names): invisible characters, look-alike letters,
č/š/ž, case, hyphens and order do not count. On top of that a typo, a missing letter or one part
of a double surname ("Tomažič" for "Tomažič-Novak") still scores high, and the birth year may
be one off (suggested, ranked lower): at a desk, a year is often remembered wrong.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from rapidfuzz import fuzz, process
from sqlalchemy.orm import selectinload

from cases.models import Case, Person
from cases.names import fold_name
from welfare.extensions import db

NAME_THRESHOLD = 85  # a name scoring this or more (of 100) is suggested
WORD_THRESHOLD = 80  # one searched word against one word of a name ("nowak" ~ "novak": 80)
SHORT_WORD = 3  # words this short only match exactly (fuzzy "ana" would match "ina", "ena" ...)
YEAR_OFF_PENALTY = 10
SUGGESTION_LIMIT = 10


@dataclass
class Suggestion:
    person: Person
    score: float  # for ranking: the name score, less YEAR_OFF_PENALTY when the year is one off
    year_off: bool


def _words(text: str) -> list[str]:
    return fold_name(text).split()


def _part_score(typed: list[str], stored: list[str]) -> float:
    """One name part against another: as a whole, or word by word (a double surname typed or
    stored with one part only scores a little lower than the whole)."""
    if not typed or not stored:
        return 0.0
    whole = fuzz.ratio(" ".join(typed), " ".join(stored))
    shorter, longer = sorted((typed, stored), key=len)
    by_word = sum(max(fuzz.ratio(word, other) for other in longer) for word in shorter) / len(shorter)
    if len(shorter) != len(longer):
        by_word -= 5
    return max(whole, by_word)


def name_score(first: str, last: str, person: Person) -> float:
    """How alike a typed name is to a person's, 0-100; first and last name may be swapped."""
    typed_first, typed_last = _words(first), _words(last)
    stored_first, stored_last = _words(person.first_name), _words(person.last_name)

    def pair(a_first, a_last) -> float:
        scores = (_part_score(a_first, stored_first), _part_score(a_last, stored_last))
        return 0.0 if min(scores) < 60 else sum(scores) / 2

    whole = fuzz.token_sort_ratio(" ".join(typed_first + typed_last), " ".join(stored_first + stored_last))
    return max(pair(typed_first, typed_last), pair(typed_last, typed_first), whole)


def suggestions(first: str, last: str, birth_year: int | None, birth_date: date | None = None) -> list[Suggestion]:
    """Persons on file who may be the one being recorded, best first (merged records left out)."""
    if birth_year is None:
        return []
    candidates = db.session.scalars(
        sa.select(Person)
        .options(selectinload(Person.cases))
        .where(
            Person.birth_year.between(birth_year - 1, birth_year + 1),
            Person.merged_into_id.is_(None),
            Person.name_key != "",  # anonymized by retention
        )
    )
    found = []
    for person in candidates:
        score = name_score(first, last, person)
        if score < NAME_THRESHOLD:
            continue
        if birth_date and person.birth_date and person.birth_date != birth_date:
            score -= 5  # the same year, another day: less likely
        year_off = person.birth_year != birth_year
        found.append(Suggestion(person, score - (YEAR_OFF_PENALTY if year_off else 0), year_off))
    found.sort(key=lambda s: (-s.score, s.person.id))
    return found[:SUGGESTION_LIMIT]


def _word_matches(query_words: list[str], vocabulary: list[str]) -> dict[str, set[str]]:
    """For each searched word, the words of stored names it matches (exactly, as a prefix, or fuzzily)."""
    matches = {}
    for word in query_words:
        hits = {v for v in vocabulary if v == word or (len(word) > SHORT_WORD and v.startswith(word))}
        if len(word) > SHORT_WORD:
            hits |= {v for v, _score, _i in process.extract(word, vocabulary, scorer=fuzz.ratio,
                                                             score_cutoff=WORD_THRESHOLD, limit=None)}  # fmt: skip
        matches[word] = hits
    return matches


def similar_persons(
    query_words: list[str], years: list[int], numbers: list[str], exclude: set[int], limit: int
) -> list[Person]:
    """Persons whose name is close to the searched words though not an exact match: every
    searched word matches a word of the name, or every word of the name is among those searched
    (a double surname typed in full for a person stored with one). Years may be one off."""
    if not query_words:
        return []
    statement = sa.select(Person.id, Person.name_key).where(Person.name_key != "")
    if years:
        near = sorted({y + d for y in years for d in (-1, 0, 1)})
        statement = statement.where(Person.birth_year.in_(near))
    if numbers:
        statement = statement.where(Person.id.in_(sa.select(Case.person_id).where(Case.number.in_(numbers))))
    rows = [(pid, key.split()) for pid, key in db.session.execute(statement) if pid not in exclude]
    vocabulary = sorted({word for _pid, words in rows for word in words})
    matches = _word_matches(query_words, vocabulary)
    scored = []
    for person_id, words in rows:
        name = set(words)
        matched = [q for q in query_words if matches[q] & name]
        covered = {w for w in name if any(w in matches[q] for q in query_words)}
        if len(matched) == len(query_words) or (len(name) >= 2 and covered == name):
            best = [max(fuzz.ratio(q, w) for w in name) for q in matched]
            scored.append((-sum(best) / len(query_words), person_id))
    ids = [person_id for _score, person_id in sorted(scored)[:limit]]
    if not ids:
        return []
    persons = db.session.scalars(sa.select(Person).options(selectinload(Person.cases)).where(Person.id.in_(ids)))
    order = {person_id: i for i, person_id in enumerate(ids)}
    return sorted(persons, key=lambda p: order[p.id])
