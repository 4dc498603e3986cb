"""The search engine through the real Whoosh index in the test's data dir."""

import multiprocessing

import pytest
import sqlalchemy as sa

from catalog.models import Service
from catalog.search import SearchLog, SynonymGroup, feedback
from catalog.search import engine as search
from catalog.search import index as search_index
from tests.conftest import csrf_token, make_app
from tests.factories import make_org, make_service
from welfare.extensions import db
from welfare.models import Role


def names(result) -> list[str]:
    return [s.name for s in search.services_for(result.ids)]


def test_index_follows_commits_and_ignores_rollbacks(app):
    with app.app_context():
        service = make_service(name="Svetovalnica za dolžnike")
        db.session.commit()
        assert service.id in search_index.indexed_ids()
        service.name = "Preimenovana svetovalnica"
        db.session.flush()
        db.session.rollback()
        assert names(search.run("svetovalnica")) == ["Svetovalnica za dolžnike"]
        service = db.session.get(Service, service.id)
        service.is_published = False
        db.session.commit()
        assert service.id not in search_index.indexed_ids()


def test_organization_rename_reaches_its_services(app):
    with app.app_context():
        org = make_org("Društvo Sonce")
        make_service(org, "Učna pomoč")
        db.session.commit()
        org.name = "Društvo Luna"
        db.session.commit()
        assert names(search.run("luna")) == ["Učna pomoč"]


def _create_services(data_dir: str, worker: int, count: int) -> None:
    app = make_app(data_dir)
    with app.app_context():
        org = db.session.scalar(sa.select(Service.organization_id).limit(1))
        for i in range(count):
            db.session.add(
                Service(organization_id=org, name=f"Storitev {worker}-{i}", description="x", is_published=True)
            )
            db.session.commit()
        db.engine.dispose()


