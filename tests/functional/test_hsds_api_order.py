"""The API's `search` answers in the same order as /search (issue 23): aggregators reading the
API get the best match first; `sort=name` keeps the alphabetical order."""

import re

import pytest

QUERIES = [
    "vrtec zabjak",
    "mož me tepe",
    "ne morem plačati položnic",
    "dolgovi",
    "pomoč na domu",
    "brezplačna pravna pomoč",
    "nimam kje spati",
    "mama ne zmore več sama",
    "zasvojenost z alkoholom",
    "prevoz k zdravniku",
    "ne morem plačati najemnine",
    "denarna socialna pomoc",
]
CARD_LINK = re.compile(r'<h3><a href="/services/([^"?]+)')


def _page_ids(client, query: str) -> list[str]:
    html = client.get("/search", query_string={"q": query}).get_data(as_text=True)
    return CARD_LINK.findall(html.split('id="results-heading"')[1])


@pytest.mark.parametrize("query", QUERIES)
def test_api_search_lists_the_first_ten_as_the_search_page_does(client, demo, query):
    expected = _page_ids(client, query)[:10]
    body = client.get("/api/hsds/services", query_string={"search": query, "per_page": 10}).get_json()
    assert len(expected) >= 3, query
    assert [s["id"] for s in body["contents"]] == expected  # fewer than ten only when that is all


def test_relevance_order_runs_across_pages(client, demo):
    first = client.get("/api/hsds/services?search=dolgovi&per_page=5").get_json()
    second = client.get("/api/hsds/services?search=dolgovi&per_page=5&page=2").get_json()
    both = client.get("/api/hsds/services?search=dolgovi&per_page=10").get_json()
    assert [s["id"] for s in first["contents"] + second["contents"]] == [s["id"] for s in both["contents"]]


def test_sort_by_name_keeps_the_alphabetical_order(client, demo):
    body = client.get("/api/hsds/services?search=vrtec+zabjak&sort=name&per_page=100").get_json()
    names = [s["name"] for s in body["contents"]]
    assert names == sorted(names) and len(names) > 10
    ranked = client.get("/api/hsds/services?search=vrtec+zabjak&per_page=100").get_json()
    assert {s["id"] for s in ranked["contents"]} == {s["id"] for s in body["contents"]}
    assert "vrtec" in ranked["contents"][0]["name"].lower()


def test_without_search_the_order_is_by_name(client, demo):
    names = [s["name"] for s in client.get("/api/hsds/services?per_page=50").get_json()["contents"]]
    assert names == sorted(names)


def test_an_unknown_sort_is_a_clear_400(client, demo):
    response = client.get("/api/hsds/services?search=dolgovi&sort=date")
    assert response.status_code == 400
    body = response.get_json()
    assert body["parameter"] == "sort" and "relevance, name" in body["message"]
