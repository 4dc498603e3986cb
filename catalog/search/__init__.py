"""Catalog search: Slovenian analysis, the Whoosh index that follows the database, the query
engine with facets, and the thesaurus and search-log models.

Modules: `analysis` (tokens, lemmas, folding), `query` (a typed text into a Whoosh query),
`index` (schema, updates after commit, rebuild), `engine` (run a search, rank, facets),
`models` (synonyms, search log, pins).
"""
