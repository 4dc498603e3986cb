"""Per-process caches of the thesaurus, pins and click feedback: a change made here shows at
once, one made elsewhere (another process: written without this session) within the cache's
lifetime, and with the lifetime set to 0 every search reads the database."""

import sqlalchemy as sa

from catalog.learning import services as learning
from catalog.search import SearchLog, SynonymGroup, feedback
from catalog.search import cache as search_cache
from tests.factories import make_org, make_service
from welfare.extensions import db
from welfare.models import User


def test_thesaurus_is_cached_and_dropped_when_changed_here(app):
    with app.app_context():
        first = feedback.thesaurus()
        assert feedback.thesaurus() is first  # no query on the second search
        # Another process adds a group (no ORM session of ours sees it): the cache still answers.
        db.session.execute(sa.insert(SynonymGroup).values(terms="csd\ncenter za socialno delo", note=""))
        db.session.commit()
        assert feedback.thesaurus() is first
        search_cache.forget("thesaurus")  # what the lifetime does after a few seconds
        second = feedback.thesaurus()
        assert second is not first
        # A group saved through this process drops the cached thesaurus at once.
        learning.save_group(None, "deložacija\nizselitev", "", User(username="ana"))
        assert feedback.thesaurus() is not second


def test_pins_change_at_once_in_this_process(app):
    with app.app_context():
        service = make_service(make_org("Društvo Kresnica"), name="Svetovalnica Kresnica")
        db.session.commit()
        assert feedback.pinned_ids("pomoc") == []
        learning.pin("pomoc", service.id, User(username="ana"))
        assert feedback.pinned_ids("pomoc") == [service.id]


def test_opens_written_by_this_process_lift_its_next_search(app):
    with app.app_context():
        service_id = make_service(make_org("Društvo Kresnica"), name="Svetovalnica Kresnica").id
        db.session.commit()
        assert feedback.click_boosts("kresnica") == {}
    with app.test_request_context():  # the queue is written when the request ends
        token = learning.log_search("kresnica", {}, 1)
        learning.record_open(token, service_id)
    with app.app_context():
        assert db.session.scalar(sa.select(SearchLog.opened_service_id)) == service_id
        assert feedback.click_boosts("kresnica")[service_id] > 1.0


def test_a_zero_lifetime_reads_every_time(app):
    app.config["SEARCH_SETTINGS_CACHE_SECONDS"] = 0
    with app.app_context():
        assert feedback.thesaurus() is not feedback.thesaurus()


def test_the_searcher_stays_open_until_the_index_changes(app):
    from catalog.search import index as search_index

    with app.app_context():
        service = make_service(make_org("Društvo Kresnica"), name="Svetovalnica Kresnica")
        db.session.commit()
        ix = search_index.open_index()
        with ix.searcher() as first:
            pass
        with search_index.open_index().searcher() as again:
            assert again is first and not first.is_closed
        service.is_published = False  # a commit that only deletes a document
        db.session.commit()
        with search_index.open_index().searcher() as fresh:
            assert fresh is not first and first.is_closed
            assert fresh.doc_count() == 0
