"""The per-process cache of whole search results: a repeated search is served from it, but never
past a change of the index (published, archived, unpublished here or on another server), never
across locales, never beyond its size, and with SEARCH_RESULT_CACHE = 0 searches give the same
results without it."""

import pytest
from flask import session

from catalog.learning import services as learning
from catalog.search import engine as search
from catalog.search import index as search_index
from catalog.search import index_sync, result_cache
from catalog.staff.services import set_archived
from tests.conftest import close_database, make_app
from tests.factories import make_org, make_service
from welfare.extensions import db
from welfare.models import User

STAFF = User(username="ana")


def _names(result) -> list[str]:
    return [s.name for s in search.services_for(result.ids)]


def _counts() -> tuple[int, int]:
    stats = result_cache.stats()
    return stats["hits"], stats["misses"]


def _publish(name: str, description: str = "Svetovanje in pomoč.") -> str:
    service = make_service(make_org(f"Društvo {name}"), name=name, description=description)
    db.session.commit()
    return service.id


def test_a_repeated_search_is_served_from_the_cache_as_a_copy(app):
    with app.app_context():
        _publish("Svetovalnica Kresnica")
        first = search.run("kresnica")
        hits, misses = _counts()
        again = search.run("kresnica")
        assert _counts() == (hits + 1, misses)
        assert (again.ids, again.total, again.facets, again.snippets) == (
            first.ids,
            first.total,
            first.facets,
            first.snippets,
        )
        again.ids.clear()  # what a caller does with its result does not reach the cache
        assert _names(search.run("kresnica")) == ["Svetovalnica Kresnica"]


def test_publishing_archiving_and_unpublishing_here_drop_cached_results_at_once(app):
    with app.app_context():
        kresnica = _publish("Svetovalnica Kresnica", "Pomoč pri dolgovih za družine.")
        assert _names(search.run("dolgovi druzine")) == ["Svetovalnica Kresnica"]
        assert result_cache.size() == 1
        # A new service can only appear if the cached result was dropped.
        lastovka = _publish("Zavod Lastovka", "Pomoč pri dolgovih za družine.")
        hits, misses = _counts()
        assert sorted(_names(search.run("dolgovi druzine"))) == ["Svetovalnica Kresnica", "Zavod Lastovka"]
        assert _counts() == (hits, misses + 1)
        assert search.run("dolgovi druzine").total == 2  # cached again

        set_archived(db.session.get(search.Service, lastovka), True, STAFF)
        db.session.commit()
        result = search.run("dolgovi druzine")
        assert (_names(result), result.total) == (["Svetovalnica Kresnica"], 1)
        assert _counts()[1] == misses + 2  # computed afresh, not filtered from the cached one

        db.session.get(search.Service, kresnica).is_published = False
        db.session.commit()
        assert search.run("dolgovi druzine").ids == []


@pytest.fixture
def node_b(app, tmp_path):
    """A second server: its own data dir, index and result cache; the first one's database."""
    other = make_app(tmp_path / "node-b", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    yield other
    close_database(other)


def test_a_change_made_on_another_server_drops_the_cache_when_the_feed_reaches_this_one(app, node_b):
    with app.app_context():
        kresnica = _publish("Svetovalnica Kresnica", "Pomoč pri dolgovih za družine.")
    with node_b.app_context():
        search_index.rebuild()
        assert _names(search.run("dolgovi druzine")) == ["Svetovalnica Kresnica"]
        assert search.run("dolgovi druzine").total == 1  # now cached on B
    with app.app_context():
        _publish("Zavod Lastovka", "Pomoč pri dolgovih za družine.")
        set_archived(db.session.get(search.Service, kresnica), True, STAFF)
        db.session.commit()
    with node_b.app_context():
        # B's index has not followed yet: its cached result is served, the archived service hidden
        # by the public re-check every result gets; the new one is not there.
        hits, misses = _counts()
        assert search.run("dolgovi druzine").ids == []
        assert _counts() == (hits + 1, misses)
        index_sync._last_check.clear()  # the once-a-second check is due
        index_sync.refresh_if_due()
        result = search.run("dolgovi druzine")
        assert (_names(result), result.total) == (["Zavod Lastovka"], 1)
        assert _counts() == (hits + 1, misses + 1)


def test_the_cache_keeps_at_most_its_size_dropping_the_least_recently_used(app):
    app.config["SEARCH_RESULT_CACHE"] = 3
    with app.app_context():
        _publish("Svetovalnica Kresnica")
        for words in ("kresnica", "svetovanje", "pomoc", "drustvo"):
            search.run(words)
        assert result_cache.size() == 3
        hits, misses = _counts()
        search.run("drustvo")  # the newest is kept
        assert _counts() == (hits + 1, misses)
        search.run("kresnica")  # the oldest was dropped
        assert _counts() == (hits + 1, misses + 1)
        assert result_cache.size() == 3


def test_locales_are_cached_apart(app):
    with app.app_context():
        _publish("Svetovalnica Kresnica")
    for lang in ("sl", "en"):
        with app.test_request_context("/search"):
            session["lang"] = lang
            search.run("kresnica")
    with app.app_context():
        assert result_cache.size() == 2


def test_a_thesaurus_edit_here_drops_the_cache(app):
    with app.app_context():
        _publish("Svetovalnica Kresnica", "Pomoč ob deložaciji.")
        assert search.run("izselitev").ids == []
        learning.save_group(None, "deložacija\nizselitev", "", STAFF)
        assert result_cache.size() == 0
        assert _names(search.run("izselitev")) == ["Svetovalnica Kresnica"]


def test_open_now_and_long_pages_are_not_cached(app):
    with app.app_context():
        _publish("Svetovalnica Kresnica")
        search.run("kresnica", {"open_now": True})
        search.matching_ids("kresnica")  # the API's id list: up to 10,000 ids
        assert result_cache.size() == 0


def test_without_the_cache_searches_give_the_same_results(app, demo):
    words = ["nasilje v druzini", "dolgovi", "starejšim", "ne morem plačati položnic", "xyzzy", "svetilnk"]
    with app.app_context():
        cached = [search.run(w) for w in words + words]  # the second round comes from the cache
        assert result_cache.size() == len(words)
        app.config["SEARCH_RESULT_CACHE"] = 0
        plain = [search.run(w) for w in words]
        assert result_cache.size() == len(words)  # nothing more was stored
    for got, want in zip(cached[len(words) :], plain, strict=True):
        assert (got.ids, got.total, got.facets, got.snippets, got.suggestion, got.domains, got.partial) == (
            want.ids,
            want.total,
            want.facets,
            want.snippets,
            want.suggestion,
            want.domains,
            want.partial,
        )
