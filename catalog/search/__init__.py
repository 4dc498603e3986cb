"""Catalog search: Slovenian analysis, the Whoosh index that follows the database, the query
engine with facets, and the thesaurus and search-log models.

Modules: `analysis` (tokens, lemmas, folding), `query` (a typed text into a Whoosh query),
`understanding` (a query analysed once; life domains recognised from everyday phrases),
`domains` (recognised domains lift, join and name the results), `index` (schema, documents,
updates, rebuild), `engine` (run a search, rank, facets), `feedback` (thesaurus, pins, clicks,
open now), `models` (synonyms, everyday phrases, search log, pins, the index change feed),
`follow` (every server's index follows the change feed in the database), `cache` (per-process
cache of thesaurus, pins, clicks).
"""
