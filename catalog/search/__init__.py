"""Catalog search: the one door the rest of the app uses.

Everything outside this package imports from `catalog.search` only; the modules behind it may
be reshaped without touching a caller. What the door offers:

- searching: `run` (a page of results with facets, snippets and recognised life domains),
  `matching_ids` (every public match in relevance order, for the HSDS API), `services_for`,
  `cards_for` (what a result card shows), `query_key` (a typed text's log key);
- the index: `open_index`, `rebuild`, `is_stale`, `indexed_ids` and `public_ids` (for checks),
  `record_changes` (an import's own change feed), `catch_up` and `prune_changes`;
- the public search budget: `search_limit` and `SEARCH_SCOPE` (one rate limit shared by the
  search page and the HSDS API's `search`);
- per-process wiring: `init_app` (session hooks and the per-request catch-up), `forget` (a cache);
- text: `fold` and `words` (the Slovenian analysis), the everyday-phrase helpers `phrase_key`,
  `phrase_words`, `phrase_book`, `forget_phrases`;
- the models the learning portal curates: synonyms, phrases, pins, the search log.

Behind the door: `analysis` (tokens, lemmas, folding), `query` (a typed text into a Whoosh
query), `understanding` (a query analysed once; life domains recognised from everyday phrases),
`domains`, `index` (schema, documents, updates, rebuild), `engine` (run a search, rank, facets),
`feedback` (thesaurus, pins, clicks, open now), `index_sync` (every server's index follows the
change feed in the database), `cache`, `postings` (counting queries matched and scored from each
term's postings), `result_cache`, `snippets`, `cards`, `fallback` (the database search when the
index is unavailable).
"""

from flask import Flask

from catalog.search.analysis import fold, words
from catalog.search.budget import SEARCH_SCOPE, search_limit
from catalog.search.cache import forget
from catalog.search.cards import Card, cards_for
from catalog.search.engine import SearchResult, matching_ids, run, services_for
from catalog.search.feedback import query_key
from catalog.search.index import indexed_ids, is_stale, open_index, public_ids, rebuild
from catalog.search.index_sync import catch_up, prune_changes, record_changes
from catalog.search.models import (  # models first: the mapper needs every table
    DomainPhrase,
    SearchIndexChange,
    SearchLog,
    SearchPin,
    SearchQueryCount,
    SynonymGroup,
)
from catalog.search.understanding import forget_phrases, phrase_book, phrase_key, phrase_words

__all__ = [
    "SEARCH_SCOPE",
    "Card",
    "DomainPhrase",
    "SearchIndexChange",
    "SearchLog",
    "SearchPin",
    "SearchQueryCount",
    "SearchResult",
    "SynonymGroup",
    "cards_for",
    "catch_up",
    "fold",
    "forget",
    "forget_phrases",
    "indexed_ids",
    "init_app",
    "is_stale",
    "matching_ids",
    "open_index",
    "phrase_book",
    "phrase_key",
    "phrase_words",
    "prune_changes",
    "public_ids",
    "query_key",
    "rebuild",
    "record_changes",
    "run",
    "search_limit",
    "services_for",
    "words",
]


def init_app(app: Flask) -> None:
    """Keep this process's index and caches in step with the database."""
    from catalog.search import cache, commands, index_sync  # noqa: F401  (commands add to catalog_cli)

    index_sync.install_session_hooks()
    cache.install_session_hooks()
    # Every node follows the database's change feed; a search request checks it once a second.
    app.before_request(index_sync.before_search_request)
