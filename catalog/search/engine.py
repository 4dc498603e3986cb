"""Catalog search behind one module: the Slovenian-aware Whoosh engine, with a database
fallback when the index is missing or broken. Serves the public search page and the API."""

import logging
import math
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain

import sqlalchemy as sa
from whoosh import query as Q
from whoosh import sorting

from catalog.models import Service
from catalog.search import closest as search_closest
from catalog.search import columns as search_columns
from catalog.search import domains, fallback, postings, result_cache, understanding
from catalog.search import index as search_index
from catalog.search import query as search_query
from catalog.search import snippets as search_snippets
from catalog.search.analysis import fold
from catalog.search.feedback import click_boosts, open_service_ids, pinned_ids, thesaurus
from catalog.search.general_help import entry_docs, looks_like_words
from catalog.services import PUBLIC_PAGE_SIZE, public_services
from welfare.extensions import db

log = logging.getLogger(__name__)
FACETS = {"domain": "f_domain", "group": "f_group", "area": "f_area", "provider": "f_provider", "lang": "f_lang"}
RERANK_DEPTH = 100
FEW_RESULTS = 3


@dataclass
class SearchResult:
    ids: list[str] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = PUBLIC_PAGE_SIZE
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    open_now_count: int = 0
    snippets: dict[str, str] = field(default_factory=dict)
    suggestion: str | None = None
    fallback: bool = False
    partial: bool = False  # no service matched every word: these are the closest ones
    domains: list[tuple[str, int]] = field(default_factory=list)  # recognised: (code, services)
    general: bool = False  # no word was understood: these are the office's general help services
    recognised: list[str] = field(default_factory=list)  # every life domain the words speak of

    @property
    def free_count(self) -> int:
        return dict(self.facets.get("free", [])).get("1", 0)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


# ---- running a search ------------------------------------------------------------------------------


def _filter_query(filters: dict) -> Q.Query | None:
    parts = []
    for name, field_name in FACETS.items():
        values = [v for v in filters.get(name, []) if v]
        if values:
            parts.append(Q.Or([Q.Term(field_name, v) for v in values]))
    if filters.get("free"):
        parts.append(Q.Term("f_free", "1"))
    return Q.And(parts) if parts else None


def _term_texts(q, searcher) -> set[str]:
    """The index terms a query really touches (fuzzy terms expanded), as text."""
    known = postings.existing_terms(searcher, q, (*search_query.TEXT_FIELDS, "all"))
    if known is not None:
        return known
    reader = searcher.reader()
    return {
        t.decode("utf-8") if isinstance(t, bytes) else t
        for f, t in q.existing_terms(reader, expand=True)
        if f in (*search_query.TEXT_FIELDS, "all")
    }


FIELD_WEIGHTS = (("label_name", 3.0), ("label_org", 1.0), ("label_domains", 0.8))


def _field_weight(columns, docnum: int, forms: set[str], words: int) -> float:
    weight = 1.0
    for label, factor in FIELD_WEIGHTS:
        overlap = len(forms & columns[label][docnum])
        if overlap:
            weight += factor * min(1.0, overlap / max(words, 1))
    return weight


def _rerank(hits: list[tuple[str, float, int]], key: str) -> list[str]:
    """Order by tier (0 exact name, 1 the words as a phrase in the name, 2 the rest), then by
    score lifted by click feedback, which therefore never overtakes a name match."""
    boosts = click_boosts(key)
    ranked = sorted(hits, key=lambda h: (h[2], -h[1] * boosts.get(h[0], 1.0)))
    return [h[0] for h in ranked]


