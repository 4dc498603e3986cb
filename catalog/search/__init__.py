"""Catalog search: Slovenian analysis, the Whoosh index that follows the database, the query
engine with facets, and the thesaurus and search-log models.

Modules: `analysis` (tokens, lemmas, folding), `query` (a typed text into a Whoosh query),
`understanding` (a query analysed once; life domains recognised from everyday phrases),
`domains` (recognised domains lift, join and name the results), `index` (schema, documents,
updates, rebuild), `engine` (run a search, rank, facets), `feedback` (thesaurus, pins, clicks,
open now), `models` (synonyms, everyday phrases, search log, pins, the index change feed),
`follow` (every server's index follows the change feed in the database), `cache` (per-process
cache of thesaurus, pins, clicks), `postings` (counting queries matched and scored from each
term's postings, read once per index generation), `result_cache` (whole results per process,
dropped when the index changes), `snippets` (marked fragments of a result page), `cards` (what
a result card shows), `fallback` (the database search when the index is unavailable).
"""
