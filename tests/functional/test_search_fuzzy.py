"""Fuzzy terms and spelling suggestions come from RapidFuzz over each field's term list. They
must be what Whoosh's own reader and corrector give on an index of several segments (as the live
index is between rebuilds), where Whoosh counts two swapped letters as one edit; a freshly
rebuilt one-segment index's automaton does not, so there ours find more."""

import random

import pytest

from catalog.search import engine as search
from catalog.search import index as search_index
from catalog.search import postings


def _mistyped(terms: list[str], count: int) -> list[str]:
    """Words as typed on a phone: a letter dropped, added or wrong, or two letters swapped."""
    rnd = random.Random(11)
    out = []
    for term in rnd.sample([t for t in terms if len(t) >= 5], count):
        i = rnd.randrange(1, len(term) - 2)
        swapped = term[:i] + term[i + 1] + term[i] + term[i + 2 :]
        out.append(
            rnd.choice([term[:i] + term[i + 1 :], term[:i] + "x" + term[i:], term[:i] + "q" + term[i + 1 :], swapped])
        )
    return out


@pytest.fixture
def segments(app, demo):
    """The demo index with a second segment (a small commit that is not merged)."""
    with app.app_context():
        ix = search_index.open_index()
        writer = ix.writer()
        writer.add_document(id="extra-segment", name="Dodatni segment", body="zgolj za preizkus")
        writer.commit(merge=False)
        with ix.searcher() as searcher:
            assert len(searcher.reader().leaf_readers()) >= 2
            yield searcher


def test_fuzzy_expansions_are_whooshs_own(segments):
    reader = segments.reader()
    terms = [t.decode() for t in reader.lexicon("all")]
    words = _mistyped(terms, 150) + ["zzzzzz", "a", "nasilje", "nasilej"]
    for word in words:
        for maxdist, prefix in ((1, 1), (2, 1), (2, 0)):
            ours = postings.terms_within(segments, "all", word, maxdist, prefix)
            whoosh = sorted(reader.terms_within("all", word, maxdist, prefix=prefix))
            assert ours == whoosh, (word, maxdist, prefix)
    assert "nasilje" in postings.terms_within(segments, "all", "nasilej", 1, 1)  # a swap is one edit


def test_spelling_suggestions_are_whooshs_correctors(segments):
    names = [t.decode() for t in segments.reader().lexicon("name")]
    for word in _mistyped(names, 80) + ["zzzzzzzz", "nasilej"]:
        whoosh = segments.corrector("name").suggest(word, limit=1, maxdist=2) or segments.corrector("body").suggest(
            word, limit=1, maxdist=2
        )
        assert search.suggest_word(segments, word) == (whoosh[0] if whoosh else None), word


def _queries(searcher) -> list:
    """Counting queries as the engine builds them (Term, FuzzyTerm, And, Or, boosts), from the
    index's own words and typos of them."""
    from whoosh import query as Q

    rnd = random.Random(5)
    terms = [t.decode() for t in searcher.reader().lexicon("all") if len(t) >= 4]
    words = rnd.sample(terms, 60) + _mistyped(terms, 40)
    out = []
    for i in range(0, len(words) - 3, 3):
        a, b, c = words[i : i + 3]
        fuzzy = [
            Q.FuzzyTerm("all", w, maxdist=1 + (len(w) > 6), prefixlength=1, constantscore=False) for w in (a, b, c)
        ]
        out += [
            Q.Term("all", a),
            fuzzy[0],
            Q.And(fuzzy),
            Q.Or(fuzzy),
            Q.Or([Q.And(fuzzy[:2]), Q.Term("all", c, boost=2.0)], boost=1.5),
            Q.And([Q.Or(fuzzy[:2]), fuzzy[2]]),
        ]
    return out


def _union_tree(searcher, q):
    """The query with every Or scored by Whoosh's binary tree of unions (its default matcher) and
    every fuzzy term as the Or of the words Whoosh's reader expands it to (on a multi-segment
    index, where a swap of two letters is one edit; its query path's automaton would not count
    a swap, see the module's docstring). Whoosh switches an Or
    to its preloaded matcher on small indexes (under 5,000 documents), which sums the scores of
    a document's words differently; the engine sums them as the default matcher does, at every
    index size."""
    from whoosh import query as Q

    if isinstance(q, Q.FuzzyTerm):
        words = sorted(searcher.reader().terms_within(q.fieldname, q.text, q.maxdist, prefix=q.prefixlength))
        if len(words) == 1:
            return Q.Term(q.fieldname, words[0])
        q = Q.Or([Q.Term(q.fieldname, w) for w in words], boost=q.boost)
    if isinstance(q, (Q.And, Q.Or)):
        out = type(q)([_union_tree(searcher, sub) for sub in q.subqueries], boost=q.boost)
        if isinstance(out, Q.Or):
            out.matcher_type = Q.Or.DEFAULT_MATCHER
        return out
    return q


def test_matching_and_scores_are_whooshs_own(segments):
    """What the engine reads from decoded postings is what Whoosh answers on a multi-segment
    index: the same documents (`docs_for_query`) and, within float rounding, the same scores
    (`searcher.search` with Whoosh's BM25F and its default union of an Or's parts)."""
    from whoosh import query as Q

    queries = _queries(segments)
    assert len(queries) >= 150
    compared = 0
    for q in queries:
        assert postings.matching(segments, q) == set(segments.docs_for_query(_union_tree(segments, q))), q
        ours = postings.scores(segments, q)
        assert ours is not None, q
        theirs = {hit.docnum: hit.score for hit in segments.search(_union_tree(segments, q), limit=None)}
        assert ours.keys() == theirs.keys(), q
        for docnum, score in theirs.items():
            assert ours[docnum] == pytest.approx(score, rel=1e-9), (q, docnum)
        compared += len(theirs)
    assert compared > 500  # the queries match documents, not only nothing
    constant = Q.FuzzyTerm("all", "srednjesqlec", maxdist=2, prefixlength=1)  # two words; Whoosh's default
    assert postings.scores(segments, Q.Or([constant, Q.Term("all", "pomoc")])) is None  # Whoosh answers