def run(
    text: str,
    filters: dict | None = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = PUBLIC_PAGE_SIZE,
    snippets: bool = True,
    general_help: bool = True,
) -> SearchResult:
    """Search public services. Never raises for a broken index: falls back to the database.
    With `general_help`, words that look Slovenian but are understood nowhere find the
    office's general help services instead of nothing."""
    filters = filters or {}
    text = text.replace("\x00", "").strip()  # callers outside a request (API helpers, tests) too
    page = max(1, page)
    try:
        ix = search_index.open_index()
        stamp = (ix.storage.folder, ix.latest_generation())
        key = result_cache.key(text, filters, sort, page, per_page, snippets, general_help)
        result = result_cache.get(stamp, key)
        if result is None:
            result = _run_index(ix, text, filters, sort, page, per_page, snippets, general_help)
            result_cache.put(stamp, key, result)
    except Exception as exc:
        log.exception("search index unavailable; falling back to the database")
        db.session.rollback()
        if not isinstance(exc, sa.exc.SQLAlchemyError):
            search_index.mark_stale()  # a database hiccup says nothing about the index
        return fallback.run_database(text, filters, page, per_page, SearchResult)
    return _only_public(result)


def _only_public(result: SearchResult) -> SearchResult:
    """Re-check the public rule for what is shown: the index may lag behind the database (its
    write failed after a commit), and a service unpublished since must never appear."""
    if not result.ids:
        return result
    public = set(db.session.scalars(public_services().with_only_columns(Service.id).where(Service.id.in_(result.ids))))
    hidden = [i for i in result.ids if i not in public]
    if hidden:
        result.ids = [i for i in result.ids if i in public]
        result.total = max(0, result.total - len(hidden))
        result.snippets = {i: s for i, s in result.snippets.items() if i in public}
    return result


@dataclass
class _Pass:
    """What one search needs at hand while it runs against an open searcher."""

    searcher: object
    text: str
    groups: search_query.Thesaurus
    filter_q: Q.Query | None
    allowed: set[int] | None
    columns: dict
    analysed: understanding.Analysed | None = None
    _known: dict = field(default_factory=dict)

    def __post_init__(self):
        self.analysed = understanding.Analysed(self.text, self.groups, self.known, understanding.phrase_book())

    def known(self, term: str) -> bool:
        if term not in self._known:
            reader = self.searcher.reader()
            self._known[term] = any(reader.doc_frequency(f, term) for f in search_query.TEXT_FIELDS)
        return self._known[term]

    def build(self, **options) -> Q.Query:
        a = self.analysed
        built = search_query.build(self.text, self.groups, self.known, units=a.units, forms_of=a.forms, **options)
        return (built if self.text else None) or Q.Every()

    def matching(self, query) -> set[int]:
        docs = postings.matching(self.searcher, query)
        return docs & self.allowed if self.allowed is not None else set(docs)


def _run_index(
    ix, text: str, filters: dict, sort: str, page: int, per_page: int, snippets: bool, general_help: bool = True
) -> SearchResult:
    with ix.searcher() as searcher:
        filter_q = _filter_query(filters)
        p = _Pass(
            searcher=searcher,
            text=text,
            groups=thesaurus(),
            filter_q=filter_q,
            allowed=set(searcher.docs_for_query(filter_q)) if filter_q is not None else None,
            columns=search_columns.facet_values(ix, searcher),
        )
        key = p.analysed.folded[:200]  # the same as query_key(text), folded once
        options, count_q, matched, suggestion, partial = _match(p)
        closest = matched if partial and sort == "relevance" else None
        strengths = understanding.domain_strengths(p.analysed) if text else {}
        extra = set()
        if strengths and (partial or len(matched) < FEW_RESULTS) and p.analysed.meaningful:
            # Too little for the words alone: the recognised domains' services join the results.
            extra = domains.domain_docs(searcher, strengths, p.allowed) - matched
            partial = partial or (not matched and bool(extra))
            matched = matched | extra
        depth = None if filters.get("open_now") else max(RERANK_DEPTH, page * per_page)
        weight = domains.WEAK_TEXT_DOMAIN_WEIGHT if (partial or extra) else domains.DOMAIN_WEIGHT
        entry = []
        if general_help and text and not matched and looks_like_words(p.analysed.typed):
            entry = entry_docs(searcher, p.columns, p.allowed)  # not nothing: a door to the office
            matched = set(entry)
        hits = [(p.columns["id"][d], 0.0) for d in entry] or _score(
            p, options, count_q, sort, depth, (strengths, weight), extra, closest
        )
        ordered = _order(p, hits, sort, key, strengths)
        total = len(matched)
        if text:
            ordered, total = _with_pins(p, ordered, total, key)
        open_ids = open_service_ids()
        docnum = p.columns["docnum"]
        open_now_count = sum(1 for i in open_ids if docnum.get(i) in matched)
        if filters.get("open_now"):
            ordered = [i for i in ordered if i in open_ids]
            matched = {d for d in matched if p.columns["id"][d] in open_ids}
            total = len(ordered)
        page_ids = ordered[(page - 1) * per_page : page * per_page]
        return SearchResult(
            ids=page_ids,
            total=total,
            page=page,
            per_page=per_page,
            facets=_facet_counts(p.columns, matched),
            open_now_count=open_now_count,
            snippets=search_snippets.page_snippets(page_ids, _term_texts(count_q, searcher))
            if text and snippets
            else {},
            suggestion=suggestion,
            partial=partial and bool(page_ids),
            domains=domains.cards(searcher, strengths),
            general=bool(entry) and bool(page_ids),
            recognised=list(strengths),
        )


