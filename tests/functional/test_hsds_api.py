"""The public HSDS API, validated against the HSDS 3.0 OpenAPI description and schemas."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.factories import make_org, make_service
from welfare.extensions import db

FIXTURES = Path(__file__).parent.parent / "fixtures" / "hsds"
UPSTREAM = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
OPENAPI = json.loads((FIXTURES / "hsds-3.0-openapi.json").read_text())


def _registry() -> Registry:
    """Serve the upstream schema URLs from the local copies (compiled/ falls back to the base files)."""
    schema_dir = FIXTURES / "hsds-3.0-schema"
    resources = []
    for path in schema_dir.glob("*.json"):
        contents = json.loads(path.read_text())
        for base in (UPSTREAM, UPSTREAM + "compiled/"):
            if base.endswith("compiled/") and (schema_dir / "compiled" / path.name).exists():
                continue
            resources.append((base + path.name, Resource.from_contents(contents, default_specification=DRAFT202012)))
    for path in (schema_dir / "compiled").glob("*.json"):
        resources.append(
            (
                UPSTREAM + "compiled/" + path.name,
                Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT202012),
            )
        )
    openapi = Resource.from_contents(OPENAPI, default_specification=DRAFT202012)
    return Registry().with_resources(resources).with_resource("urn:hsds-openapi", openapi)


REGISTRY = _registry()


def validate(path: str, body: dict) -> None:
    schema = OPENAPI["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    schema = json.loads(json.dumps(schema).replace('"#/components/', '"urn:hsds-openapi#/components/'))
    errors = sorted(Draft202012Validator(schema, registry=REGISTRY).iter_errors(body), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def test_info(client):
    body = client.get("/api/hsds/").get_json()
    validate("/", body)
    assert body["version"] == "3.0.0"


def test_services_page_is_valid_and_paginated(client, demo):
    body = client.get("/api/hsds/services?per_page=10&page=2").get_json()
    validate("/services", body)
    assert body["page_number"] == 2 and body["size"] == 10 and not body["first_page"]
    assert body["total_items"] >= 100 and body["total_pages"] == -(-body["total_items"] // 10)
    last = client.get(f"/api/hsds/services?per_page=10&page={body['total_pages']}").get_json()
    assert last["last_page"] and not last["empty"]
    beyond = client.get(f"/api/hsds/services?per_page=10&page={body['total_pages'] + 1}").get_json()
    assert beyond["empty"] and beyond["contents"] == []


# Every demo service through the schema: the slow tier (tests/conftest.py).
@pytest.mark.slow
def test_every_demo_service_validates_in_full(client, demo):
    ids = [s["id"] for s in client.get("/api/hsds/services?per_page=100").get_json()["contents"]]
    ids += [s["id"] for s in client.get("/api/hsds/services?per_page=100&page=2").get_json()["contents"]]
    for service_id in ids:
        body = client.get(f"/api/hsds/services/{service_id}").get_json()
        validate("/services/{id}", body)
        for attribute in body["attributes"]:
            assert attribute["taxonomy_term"]["name"]


def test_filters(client, demo):
    domain = "pisarna-zivljenjska-podrocja:zasvojenost"
    body = client.get(f"/api/hsds/services?taxonomy_term_id={domain}&per_page=100").get_json()
    assert body["total_items"] >= 5
    for service in body["contents"]:
        full = client.get(f"/api/hsds/services/{service['id']}").get_json()
        assert "zasvojenost" in [a["taxonomy_term"]["code"] for a in full["attributes"]]
    by_taxonomy = client.get("/api/hsds/services?taxonomy_id=pisarna-ciljne-skupine").get_json()
    assert by_taxonomy["total_items"] > 0
    org = client.get("/api/hsds/organizations?per_page=100").get_json()
    validate("/organizations", org)
    org_id = next(o["id"] for o in org["contents"] if o["name"] == "Mestna občina Novo mesto")
    mine = client.get(f"/api/hsds/services?organization_id={org_id}&per_page=100").get_json()
    assert mine["total_items"] >= 15 and all(s["organization_id"] == org_id for s in mine["contents"])
    assert client.get("/api/hsds/services?modified_after=2999-01-01T00:00:00Z").get_json()["empty"]
    assert client.get("/api/hsds/services?search=Pisarna").get_json()["total_items"] >= 1


def test_taxonomies_and_terms(client, demo):
    taxonomies = client.get("/api/hsds/taxonomies").get_json()
    validate("/taxonomies", taxonomies)
    terms = client.get("/api/hsds/taxonomy_terms?taxonomy_id=pisarna-zivljenjska-podrocja&per_page=100").get_json()
    validate("/taxonomy_terms", terms)
    assert terms["total_items"] == 31


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("page=abc", "page"),
        ("page=", "page"),
        ("per_page=1.5", "per_page"),
        ("top_only=yes", "top_only"),
        ("full=1", "full"),
        ("modified_after=yesterday", "modified_after"),
        ("search=" + "x" * 201, "search"),
    ],
)
def test_bad_parameters_get_a_json_400(client, query, parameter):
    response = client.get(f"/api/hsds/services?{query}")
    assert response.status_code == 400
    assert response.get_json()["parameter"] == parameter


def test_only_public_data(app, client):
    with app.app_context():
        org = make_org("Javna")
        draft = make_service(org, "Osnutek", published=False)
        safe = make_service(
            org,
            "Varna hiša",
            is_confidential_location=True,
            address={"address_1": "Tajna ulica 5", "postal_code": "8000", "city": "Novo mesto"},
        )
        db.session.commit()
        draft_id, safe_id = draft.id, safe.id
    assert client.get(f"/api/hsds/services/{draft_id}").status_code == 404
    names = [s["name"] for s in client.get("/api/hsds/services").get_json()["contents"]]
    assert "Osnutek" not in names and "Varna hiša" in names
    body = client.get(f"/api/hsds/services/{safe_id}").get_json()
    assert body["service_at_locations"] == [] and "Tajna" not in json.dumps(body)
    assert client.get("/api/hsds/services/nope").status_code == 404
