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