def _match(p: _Pass):
    """The options of the query that matched (for building the scored query, when needed), the
    counting query and the matched documents; with few matches, retry with fuzzy words (then any
    word) and offer a "did you mean" suggestion."""
    used, count_q = {}, p.build(counting=True)
    matched = p.matching(count_q)
    suggestion, partial = None, False
    if p.text and len(matched) < FEW_RESULTS:
        options = dict(fuzzy=True)
        fuzzy_count_q = p.build(counting=True, **options)
        fuzzy_matched = p.matching(fuzzy_count_q)
        if not fuzzy_matched:
            options["require_all"] = False
            fuzzy_count_q = p.build(counting=True, **options)
            fuzzy_matched = p.matching(fuzzy_count_q)
        if len(fuzzy_matched) > len(matched):
            used, count_q, matched = options, fuzzy_count_q, fuzzy_matched
            # Any word, not every word: BM25 over the words ranks by covered need, rare words first.
            partial = "require_all" in options and len(p.analysed.typed) > 1
        # A recognised life domain already offers a way on (its card); the spelling corrector
        # is the costliest step of a long description, so it runs only when nothing was understood.
        if not p.analysed.domains:
            suggestion = _suggestion(p.searcher, p.analysed)
    return used, count_q, matched, suggestion, partial


def _score(
    p: _Pass, options: dict, count_q, sort: str, depth, lift=({}, 0.0), extra=(), closest=None
) -> list[tuple[str, float]]:
    """(service id, score) of the top hits; recognised domains lift their services; `closest`
    (the documents matching some words, when none matched all) are ranked by covered need.
    `options` build the per-field query, which only the sorted orders need."""
    columns = p.columns
    sortedby = {"name": "sort_name", "verified": sorting.FieldFacet("verified", reverse=True)}.get(sort)
    if sortedby is None and p.text:
        # Score once on the single `all` field (one posting list per form), then weigh the
        # top hits by where the words matched: name above provider above life domains.
        scored = postings.scores(p.searcher, count_q)  # Whoosh's scores, from decoded postings
        if scored is None:
            top = p.searcher.search(count_q, filter=p.filter_q, limit=depth).items()
        else:
            top = postings.top(scored, p.allowed, depth)
        # Expanded: a typo's fuzzy term counts as the real words it matched.
        forms = _term_texts(count_q, p.searcher)
        words = len(p.text.split())
        hits = [(d, (score or 0.0) * _field_weight(columns, d, forms, words)) for d, score in top]
        if closest:
            hits = search_closest.rescore(hits, search_closest.coverage(p, closest), depth)
        if lift[0]:
            hits = domains.blend(hits, set(extra), columns, *lift)[:depth]
        return [(columns["id"][d], score) for d, score in hits]
    q = p.build(**options)
    if extra:  # sorted by name or date: the domain services joined the results, so list them too
        q = Q.Or([q, *(Q.Term("f_domain", code) for code in lift[0])])
    results = p.searcher.search(q, filter=p.filter_q, sortedby=sortedby, limit=depth)
    return [(columns["id"][docnum], score or 0.0) for docnum, score in results.items()]


