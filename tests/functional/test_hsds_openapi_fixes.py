"""What the official OpenAPI run found (issue 23), each pinned down: UUID ids for taxonomies and
terms (old slug ids still resolve), /service_at_locations with `postcode`, `Allow` on 405 and
paging numbers HSDS calls valid."""

import uuid

import pytest
import sqlalchemy as sa

from catalog.models import Service
from welfare.extensions import db

NASILJE = "pisarna-zivljenjska-podrocja:nasilje"


def _is_uuid(value: str) -> bool:
    return str(uuid.UUID(value)) == value


def test_taxonomy_and_term_ids_are_uuids_and_the_slug_is_the_code(client, demo):
    terms = client.get("/api/hsds/taxonomy_terms?per_page=100").get_json()["contents"]
    assert terms and all(_is_uuid(t["id"]) and _is_uuid(t["taxonomy_id"]) for t in terms)
    assert all(_is_uuid(t["taxonomy_detail"]["id"]) for t in terms)
    violence = next(t for t in terms if t["code"] == "nasilje")
    taxonomies = client.get("/api/hsds/taxonomies").get_json()["contents"]
    assert all(_is_uuid(t["id"]) for t in taxonomies)
    assert violence["taxonomy_id"] in {t["id"] for t in taxonomies}
    # The same UUID on every request (and every install: derived from the slug).
    again = client.get("/api/hsds/taxonomy_terms?per_page=100").get_json()["contents"]
    assert next(t["id"] for t in again if t["code"] == "nasilje") == violence["id"]


def test_old_slug_ids_keep_resolving(client, demo):
    by_slug = client.get(f"/api/hsds/taxonomy_terms/{NASILJE}").get_json()
    by_uuid = client.get(f"/api/hsds/taxonomy_terms/{by_slug['id']}").get_json()
    assert by_slug == by_uuid and by_slug["code"] == "nasilje"
    taxonomy = client.get("/api/hsds/taxonomies/pisarna-zivljenjska-podrocja").get_json()
    assert client.get(f"/api/hsds/taxonomies/{taxonomy['id']}").get_json() == taxonomy
    old = client.get(f"/api/hsds/services?taxonomy_term_id={NASILJE}&per_page=100").get_json()
    new = client.get(f"/api/hsds/services?taxonomy_term_id={by_slug['id']}&per_page=100").get_json()
    assert old["total_items"] >= 5 and old == new
    listed = client.get(f"/api/hsds/taxonomy_terms?taxonomy_id={taxonomy['id']}&per_page=100").get_json()
    assert listed["total_items"] == 31
    assert client.get(f"/api/hsds/taxonomy_terms/{uuid.uuid4()}").status_code == 404


def test_service_attributes_name_terms_by_uuid(client, demo):
    service_id = client.get("/api/hsds/services?per_page=1").get_json()["contents"][0]["id"]
    for attribute in client.get(f"/api/hsds/services/{service_id}").get_json()["attributes"]:
        assert _is_uuid(attribute["taxonomy_term_id"])
        assert attribute["taxonomy_term_id"] == attribute["taxonomy_term"]["id"]


def test_service_at_locations_lists_public_places_and_filters_by_postcode(client, app, demo):
    body = client.get("/api/hsds/service_at_locations?per_page=100").get_json()
    assert body["total_items"] > 0
    with app.app_context():
        safe_houses = set(db.session.scalars(sa.select(Service.id).where(Service.is_confidential_location.is_(True))))
    assert safe_houses and not {link["service_id"] for link in body["contents"]} & safe_houses
    first = body["contents"][0]
    assert first["location"]["id"] == first["location_id"] and first["service"]["id"] == first["service_id"]
    assert client.get(f"/api/hsds/service_at_locations/{first['id']}").get_json()["id"] == first["id"]

    postcodes = {a["postal_code"] for link in body["contents"] for a in link["location"]["addresses"]}
    postcode = sorted(p for p in postcodes if p)[0]  # an address may lack a postal code
    narrowed = client.get(f"/api/hsds/service_at_locations?postcode={postcode}&per_page=100").get_json()
    assert narrowed["total_items"] >= 1
    for link in narrowed["contents"]:
        assert postcode in {a["postal_code"] for a in link["location"]["addresses"]}
    assert client.get("/api/hsds/service_at_locations?postcode=0000").get_json()["empty"]
    # Not applied (no coordinates to measure from), never an error: see the README.
    same = client.get(f"/api/hsds/service_at_locations?postcode={postcode}&proximity=500&per_page=100").get_json()
    assert same == narrowed


def test_a_safe_houses_place_is_never_listed(client, app):
    from catalog.models import ServiceAtLocation
    from tests.factories import make_org, make_service

    with app.app_context():
        org = make_org("Društvo")
        make_service(
            org, "Svetovalnica", address={"address_1": "Glavni trg 1", "postal_code": "8000", "city": "Novo mesto"}
        )
        safe = make_service(
            org,
            "Varna hiša",
            is_confidential_location=True,
            address={"address_1": "Tajna ulica 5", "postal_code": "8000", "city": "Novo mesto"},
        )
        db.session.commit()
        hidden = db.session.scalar(sa.select(ServiceAtLocation.id).where(ServiceAtLocation.service_id == safe.id))
    listed = client.get("/api/hsds/service_at_locations?postcode=8000").get_json()
    assert [link["service"]["name"] for link in listed["contents"]] == ["Svetovalnica"]
    assert "Tajna" not in client.get("/api/hsds/service_at_locations").get_data(as_text=True)
    assert hidden and client.get(f"/api/hsds/service_at_locations/{hidden}").status_code == 404


@pytest.mark.parametrize("path", ["/api/hsds/services", "/api/hsds/taxonomies", "/api/hsds/service_at_locations"])
def test_a_405_names_the_allowed_methods(client, path):
    response = client.post(path)
    assert response.status_code == 405
    assert "GET" in {m.strip() for m in response.headers["Allow"].split(",")}
    assert client.open(path, method="TRACE").headers.get("Allow")


@pytest.mark.parametrize(
    ("query", "page", "size"),
    [("page=0", 1, 20), ("page=-3", 1, 20), ("per_page=0", 1, 20), ("per_page=-1", 1, 20), ("per_page=1000", 1, 100)],
)
def test_paging_numbers_hsds_calls_valid_are_accepted(client, demo, query, page, size):
    response = client.get(f"/api/hsds/services?{query}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["page_number"] == page and body["size"] == size