# Four processes writing at once: the slow tier, with the other concurrency runs.
@pytest.mark.slow
def test_four_writers_at_once_lose_nothing(app, tmp_path):
    with app.app_context():
        make_service()
        db.session.commit()
        db.engine.dispose()
    ctx = multiprocessing.get_context("fork")
    workers = [ctx.Process(target=_create_services, args=(str(tmp_path), w, 10)) for w in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    with app.app_context():
        # Every change is in the database's change feed, which the node follows: a writer that
        # timed out on Whoosh's lock under load leaves its change to the next catch-up (the next
        # search or start), so that is the moment nothing may be missing.
        from catalog.search import index_sync

        index_sync.catch_up(blocking=True)
        assert search_index.indexed_ids() == search_index.public_ids()
        assert len(search_index.indexed_ids()) == 41


def test_corrupt_index_falls_back_and_staff_see_the_banner(app, login_as, demo):
    with app.app_context():
        current = search_index._current_dir()
        for path in current.iterdir():
            path.write_bytes(b"garbage")
    page = app.test_client().get("/search?q=nasilje")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "simplified mode" in html and "SOS telefon za žrtve nasilja" in html  # database results
    staff = login_as(Role.ORGANIZER)
    assert "Rebuild the search index" in staff.get("/staff/catalog/").get_data(as_text=True)
    token = csrf_token(staff, "/staff/catalog/")
    assert staff.post("/staff/catalog/reindex", data={"csrf_token": token}).status_code == 302
    assert "Rebuild the search index" not in staff.get("/staff/catalog/").get_data(as_text=True)
    assert "simplified mode" not in app.test_client().get("/search?q=nasilje").get_data(as_text=True)


def test_missing_index_falls_back(app, demo):
    import shutil

    with app.app_context():
        shutil.rmtree(search_index.root())
        result = search.run("Pisarna")
        assert result.fallback and "Pisarna lokalne blaginje" in names(result)


def test_reindex_and_check_index_commands(app, runner, demo):
    assert runner.invoke(args=["catalog", "check-index"]).exit_code == 0
    with app.app_context():
        # A change the index never heard of (a bulk SQL update) is caught by check-index.
        app.config["SEARCH_INDEX_ENABLED"] = False
        service = db.session.scalar(sa.select(Service).limit(1))
        service.is_published = False
        db.session.commit()
        app.config["SEARCH_INDEX_ENABLED"] = True
    result = runner.invoke(args=["catalog", "check-index"])
    assert result.exit_code == 1 and "1 not public any more" in result.output
    assert runner.invoke(args=["catalog", "reindex"]).exit_code == 0
    assert runner.invoke(args=["catalog", "check-index"]).exit_code == 0


def test_facets_count_and_combine(app, demo):
    with app.app_context():
        result = search.run("pomoč")
        domains = dict(result.facets["domain"])
        assert domains["revscina"] > 0
        narrowed = search.run("pomoč", {"domain": ["revscina"]})
        assert narrowed.total == domains["revscina"]
        both = search.run("pomoč", {"domain": ["revscina"], "area": ["Novo mesto"]})
        assert 0 < both.total <= narrowed.total
        free = search.run("pomoč", {"free": True})
        assert free.total == result.free_count


def test_sorting_and_pagination(app, demo):
    with app.app_context():
        by_name = search.run("", {"area": ["Novo mesto"]}, sort="name", per_page=5)
        first_page = names(by_name)
        assert first_page == sorted(first_page, key=lambda n: n.lower().translate(str.maketrans("čšž", "csz")))
        second = search.run("", {"area": ["Novo mesto"]}, sort="name", page=2, per_page=5)
        assert not set(second.ids) & set(by_name.ids) and by_name.pages > 1


def test_typo_gets_a_suggestion_and_results(app, demo):
    with app.app_context():
        result = search.run("svetilnk")
        assert "Romski svetilniki" in names(result)[:5]
        assert result.suggestion and "svetilnik" in result.suggestion


def test_snippets_highlight_the_match(app, demo):
    with app.app_context():
        result = search.run("dezinsekcija")
        assert any("<mark" in snippet for snippet in result.snippets.values())


def test_search_page_logs_anonymously_and_learns_from_opens(app, client, demo):
    html = client.get("/search?q=dolgovi").get_data(as_text=True)
    with app.app_context():
        entry = db.session.scalar(sa.select(SearchLog))
        assert entry.query == "dolgovi" and entry.result_count > 0
        assert not {"ip", "user_id", "session"} & set(SearchLog.__table__.c.keys())
        target = db.session.scalar(sa.select(Service).where(Service.name == "Izredna denarna socialna pomoč"))
    assert f"/services/{target.id}?from={entry.token}" in html
    client.get(f"/services/{target.id}?from={entry.token}")
    with app.app_context():
        assert db.session.get(SearchLog, entry.id).opened_service_id == target.id
        before = search.run("dolgovi").ids.index(target.id)
        for n in range(10):
            token = f"{n:032x}"
            db.session.execute(
                sa.insert(SearchLog).values(token=token, query="dolgovi", query_key="dolgovi", result_count=5)
            )
            db.session.commit()
            from catalog.learning.services import record_open

            with app.test_request_context():  # the queued open is written when the request ends
                record_open(token, target.id)
        after = search.run("dolgovi").ids.index(target.id)
        assert after <= before
        boosts = feedback.click_boosts("dolgovi")
        assert 1.0 < boosts[target.id] <= 1.0 + feedback.CLICK_MAX_BOOST


def test_exact_name_match_stays_first(app, demo):
    with app.app_context():
        assert names(search.run("Pisarna lokalne blaginje"))[0] == "Pisarna lokalne blaginje"
        assert names(search.run("Rejništvo"))[0] == "Rejništvo"
        # The words as a phrase in a name come next, before services that merely mention them.
        assert set(names(search.run("nasilja v družini"))[:2]) == {
            "Obravnava nasilja v družini",
            "Prijava nasilja v družini in kaznivih dejanj",
        }


def test_staff_teach_synonym_and_pin(app, login_as, demo):
    client = app.test_client()
    for _ in range(5):  # insights show a query once it was seen k (TREND_MIN_CELL) times
        client.get("/search?q=socialka")  # a colloquial word the catalog does not know
    staff = login_as(Role.SOCIAL_WORKER)
    page = staff.get("/staff/catalog/insights").get_data(as_text=True)
    assert "socialka" in page
    with app.app_context():
        group_id = db.session.scalar(
            sa.select(SynonymGroup.id).where(SynonymGroup.terms.contains("center za socialno delo"))
        )
        pisarna = db.session.scalar(sa.select(Service.id).where(Service.name == "Pisarna lokalne blaginje"))
    token = csrf_token(staff, "/staff/catalog/insights")
    staff.post("/staff/catalog/insights/synonym", data={"csrf_token": token, "words": "socialka", "group_id": group_id})
    with app.app_context():
        assert any("CSD" in n for n in names(search.run("socialka"))[:5])
    staff.post("/staff/catalog/insights/pin", data={"csrf_token": token, "words": "socialka", "service_id": pisarna})
    with app.app_context():
        assert search.run("socialka").ids[0] == pisarna
    bad = staff.post(
        "/staff/catalog/insights/pin",
        data={"csrf_token": token, "words": "x", "service_id": "nope"},
        follow_redirects=True,
    )
    assert "Choose an existing service." in bad.get_data(as_text=True)


def test_synonym_editor_validation(app, login_as, demo):
    staff = login_as(Role.ORGANIZER)
    token = csrf_token(staff, "/staff/catalog/synonyms/new")
    html = staff.post("/staff/catalog/synonyms/new", data={"csrf_token": token, "terms": "samo ena"}).get_data(
        as_text=True
    )
    assert "at least two words or phrases" in html and "samo ena" in html
    assert staff.post("/staff/catalog/synonyms/new", data={"csrf_token": token, "terms": "a b\nc d"}).status_code == 302


def test_public_search_is_rate_limited(app, client, demo):
    app.config["SEARCH_RATE_LIMIT"] = "3 per minute"
    statuses = [client.get(f"/search?q=pomoc{i}").status_code for i in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Too many attempts" in client.get("/search?q=x").get_data(as_text=True)


def test_any_typed_text_gets_an_answer_from_the_index(app, demo):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.text(max_size=40))
    def check(text):
        with app.app_context():
            result = search.run(text)
            assert not result.fallback  # the engine handled it; nothing fell over
            assert result.total >= len(result.ids)

    check()
