"""Search that understands residents' words: recognised life domains lift their services and
show a card, a meaningful description never comes back empty, nonsense does, and staff teach
the phrases (by hand or from the search log's proposals) without a reindex."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from catalog.models import LINK_DOMAIN, Service
from catalog.search import DomainPhrase, SearchLog, fold
from catalog.search import engine as search
from tests.conftest import csrf_token
from tests.search_helpers import check_descriptions, descriptions, load
from welfare.database import utcnow
from welfare.extensions import db
from welfare.models import AuditEvent, Role

MIN_DOMAIN_TOP3 = 0.9


def top_domains(text: str, n: int = 3) -> list[set[str]]:
    services = search.services_for(search.run(text, per_page=n).ids)
    return [{t.code for t in s.terms(LINK_DOMAIN)} for s in services]


@pytest.mark.parametrize(
    ("text", "domains", "within"),
    [
        ("moj fant me udari, ko je pijan", {"nasilje"}, 1),
        ("partner me zmerja", {"nasilje"}, 1),
        ("sin preveč igra igrice", {"zasvojenost"}, 1),
        ("iščem delo", {"zaposlovanje"}, 3),
        ("ne morem plačati položnic", {"dolgovi", "komunalna-oskrba"}, 1),
    ],
)
def test_the_issues_examples_find_the_right_domain(app, demo, text, domains, within):
    with app.app_context():
        found = top_domains(text, within)
        assert found and any(codes & domains for codes in found[:within]), found


def test_looking_for_work_puts_the_employment_service_in_the_top_three(app, demo):
    with app.app_context():
        names = [s.name for s in search.services_for(search.run("iščem delo", per_page=3).ids)]
    assert any("zaposlovanja" in n or "brezposeln" in n for n in names), names


def test_a_description_with_one_meaningful_word_is_never_empty_and_says_so(app, demo, client):
    with app.app_context():
        result = search.run("moj fant me udari, ko je pijan")
        assert result.ids and result.partial
        assert result.domains and result.domains[0][0] == "nasilje"
        # A rare word weighs more than a common one: the word the index knows is enough.
        rare = search.run("zdravnik qwertzu")
        assert rare.ids and rare.partial
    html = client.get("/search?q=moj+fant+me+udari,+ko+je+pijan").get_data(as_text=True)
    assert "/domains/nasilje" in html
    assert 'class="alert partial"' in html


def test_closest_results_page_and_sort_like_any_other(app, demo):
    with app.app_context():
        by_relevance = search.run("partner me zmerja", per_page=5)
        by_name = search.run("partner me zmerja", sort="name", per_page=100)
        assert set(by_name.ids) == set(search.run("partner me zmerja", per_page=100).ids)
        assert by_name.total == by_relevance.total == len(by_name.ids)
        names = [s.name for s in search.services_for(by_name.ids)]
        assert names == sorted(names, key=fold)
        second = search.run("partner me zmerja", page=2, per_page=5)
        assert not set(second.ids) & set(by_relevance.ids)


def test_closest_results_weigh_rare_words_above_common_ones(app, demo):
    # No service has all four words; three are in dozens of services, "Svetilnik" in one provider.
    with app.app_context():
        result = search.run("pomoč otrok brezplačno svetilnik")
        assert result.partial and not result.domains
        first = search.services_for(result.ids[:1])[0]
        assert first.organization.name == "Inštitut Svetilnik"


def test_nonsense_and_filler_words_still_find_nothing(app, demo, client):
    with app.app_context():
        for text in ("asdf qwe", "xqzzy", "qwe asdfgh zxcvbnm"):
            result = search.run(text)
            assert result.ids == [] and result.total == 0 and not result.domains, text
    html = client.get("/search?q=asdf+qwe").get_data(as_text=True)
    assert 'class="alert partial"' not in html and "/domains/" not in html.split("<main", 1)[-1].split("</form>", 1)[0]


def test_a_full_match_keeps_its_words_first_and_is_not_called_partial(app, demo):
    with app.app_context():
        result = search.run("subvencija najemnine")
        assert not result.partial
        assert search.services_for(result.ids[:1])[0].name == "Subvencija najemnine"


def test_the_domain_card_names_the_domain_and_counts_its_services(app, demo, client):
    with app.app_context():
        count = dict(search.run("partner me zmerja").domains)["nasilje"]
        public = search.run("", {"domain": ["nasilje"]}).total
    assert count == public
    html = client.get("/search?q=partner+me+zmerja").get_data(as_text=True)
    assert f"Nasilje – {count} services" in html


# A measurement over a whole set of descriptions: the slow tier, with the other sets (tests/conftest.py).
@pytest.mark.measurement
def test_tuning_descriptions_find_the_right_domain(app, demo, capsys):
    texts = descriptions(load("descriptions_tuning.json")["sets"]["first"]["texts"])
    check_descriptions(app, capsys, "tuning descriptions", texts, MIN_DOMAIN_TOP3)


# ---- staff teach the phrases ---------------------------------------------------------------------


def test_staff_add_and_remove_a_phrase_and_search_follows_without_a_reindex(app, demo, login_as):
    staff = login_as(Role.ORGANIZER)
    with app.app_context():
        assert not search.run("šef me muči").domains
    token = csrf_token(staff, "/staff/catalog/phrases/nasilje")
    response = staff.post("/staff/catalog/phrases/nasilje", data={"csrf_token": token, "phrase": "šef me muči"})
    assert response.status_code == 302
    with app.app_context():
        phrase = db.session.scalar(sa.select(DomainPhrase).where(DomainPhrase.phrase == "šef me muči"))
        assert phrase.source == "staff" and phrase.created_by == "organizer-user"
        assert search.run("sef me muci").domains[0][0] == "nasilje"
        assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "catalog_phrase_added"))
        phrase_id = phrase.id
    assert "šef me muči" in staff.get("/staff/catalog/phrases/nasilje").get_data(as_text=True)

    # The same words again (inflected, without diacritics): a clear error, the text kept.
    response = staff.post("/staff/catalog/phrases/nasilje", data={"csrf_token": token, "phrase": "sef me muci"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'value="sef me muci"' in html

    response = staff.post(f"/staff/catalog/phrases/nasilje/{phrase_id}/delete", data={"csrf_token": token})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(DomainPhrase, phrase_id) is None
        assert not search.run("šef me muči").domains
        assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "catalog_phrase_removed"))


def test_filler_words_alone_are_not_a_phrase(app, demo, login_as):
    staff = login_as(Role.ORGANIZER)
    token = csrf_token(staff, "/staff/catalog/phrases/nasilje")
    response = staff.post("/staff/catalog/phrases/nasilje", data={"csrf_token": token, "phrase": "in ali pa"})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(DomainPhrase).where(DomainPhrase.phrase == "in ali pa")) is None


def test_phrase_pages_list_every_domain_and_reject_an_unknown_one(app, demo, login_as):
    staff = login_as(Role.ORGANIZER)
    html = staff.get("/staff/catalog/phrases").get_data(as_text=True)
    assert html.count("/staff/catalog/phrases/") >= 31
    assert staff.get("/staff/catalog/phrases/ni-takega").status_code == 404


# ---- proposals from the search log -----------------------------------------------------------------


def _searches(app, text: str, opened: list[str | None]) -> None:
    """One logged search per entry of `opened` (the service opened from it, or None)."""
    from catalog.search import query_key

    with app.app_context():
        for service_id in opened:
            db.session.add(
                SearchLog(
                    at=utcnow() - timedelta(hours=1),
                    query=text,
                    query_key=query_key(text),
                    result_count=3,
                    opened_service_id=service_id,
                    opened_at=utcnow() if service_id else None,
                )
            )
        db.session.commit()


def _service(app, name: str) -> str:
    with app.app_context():
        return db.session.scalar(sa.select(Service.id).where(Service.name == name))


def _proposals(staff) -> str:
    html = staff.get("/staff/catalog/insights").get_data(as_text=True)
    return html.split('id="phrase-proposals"', 1)[1].split("</section>", 1)[0]


def test_a_query_leading_to_one_domain_is_proposed_and_accepted_in_one_click(app, demo, login_as):
    work = _service(app, "Prijava med brezposelne in denarno nadomestilo")
    other = _service(app, "Brezplačna pravna pomoč")
    k = app.config["TREND_MIN_CELL"]
    _searches(app, "zaprli so tovarno", [work] * 3 + [other] + [None] * (k - 4))  # 3 of 4 opens: 75 %
    _searches(app, "neki čisto tretjega", [work, other] + [None] * (k - 2))  # 50 %: no proposal
    _searches(app, "redko vprašanje", [work] * (k - 1))  # seen fewer than k times: no proposal
    staff = login_as(Role.ORGANIZER)
    html = _proposals(staff)
    assert "zaprli so tovarno" in html
    assert "neki čisto tretjega" not in html and "redko vprašanje" not in html
    assert "Zaposlovanje in javna dela" in html

    token = csrf_token(staff, "/staff/catalog/insights")
    response = staff.post(
        "/staff/catalog/insights/phrase",
        data={"csrf_token": token, "words": "zaprli so tovarno", "domain": "zaposlovanje"},
    )
    assert response.status_code == 302
    with app.app_context():
        phrase = db.session.scalar(sa.select(DomainPhrase).where(DomainPhrase.phrase == "zaprli so tovarno"))
        assert phrase is not None and phrase.source == "learned"
        assert search.run("zaprli so tovarno").domains[0][0] == "zaposlovanje"
    assert "zaprli so tovarno" not in _proposals(staff)


def test_accepting_a_proposal_for_an_unknown_domain_is_a_404(app, demo, login_as):
    staff = login_as(Role.ORGANIZER)
    token = csrf_token(staff, "/staff/catalog/insights")
    response = staff.post(
        "/staff/catalog/insights/phrase", data={"csrf_token": token, "words": "x y", "domain": "ni-takega"}
    )
    assert response.status_code == 404


def test_seed_phrases_fills_an_empty_table_once(app, runner):
    first = runner.invoke(args=["catalog", "seed-phrases"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        count = db.session.scalar(sa.select(sa.func.count()).select_from(DomainPhrase))
    assert count > 31 * 10 and f"Added {count} " in first.output
    assert "Added 0 " in runner.invoke(args=["catalog", "seed-phrases"]).output
