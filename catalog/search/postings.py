"""Which documents a query matches, from each term's documents read once per index generation.

Whoosh answers `docs_for_query` by walking the query's posting lists one document at a time in
Python, through a matcher per And and Or: for a description of several common words with their
fuzzy variants that was most of a search's time. The counting queries the engine builds (And,
Or, Term and FuzzyTerm, see `query.build(counting=True)`) are answered here with set
operations over each term's document numbers instead; the sets and the fuzzy words' expansions
are kept beside the searcher (never on it), which reads one index generation (after any write a new
searcher starts empty), bounded by
MAX_POSTINGS document numbers in all, least recently used dropped first. This is not a cache
of results: it holds what the index files hold, decoded. Any other kind of query goes to Whoosh.

Fuzzy words are expanded the same way: Whoosh walks its term dictionary with a Levenshtein
automaton it builds in Python for every word (0.3-3 ms a word, 15-35 ms for a spelling
suggestion over a whole field); here a field's terms (of one first letter, for a fuzzy term's
prefix) are listed once per searcher and compared with RapidFuzz's distance, in C. Which
distance: Whoosh itself is of two minds. On an index of several segments (between rebuilds,
after staff edits) its reader compares each term with a distance that counts two swapped
letters as one edit (`whoosh.support.levenshtein.distance`); on a freshly rebuilt index of one
segment its automaton does not. Swapped letters are among the commonest typos on a phone, so
the first is used here always (optimal string alignment, `OSA.distance`): the same terms as
Whoosh finds on a multi-segment index.
"""

import heapq
import threading
import weakref
from collections import OrderedDict

from rapidfuzz import process
from rapidfuzz.distance import OSA
from whoosh import query as Q

MAX_POSTINGS = 300_000  # (document, score) pairs: about 30 MB per process
MAX_MEMOS = 20_000  # fuzzy expansions and spelling suggestions, per searcher
_guard = threading.Lock()
_MISSING = object()


class _Decoded:
    def __init__(self):
        self.scores: OrderedDict[tuple[str, str], dict[int, float]] = OrderedDict()
        self.postings = 0
        self.memos: dict[tuple, object] = {}
        self.terms: dict[tuple[str, str], list[str]] = {}  # (field, prefix): a few dozen lists


# Per searcher, beside it and not on it (nothing is stored on Whoosh's objects): a searcher reads
# one generation of one index, and the live index opens a new one when the index has changed
# (`open_searchers.LiveIndex`); the decoded postings go with the searcher they were read from.
_per_searcher: "weakref.WeakKeyDictionary[object, _Decoded]" = weakref.WeakKeyDictionary()


def _decoded(searcher) -> _Decoded:
    found = _per_searcher.get(searcher)
    if found is None:
        with _guard:
            found = _per_searcher.get(searcher)
            if found is None:
                found = _per_searcher[searcher] = _Decoded()
    return found


def term_scores(searcher, field: str, text: str) -> dict[int, float]:
    """Per (live) document holding this term: its BM25F score, as Whoosh's own matcher gives it."""
    decoded, key = _decoded(searcher), (field, text)
    with _guard:
        hit = decoded.scores.get(key)
        if hit is not None:
            decoded.scores.move_to_end(key)
            return hit
    scores = {}
    if (field, text) in searcher.reader():
        matcher = searcher.postings(field, text)
        while matcher.is_active():
            scores[matcher.id()] = matcher.score()
            matcher.next()
    with _guard:
        if key not in decoded.scores:
            decoded.scores[key] = scores
            decoded.postings += len(scores)
            while decoded.postings > MAX_POSTINGS and len(decoded.scores) > 1:
                _, dropped = decoded.scores.popitem(last=False)
                decoded.postings -= len(dropped)
    return scores


def term_docs(searcher, field: str, text: str):
    """The (live) document numbers holding this term (a set-like view)."""
    return term_scores(searcher, field, text).keys()


def expansions(searcher, fuzzy: Q.FuzzyTerm) -> tuple[str, ...]:
    """The index terms a fuzzy term stands for."""
    key = ("expand", fuzzy.fieldname, fuzzy.text, fuzzy.maxdist, fuzzy.prefixlength)
    return memo(searcher, key, lambda s, k: tuple(terms_within(s, *k[1:])))


def terms_within(searcher, field: str, text: str, maxdist: int, prefix: int = 0) -> list[str]:
    """The field's terms at most `maxdist` edits from `text` that share its first `prefix`
    letters, in the index's (sorted) order."""
    decoded, key = _decoded(searcher), (field, text[:prefix])
    terms = decoded.terms.get(key)
    if terms is None:
        terms = decoded.terms.setdefault(key, _terms(searcher.reader(), *key))
    found = process.extract(text, terms, scorer=OSA.distance, score_cutoff=maxdist, limit=None)
    return [terms[i] for i in sorted(i for _, _, i in found)]


def _terms(reader, field: str, prefix: str) -> list[str]:
    raw = reader.expand_prefix(field, prefix) if prefix else reader.lexicon(field)
    return [t.decode("utf-8") if isinstance(t, bytes) else t for t in raw]


