"""Public visibility decided in one place: search results re-check it when read, and an
organization page never shows the address of a service the public may not see."""

import pytest

from catalog.search import index as search_index
from tests.factories import make_org, make_service
from welfare.database import utcnow
from welfare.extensions import db


def _address(street: str) -> dict:
    return {"address_1": street, "city": "Novo mesto", "postal_code": "8000"}


@pytest.fixture
def unpublished_while_the_index_write_failed(app, monkeypatch):
    """A public service in the index, then unpublished with the index write failing."""
    with app.app_context():
        org = make_org(id="org-v", name="Društvo Vidnost")
        make_service(org, id="svc-stays", name="Svetovanje pri dolgovih")
        make_service(org, id="svc-gone", name="Dolgovi in rubež, zasebno svetovanje")
        db.session.commit()
        search_index.rebuild()

        def broken_write(ids):
            raise OSError("disk full")

        monkeypatch.setattr(search_index, "update_services", broken_write)
        service = db.session.get(search_index.Service, "svc-gone")
        service.is_published = False
        db.session.commit()
        assert "svc-gone" in search_index.indexed_ids()  # the index still lists it
        assert search_index.is_stale()


def test_search_page_rechecks_the_public_rule(app, client, unpublished_while_the_index_write_failed):
    html = client.get("/search?q=dolgovi").get_data(as_text=True)
    assert "Svetovanje pri dolgovih" in html
    assert "zasebno svetovanje" not in html and "svc-gone" not in html


def test_api_search_rechecks_the_public_rule(app, client, unpublished_while_the_index_write_failed):
    ids = [s["id"] for s in client.get("/api/hsds/services?search=dolgovi").get_json()["contents"]]
    assert ids == ["svc-stays"]


def test_engine_results_never_list_a_service_that_is_not_public(app, unpublished_while_the_index_write_failed):
    from catalog.search import engine

    with app.app_context():
        result = engine.run("dolgovi")
        assert result.ids == ["svc-stays"] and result.total == 1


def test_organization_page_shows_only_addresses_of_public_services(app, client):
    with app.app_context():
        org = make_org(id="org-a", name="Društvo Naslovi")
        make_service(org, name="Javna storitev", address=_address("Javna ulica 1"))
        make_service(org, name="Osnutek", published=False, address=_address("Osnutkova ulica 2"))
        make_service(org, name="Arhivirana", archived_at=utcnow(), address=_address("Arhivska ulica 3"))
        make_service(org, name="Varna hiša", is_confidential_location=True, address=_address("Skrita ulica 4"))
        db.session.commit()
    html = client.get("/organizations/org-a").get_data(as_text=True)
    assert "Javna ulica 1" in html
    for hidden in ("Osnutkova ulica 2", "Arhivska ulica 3", "Skrita ulica 4"):
        assert hidden not in html
    api = client.get("/api/hsds/organizations/org-a").get_data(as_text=True)
    for hidden in ("Osnutkova", "Arhivska", "Skrita", "Osnutek", "Arhivirana"):
        assert hidden not in api


def test_a_place_shared_with_a_safe_house_is_never_shown(app, client):
    from catalog.models import ServiceAtLocation

    with app.app_context():
        org = make_org(id="org-s", name="Društvo Skupaj")
        safe = make_service(org, name="Varna hiša", is_confidential_location=True, address=_address("Skrita ulica 9"))
        open_service = make_service(org, id="svc-open", name="Svetovalnica")
        open_service.service_at_locations.append(ServiceAtLocation(location=safe.service_at_locations[0].location))
        db.session.commit()
    assert "Skrita ulica 9" not in client.get("/organizations/org-s").get_data(as_text=True)
    assert "Skrita ulica 9" not in client.get("/api/hsds/services/svc-open").get_data(as_text=True)
    assert "Skrita ulica 9" not in client.get("/services/svc-open").get_data(as_text=True)


@pytest.mark.parametrize("failure", [OSError("disk full"), AssertionError("segment name taken"), KeyError("x")])
def test_any_index_failure_after_a_commit_leaves_the_commit_standing(app, monkeypatch, failure):
    """Whoosh raises more than its own errors (a bare AssertionError when a segment's file name
    is taken): none may escape a commit that has already stood."""
    with app.app_context():
        org = make_org(id="org-f", name="Društvo Napaka")
        db.session.commit()
        search_index.rebuild()

        def broken_write(ids):
            raise failure

        monkeypatch.setattr(search_index, "update_services", broken_write)
        make_service(org, id="svc-saved", name="Svetovanje ob napaki")
        db.session.commit()  # raises nothing
        assert db.session.get(search_index.Service, "svc-saved") is not None
        assert search_index.is_stale()
