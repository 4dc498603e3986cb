"""A bounded per-process cache of whole search results (ids of the page, total, facets,
snippets, domain cards), so a popular query costs a dictionary lookup instead of a search.

An entry is keyed by everything the result depends on: the typed text (whitespace collapsed;
not folded, since the "did you mean" line echoes what was typed), the filters, sort, page,
page size, options, the locale and the configuration a search reads. It is only valid for the index it was computed on: every
lookup first reads the live index's folder and generation (a file listing the searcher does
anyway), and when either has changed the whole cache is dropped. Since every change to a
service reaches this node's index through the change feed (`follow`: at once after a commit
here, within a second or two of a commit on another server), a result that lists a service
which was unpublished or archived is never served once that change is indexed.

What the index does not hold is bounded in time: an entry lives SEARCH_RESULT_CACHE_SECONDS
(60) at most, for click feedback, "open now" counts and staff edits made on another server; an
edit of the thesaurus, pins or everyday phrases in this process drops the cache at once.
SEARCH_RESULT_CACHE is the number of entries kept (least recently used go first); 0 turns the
cache off. Searches filtered by "open now" (which changes with the clock) and very long pages
(the API's id lists) are not cached.
"""

import dataclasses
import threading
import time
from collections import OrderedDict

from flask import current_app, has_app_context, has_request_context

MAX_CACHED_PAGE = 100
SETTINGS = ("SEARCH_GENERAL_HELP",)  # configuration a search reads: part of the key
_stats = {"hits": 0, "misses": 0}


class _Store:
    def __init__(self):
        self.entries: OrderedDict = OrderedDict()
        self.index_stamp = None
        self.lock = threading.Lock()


def _store() -> _Store:
    return current_app.extensions.setdefault("search_result_cache", _Store())


def _locale() -> str | None:
    if not has_request_context():
        return None
    from flask_babel import get_locale

    return str(get_locale())


def key(text: str, filters: dict, sort: str, page: int, per_page: int, *options) -> tuple | None:
    """The cache key of a search, or None when it must not be cached."""
    if not current_app.config.get("SEARCH_RESULT_CACHE", 1000) or per_page > MAX_CACHED_PAGE:
        return None
    if filters.get("open_now"):
        return None
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list | tuple | set) else v) for k, v in filters.items()))
    settings = tuple(tuple(current_app.config.get(name) or ()) for name in SETTINGS)
    cache_key = (" ".join(text.split()), frozen, sort, page, per_page, options, _locale(), settings)
    try:
        hash(cache_key)
    except TypeError:  # a filter value of an unexpected kind: search without the cache
        return None
    return cache_key


def get(index_stamp, cache_key):
    """The cached result (a copy the caller may change) or None; drops everything when the index
    has changed since the entries were computed."""
    if cache_key is None:
        return None
    store = _store()
    ttl = current_app.config.get("SEARCH_RESULT_CACHE_SECONDS", 60)
    with store.lock:
        if store.index_stamp != index_stamp:
            store.entries.clear()
            store.index_stamp = index_stamp
        entry = store.entries.get(cache_key)
        if entry is not None and time.monotonic() - entry[0] < ttl:
            store.entries.move_to_end(cache_key)
            _stats["hits"] += 1
            return _copy(entry[1])
        _stats["misses"] += 1
        return None


def put(index_stamp, cache_key, result) -> None:
    if cache_key is None:
        return
    store = _store()
    size = current_app.config.get("SEARCH_RESULT_CACHE", 1000)
    with store.lock:
        if store.index_stamp != index_stamp:
            return  # the index changed while this search ran
        store.entries[cache_key] = (time.monotonic(), _copy(result))
        store.entries.move_to_end(cache_key)
        while len(store.entries) > size:
            store.entries.popitem(last=False)


def _copy(result):
    return dataclasses.replace(result, ids=list(result.ids), snippets=dict(result.snippets))


def clear() -> None:
    """Drop every cached result of this app (a thesaurus, pin or phrase edit)."""
    if not has_app_context():
        return
    store = _store()
    with store.lock:
        store.entries.clear()


def size() -> int:
    return len(_store().entries)


def stats() -> dict[str, int]:
    return dict(_stats)


def reset_stats() -> None:
    _stats.update(hits=0, misses=0)