def memo(searcher, key: tuple, compute):
    """`compute(searcher, key)` once per searcher: for what depends on the index's terms only
    (a fuzzy term's expansions, the spelling suggestions of a word)."""
    decoded = _decoded(searcher)
    found = decoded.memos.get(key, _MISSING)
    if found is _MISSING:
        found = compute(searcher, key)
        with _guard:
            if len(decoded.memos) >= MAX_MEMOS:
                decoded.memos.clear()  # another thread may clear it too: `found` is ours
            decoded.memos[key] = found
    return found


def matching(searcher, q: Q.Query) -> set[int]:
    """The live document numbers matching the query (what `searcher.docs_for_query` returns)."""
    kind = type(q)
    if kind is Q.Term:
        return set(term_docs(searcher, q.fieldname, q.text))
    if kind is Q.FuzzyTerm:
        out: set[int] = set()
        for text in expansions(searcher, q):
            out |= term_docs(searcher, q.fieldname, text)
        return out
    if kind is Q.Or:
        out = set()
        for sub in q.subqueries:
            out |= matching(searcher, sub)
        return out
    if kind is Q.And and q.subqueries:
        parts = sorted((matching(searcher, sub) for sub in q.subqueries), key=len)
        return parts[0].intersection(*parts[1:])
    return set(searcher.docs_for_query(q))


def _boosted(scores: dict[int, float], boost: float) -> dict[int, float]:
    return scores if boost == 1.0 else {d: s * boost for d, s in scores.items()}


def _summed_or(parts: list[dict[int, float]]) -> dict[int, float]:
    """Every document of any part, its scores added in the parts' order (as Whoosh adds them)."""
    out = dict(parts[0])
    for part in parts[1:]:
        for d, s in part.items():
            out[d] = out[d] + s if d in out else s
    return out


def _summed_and(parts: list[dict[int, float]]) -> dict[int, float]:
    """The documents of every part only: walking just the (usually small) intersection."""
    docs = set(min(parts, key=len)).intersection(*parts)
    return {d: sum(part[d] for part in parts) for d in docs}


def scores(searcher, q: Q.Query) -> dict[int, float] | None:
    """Per matching document its score, as `searcher.search(q)` scores it (BM25F of each term,
    summed through And and Or, times the boosts), for the queries `matching` answers itself;
    None for any other query (the caller asks Whoosh then).

    Whoosh's own rules are kept: a compound query of one subquery is that subquery (its boost is
    not applied), a fuzzy term with one expansion is a plain term, and one with several is the Or
    of its words when built with constantscore=False (as `query.word_query` builds it; with
    Whoosh's default constant score this returns None)."""
    kind = type(q)
    if kind is Q.Term:
        return _boosted(term_scores(searcher, q.fieldname, q.text), q.boost)
    if kind is Q.FuzzyTerm:
        texts = expansions(searcher, q)
        if len(texts) == 1:
            return term_scores(searcher, q.fieldname, texts[0])
        if q.constantscore:
            return None  # Whoosh's constant score of several expansions: let Whoosh answer
        q = Q.Or([Q.Term(q.fieldname, t) for t in texts], boost=q.boost)
        kind = Q.Or
    if kind not in (Q.Or, Q.And):
        return None
    if not q.subqueries:
        return {}
    if len(q.subqueries) == 1:
        return scores(searcher, q.subqueries[0])
    parts = [scores(searcher, sub) for sub in q.subqueries]
    if any(part is None for part in parts):
        return None
    return _boosted(_summed_or(parts) if kind is Q.Or else _summed_and(parts), q.boost)


def top(scored: dict[int, float], allowed: set[int] | None, limit: int | None) -> list[tuple[int, float]]:
    """The best (docnum, score) pairs, in Whoosh's order: score, then document number."""
    if allowed is not None:
        scored = {d: s for d, s in scored.items() if d in allowed}
    items = scored.items()
    if limit is not None and len(scored) > 2 * limit:
        # Only what can reach the top needs sorting: scores at least the limit-th best one.
        floor = heapq.nlargest(limit, scored.values())[-1]
        items = [(d, s) for d, s in items if s >= floor]
    ranked = sorted(items, key=lambda h: (-h[1], h[0]))
    return ranked if limit is None else ranked[:limit]


def existing_terms(searcher, q: Q.Query, fields) -> set[str] | None:
    """The index terms of these fields the query touches (fuzzy terms expanded), or None for a
    query `matching` does not answer itself."""
    kind = type(q)
    if kind is Q.Term:
        return {q.text} if q.fieldname in fields and (q.fieldname, q.text) in searcher.reader() else set()
    if kind is Q.FuzzyTerm:
        return set(expansions(searcher, q)) if q.fieldname in fields else set()
    if kind in (Q.Or, Q.And):
        out: set[str] = set()
        for sub in q.subqueries:
            found = existing_terms(searcher, sub, fields)
            if found is None:
                return None
            out |= found
        return out
    return None
