"""Per-process caches of what every search reads from the database: the thesaurus, staff pins
and click feedback. Each was one or more queries per search request, for data that changes a
few times a day.

A cached value lives SEARCH_SETTINGS_CACHE_SECONDS (5; 0 turns the caches off) at most, so a change made by another process or node shows
within that time; a change committed in this process (a synonym or pin edited here, opens
written by this process's search log) drops the affected values at once. Values are kept per
app (tests run several apps, each on its own database, in one process), and callers must not
change what they get back.
"""

import functools
import threading
import time

from flask import current_app, has_app_context

from catalog.search import result_cache
from catalog.search.models import SearchPin, SynonymGroup

MAX_ENTRIES = 5000
_guard = threading.Lock()


def _store() -> dict:
    return current_app.extensions.setdefault("search_cache", {})


def cached(kind: str):
    """Cache a function of hashable arguments under `kind` for SEARCH_SETTINGS_CACHE_SECONDS."""

    def decorate(load):
        @functools.wraps(load)
        def wrapper(*args):
            ttl = current_app.config.get("SEARCH_SETTINGS_CACHE_SECONDS", 5)
            if not ttl:
                return load(*args)
            store, key, now = _store(), (kind, *args), time.monotonic()
            hit = store.get(key)
            if hit is not None and now - hit[0] < ttl:
                return hit[1]
            value = load(*args)
            with _guard:
                if len(store) >= MAX_ENTRIES:
                    store.clear()
                store[key] = (now, value)
            return value

        wrapper.uncached = load
        return wrapper

    return decorate


def forget(kind: str, *args) -> None:
    """Drop cached values of `kind` (all of them, or those of these arguments)."""
    store = _store() if has_app_context() else {}
    with _guard:
        for key in [k for k in store if k[0] == kind and (not args or k[1:] == args)]:
            del store[key]
    if kind in ("thesaurus", "pins"):
        result_cache.clear()  # results computed with the old words or pins


# ---- local invalidation on commit ----------------------------------------------------------------

TOUCHED = "search_cache_touched"


def _note(session, _flush_context=None) -> None:
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, SynonymGroup):
            session.info.setdefault(TOUCHED, set()).add("thesaurus")
        elif isinstance(obj, SearchPin):
            session.info.setdefault(TOUCHED, set()).add("pins")


def _after_commit(session) -> None:
    touched = session.info.pop(TOUCHED, ())
    if not has_app_context():
        return
    for kind in touched:
        forget(kind)


def install_session_hooks() -> None:
    from sqlalchemy import event
    from sqlalchemy.orm import Session as OrmSession

    if getattr(install_session_hooks, "done", False):
        return
    event.listen(OrmSession, "after_flush", _note)
    event.listen(OrmSession, "after_commit", _after_commit)
    event.listen(OrmSession, "after_soft_rollback", lambda s, _t: s.info.pop(TOUCHED, None))
    install_session_hooks.done = True
