"""Where a person lives: a municipality, and in the region's municipalities an official settlement.

The trend reports count new cases by municipality and settlement, so a settlement is never free
text (a typed street or flat would become a row label that points at one household). It is one
of three things: an official settlement (naselje) of the person's municipality, as listed in
cases/data/settlements.json (GURS, Register prostorskih enot); `OTHER`, a place not on that list;
or "", not recorded. A municipality without a list in that file records no settlement.
"""

import json
import unicodedata
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from catalog.seed import reference_data

DATA = Path(__file__).parent / "data" / "settlements.json"

# The columns remapping reads and writes, without the ORM: migration 0013 uses them too.
PERSON_PLACE = sa.table("person", sa.column("id"), sa.column("municipality"), sa.column("settlement"))

# Stored when the person lives in a settlement that is not on the list (the reports label it).
OTHER = "other"


def fold(text: str) -> str:
    """Lowercase, without diacritics (č → c), inner spaces collapsed: what typed names compare by."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def sort_key(name: str) -> str:
    """Slovenian alphabetical order: č after c, š after s, ž after z."""
    return name.casefold().replace("č", "c~").replace("š", "s~").replace("ž", "z~")


@lru_cache(maxsize=1)
def _register() -> dict[str, dict]:
    return json.loads(DATA.read_text(encoding="utf-8"))["municipalities"]


@lru_cache(maxsize=1)
def _lists_by_folded_municipality() -> dict[str, tuple[str, dict[str, str]]]:
    """folded municipality -> (its name, {folded settlement: official settlement})."""
    return {fold(name): (name, {fold(s): s for s in entry["settlements"]}) for name, entry in _register().items()}


def municipalities() -> list[str]:
    """Municipalities offered on the forms: the catalog's list (people may live anywhere) and
    every municipality with a settlement list, in Slovenian alphabetical order."""
    names = {fold(m): m for m in reference_data()["service_areas"]["municipalities"]}
    names.update({fold(m): m for m in _register()})
    return sorted(names.values(), key=sort_key)


def municipality_name(typed: str) -> str:
    """The municipality as listed when `typed` names one (case, č/š/ž and spaces aside), else
    `typed` with its spaces tidied."""
    tidy = " ".join((typed or "").split())
    listed = {fold(m): m for m in municipalities()}
    return listed.get(fold(tidy), tidy)


def settlement_lists() -> dict[str, list[str]]:
    """{municipality: its official settlements} for every municipality that has a list."""
    return {name: list(entry["settlements"]) for name, entry in _register().items()}


def settlements(municipality: str) -> list[str]:
    """The official settlements of a municipality (typed in any case, with or without č/š/ž);
    an empty list when the municipality has none on file."""
    found = _lists_by_folded_municipality().get(fold(municipality))
    return list(found[1].values()) if found else []


def has_settlements(municipality: str) -> bool:
    """Whether settlements are recorded for this municipality at all."""
    return fold(municipality) in _lists_by_folded_municipality()


def is_official(municipality: str, settlement: str) -> bool:
    """Whether `settlement` is, exactly as written, an official settlement of `municipality`."""
    return bool(settlement) and settlement in settlements(municipality)


def normalize(municipality: str, typed: str) -> str:
    """What may be stored as the settlement of someone living in `municipality`.

    The official name when `typed` names one of the municipality's settlements (case, č/š/ž
    and spaces aside); "" when nothing is typed or the municipality has no settlement list
    (no settlement is recorded there); otherwise `OTHER`, so no street, flat or other typed
    place is ever kept.
    """
    if not fold(typed):
        return ""
    found = _lists_by_folded_municipality().get(fold(municipality))
    if found is None:
        return ""
    return found[1].get(fold(typed), OTHER)


def settlement_label(value: str) -> str:
    """A stored settlement as shown to staff: `OTHER` reads "Other settlement", "" stays empty."""
    return str(_l("Other settlement")) if value == OTHER else (value or "")


def remap_stored(executor) -> int:
    """Bring every stored settlement to what `normalize` allows (a name typed before settlements
    were a choice becomes the official one when it matches after folding, else `OTHER`); the
    number of persons changed.

    `executor` is a Connection (migration 0013) or the ORM session (`flask cases
    map-settlements`, so the trend reports hear of the change); the caller commits.
    """
    rows = executor.execute(sa.select(PERSON_PLACE.c.id, PERSON_PLACE.c.municipality, PERSON_PLACE.c.settlement))
    changes = [
        {"person_id": person_id, "mapped": mapped}
        for person_id, municipality, settlement in rows.all()
        if (mapped := normalize(municipality or "", settlement or "")) != settlement
    ]
    if changes:
        executor.execute(
            sa.update(PERSON_PLACE)
            .where(PERSON_PLACE.c.id == sa.bindparam("person_id"))
            .values(settlement=sa.bindparam("mapped")),
            changes,
        )
    return len(changes)
