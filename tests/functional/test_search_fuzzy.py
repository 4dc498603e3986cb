"""Fuzzy terms and spelling suggestions come from RapidFuzz over each field's term list: they must
be exactly what Whoosh's own automaton and corrector give, on the demo catalog's real terms."""

import random

from catalog.search import engine as search
from catalog.search import index as search_index
from catalog.search import postings


def _mistyped(terms: list[str], count: int) -> list[str]:
    rnd = random.Random(11)
    out = []
    for term in rnd.sample([t for t in terms if len(t) >= 5], count):
        i = rnd.randrange(1, len(term) - 1)
        out.append(rnd.choice([term[:i] + term[i + 1 :], term[:i] + "x" + term[i:], term[:i] + "q" + term[i + 1 :]]))
    return out


def test_fuzzy_expansions_are_whooshs_own(app, demo):
    with app.app_context():
        ix = search_index.open_index()
        with ix.searcher() as searcher:
            reader = searcher.reader()
            terms = [t.decode() for t in reader.lexicon("all")]
            words = _mistyped(terms, 150) + ["zzzzzz", "a", "nasilje"]
            for word in words:
                for maxdist, prefix in ((1, 1), (2, 1), (2, 0)):
                    ours = postings.terms_within(searcher, "all", word, maxdist, prefix)
                    whoosh = sorted(reader.terms_within("all", word, maxdist, prefix=prefix))
                    assert ours == whoosh, (word, maxdist, prefix)


def test_spelling_suggestions_are_whooshs_correctors(app, demo):
    with app.app_context():
        ix = search_index.open_index()
        with ix.searcher() as searcher:
            names = [t.decode() for t in searcher.reader().lexicon("name")]
            checked = 0
            for word in _mistyped(names, 60):
                result = search.run(word)
                if result.domains or not result.suggestion:
                    continue  # a recognised need skips the corrector; nothing reachable in 2 edits
                whoosh = searcher.corrector("name").suggest(word, limit=1, maxdist=2) or searcher.corrector(
                    "body"
                ).suggest(word, limit=1, maxdist=2)
                assert result.suggestion == whoosh[0], word
                checked += 1
    assert checked >= 20