def _order(p: _Pass, hits: list[tuple[str, float]], sort: str, key: str, strengths: dict[str, float]) -> list[str]:
    """Relevance order: an exact name match first whatever the click feedback says; then each
    recognised domain (`strengths`) among the first places."""
    if not (p.text and sort == "relevance"):
        return [i for i, _ in hits]
    exact = {doc["id"] for doc in p.searcher.documents(name_key=search_index.name_key(p.text))}
    phrase = p.analysed.lemmas  # the text's lemma key, computed once
    in_name = (
        {p.columns["id"][d] for d in p.searcher.docs_for_query(Q.Phrase("name", list(phrase)))}
        if len(phrase) > 1
        else set()
    )
    ranked = _rerank([(i, s, 0 if i in exact else 1 if i in in_name else 2) for i, s in hits], key)
    docnum, doc_domains = p.columns["docnum"], p.columns["f_domain"]
    return domains.diversify(ranked, lambda i: doc_domains[docnum[i]], strengths)


def _with_pins(p: _Pass, ordered: list[str], total: int, key: str) -> tuple[list[str], int]:
    """Staff pins come first, even when the words alone would not find the service."""
    pins = [pin for pin in pinned_ids(key) if p.searcher.document(id=pin) is not None]
    total += len([pin for pin in pins if pin not in ordered])
    return pins + [i for i in ordered if i not in pins], total


# Below this many matched documents a pass over them is cheaper than the per-value bit masks.
_MASKS_FROM = 200


def _facet_counts(columns: dict, matched: set[int]) -> dict[str, list[tuple[str, int]]]:
    """Per facet, (value, services matched holding it), most first."""
    facet_counts = {}
    wide = len(matched) >= _MASKS_FROM
    mask = search_columns.doc_mask(matched, len(columns["id"])) if wide else 0
    for name, field_name in {**FACETS, "free": "f_free"}.items():
        if wide:
            counts = ((v, (m & mask).bit_count()) for v, m in columns["masks"][field_name].items())
            items = [(v, c) for v, c in counts if c]
        else:
            items = Counter(chain.from_iterable(set(columns[field_name][d]) for d in matched)).items()
        facet_counts[name] = sorted(items, key=lambda kv: (-kv[1], kv[0]))
    return facet_counts


def suggest_word(searcher, word: str) -> str | None:
    """The spelling suggestion for a folded word, as Whoosh's corrector on `name`, then on
    `body`, gives it (limit 1, 2 edits, on a multi-segment index): of the terms within reach,
    the most frequent; of equally frequent ones, the last in alphabetical order (what its
    one-place heap keeps)."""
    frequency = searcher.reader().frequency
    for name in ("name", "body"):
        terms = postings.terms_within(searcher, name, word, 2)
        if terms:
            return max(terms, key=lambda t, name=name: (frequency(name, t) or 1, t))
    return None


def _suggestion(searcher, analysed: understanding.Analysed) -> str | None:
    if not analysed.unknown:
        return None
    replaced = analysed.text
    changed = False
    for word in analysed.unknown:
        option = postings.memo(searcher, ("suggest", fold(word)), lambda s, key: suggest_word(s, key[1]))
        if option:
            replaced = replaced.replace(word, option)
            changed = True
    return replaced if changed else None


def services_for(ids: list[str]) -> list[Service]:
    """Load the public ones of these services in the given order, with just what result cards show."""
    from sqlalchemy.orm import selectinload

    statement = (
        public_services()
        .where(Service.id.in_(ids))
        .options(
            selectinload(Service.organization), selectinload(Service.cost_options), selectinload(Service.service_areas)
        )
    )
    found = {s.id: s for s in db.session.scalars(statement)}
    return [found[i] for i in ids if i in found]


def matching_ids(text: str) -> list[str]:
    """All public service ids matching the text, best first (the API's `search`)."""
    return run(text, per_page=10_000, snippets=False, general_help=False).ids
