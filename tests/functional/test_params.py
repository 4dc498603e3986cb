"""The URLs the issue found answering 500, and how the parameter module answers bad values."""

import pytest

from welfare.models import Role

HUGE = "100000000000000000000"


@pytest.fixture
def public_service(app):
    from tests.factories import make_org, make_service
    from welfare.extensions import db

    with app.app_context():
        make_service(make_org(id="org-p"), id="svc-p")
        db.session.commit()


@pytest.mark.parametrize("value", [HUGE, "²", "٣", "-5", "1e3"])
def test_a_bad_search_log_id_still_shows_the_service(client, public_service, value):
    assert client.get(f"/services/svc-p?from={value}").status_code == 200


@pytest.mark.parametrize(
    "value", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2026-13-01", "NaN", "1e5"]
)
def test_api_dates_out_of_range_are_a_json_400(client, value):
    from urllib.parse import quote

    response = client.get(f"/api/hsds/services?modified_after={quote(value)}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["parameter"] == "modified_after" and "modified_after" in body["message"]


def test_api_numbers_are_checked(client):
    # HSDS calls any integer a page number: past the last one is an empty page, not an error.
    assert client.get(f"/api/hsds/services?page={HUGE}").get_json()["empty"]
    assert client.get("/api/hsds/services?page=x").get_json()["parameter"] == "page"
    assert client.get("/api/hsds/services?per_page=²").get_json()["parameter"] == "per_page"
    assert client.get("/api/hsds/services?modified_after=2026-01-31T00:00:00Z").status_code == 200


@pytest.mark.parametrize("url", [f"/admin/users/{HUGE}", "/admin/users/2147483648"])
def test_an_id_too_large_for_the_database_is_a_404(login_as, url):
    assert login_as(Role.ADMIN).get(url).status_code == 404


def test_staff_synonym_group_id_too_large_is_a_404(login_as):
    assert login_as(Role.ORGANIZER).get(f"/staff/catalog/synonyms/{HUGE}").status_code == 404


@pytest.mark.parametrize("url", ["/staff/catalog/?page=", "/admin/audit?page="])
def test_a_page_past_the_end_shows_the_last_page(login_as, url):
    client = login_as(Role.ADMIN if url.startswith("/admin") else Role.ORGANIZER)
    assert client.get(url + HUGE).status_code == 200
    assert client.get(url + "7").status_code == 200


def test_a_page_that_is_not_a_number_is_a_translated_400(login_as):
    client = login_as(Role.ADMIN)
    response = client.get("/admin/audit?page=²")
    assert response.status_code == 400
    assert "must be a whole number" in response.get_data(as_text=True)
    with client.session_transaction() as session:
        session["lang"] = "sl"
    assert "celo število" in client.get("/admin/audit?page=abc").get_data(as_text=True)
