"""Residents' everyday phrases per life domain: what staff add and remove, and what the
anonymous search log proposes (a query whose searches led to services of one domain)."""

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from catalog.learning.services import min_sightings
from catalog.models import LINK_DOMAIN, TAXONOMY_DOMAINS, Attribute, TaxonomyTerm
from catalog.search import DomainPhrase, SearchLog, fold, forget_phrases, phrase_book, phrase_key, phrase_words
from welfare import audit
from welfare.database import utcnow
from welfare.errors import ValidationFailed
from welfare.extensions import db
from welfare.models import User

PROPOSAL_SHARE = 0.7  # of the opened results must belong to one domain
PROPOSAL_MIN_OPENS = 2  # one open is a single person's click, not a pattern


def domains_with_phrases() -> list[tuple[TaxonomyTerm, list[DomainPhrase]]]:
    """Every life domain with its phrases, in the domains' order of name."""
    terms = db.session.scalars(
        sa.select(TaxonomyTerm).where(TaxonomyTerm.taxonomy_id == TAXONOMY_DOMAINS).order_by(TaxonomyTerm.name)
    ).all()
    by_term: dict[str, list[DomainPhrase]] = {}
    for phrase in db.session.scalars(sa.select(DomainPhrase).order_by(DomainPhrase.phrase)):
        by_term.setdefault(phrase.term_id, []).append(phrase)
    return [(term, by_term.get(term.id, [])) for term in terms]


def phrases_of(term: TaxonomyTerm) -> list[DomainPhrase]:
    return list(
        db.session.scalars(sa.select(DomainPhrase).where(DomainPhrase.term_id == term.id).order_by(DomainPhrase.phrase))
    )


def _surface_key(text: str) -> str:
    return " ".join(fold(w) for w in phrase_words(text))


def add_phrase(term: TaxonomyTerm, text: str, actor: User, source: str = "staff") -> DomainPhrase:
    """Teach the search that residents say `text` about this life domain.

    :raise ValidationFailed: empty, only filler words, or already a phrase of the domain (one
        the seed file brought is taken over instead)."""
    text = " ".join(text.split())[:200]
    if not text:
        raise ValidationFailed(_("Enter the words to add."), field="phrase")
    key = phrase_key(text)
    if not phrase_words(text) or not key:
        raise ValidationFailed(_("These are only filler words; add a word that carries meaning."), field="phrase")
    # Typed without č/š/ž a word may lemmatize differently ("sef" is not "šef"): compare both.
    surface = _surface_key(text)
    same = next((p for p in phrases_of(term) if p.key == key or _surface_key(p.phrase) == surface), None)
    if same is not None and same.source != "seed":
        raise ValidationFailed(_("This is already an everyday phrase of this life domain."), field="phrase")
    if same is not None:
        # The seed file brought it; staff asking for it makes it theirs, so a later seed file
        # that drops it (`retire_seed_phrases`) leaves it in place.
        phrase = same
        phrase.source, phrase.created_by = source, actor.username
    else:
        phrase = DomainPhrase(term_id=term.id, phrase=text, key=key, source=source, created_by=actor.username)
        db.session.add(phrase)
    db.session.flush()
    audit.record(
        "catalog_phrase_added", object_type="domain_phrase", object_id=phrase.id, detail=f"{term.code}: {text}"
    )
    db.session.commit()
    forget_phrases()
    return phrase


def remove_phrase(term: TaxonomyTerm, phrase_id: int) -> None:
    """Remove a phrase of this domain (gone already: nothing to do)."""
    phrase = db.session.get(DomainPhrase, phrase_id)
    if phrase is None or phrase.term_id != term.id:
        return
    audit.record(
        "catalog_phrase_removed",
        object_type="domain_phrase",
        object_id=phrase.id,
        detail=f"{term.code}: {phrase.phrase}",
    )
    db.session.delete(phrase)
    db.session.commit()
    forget_phrases()


def proposals(days: int = 90, limit: int = 20) -> list[dict]:
    """Queries seen at least k times whose opened results mostly (≥ 70 %) serve one life domain,
    that the search does not yet recognise as that domain: candidates for an everyday phrase."""
    since = utcnow() - timedelta(days=days)
    frequent = db.session.execute(
        sa.select(SearchLog.query_key, sa.func.min(SearchLog.query), sa.func.count())
        .where(SearchLog.at >= since)
        .group_by(SearchLog.query_key)
        .having(sa.func.count() >= min_sightings())
    ).all()
    if not frequent:
        return []
    keys = {key: (example, n) for key, example, n in frequent}
    opens = db.session.execute(
        sa.select(SearchLog.query_key, TaxonomyTerm.code)
        .join(Attribute, sa.and_(Attribute.link_id == SearchLog.opened_service_id, Attribute.link_entity == "service"))
        .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
        .where(
            SearchLog.at >= since,
            SearchLog.opened_service_id.is_not(None),
            SearchLog.query_key.in_(keys),
            Attribute.link_type == LINK_DOMAIN,
        )
        .add_columns(SearchLog.id)
    ).all()
    searches: dict[str, set[int]] = {}
    per_domain: dict[str, dict[str, int]] = {}
    for key, code, log_id in opens:
        searches.setdefault(key, set()).add(log_id)
        per_domain.setdefault(key, {})
        per_domain[key][code] = per_domain[key].get(code, 0) + 1
    existing = set(db.session.execute(sa.select(TaxonomyTerm.code, DomainPhrase.key).join(DomainPhrase)).all())
    book = phrase_book()
    out = []
    for key, counts in per_domain.items():
        opened = len(searches[key])
        code, hits = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        example, sightings = keys[key]
        if opened < PROPOSAL_MIN_OPENS or hits / opened < PROPOSAL_SHARE:
            continue
        known = {c for c, _ in book.recognise_text(example)}  # as the search reads it
        if (code, phrase_key(example)) in existing or code in known:
            continue
        out.append({"example": example, "code": code, "searches": sightings, "opened": opened, "share": hits / opened})
    out.sort(key=lambda p: (-p["searches"], p["example"]))
    return out[:limit]
