"""The public search budget: one rate limit for every way into the search engine (the search page
and the HSDS API's `search`), so neither is a way around the other's limit."""

from flask import current_app

# The limiter's shared scope: both routes spend from the same per-address count.
SEARCH_SCOPE = "public-search"


def search_limit() -> str:
    return current_app.config["SEARCH_RATE_LIMIT"]
