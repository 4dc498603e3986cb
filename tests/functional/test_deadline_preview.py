"""The deadline form's preview (issue 22): a JSON endpoint that computes the last day with the
same holiday-aware rule that saves it; CSRF-protected, dates and numbers only, nothing stored."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from cases.access_log import CaseAccess
from cases.models import Deadline
from tests.conftest import csrf_token
from tests.plan_factories import NUMBER, make_case
from welfare.clock import today
from welfare.extensions import db

URL = "/cases/deadlines/last-day"


@pytest.fixture
def lawyer(app, login_as):
    client = login_as("lawyer", "petra")
    with app.app_context():
        make_case()
        db.session.commit()
    client.token = csrf_token(client, f"/cases/{NUMBER}/deadlines/new")
    return client


def ask(client, **data):
    return client.post(URL, data=data, headers={"X-CSRFToken": client.token})


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_last_day_skips_christmas_and_the_weekend(app, lawyer):
    before = _count(app, CaseAccess)
    response = ask(lawyer, served_on="2025-12-10", days="15", kind="appeal")
    assert response.status_code == 200
    # 25 December (Christmas), 26 December (Independence Day), 27-28 December a weekend.
    assert response.json["last_day"] == "2025-12-29"
    assert response.json["text"] == "The last day is Monday, December 29, 2025."
    assert _count(app, CaseAccess) == before and _count(app, Deadline) == 0  # nothing stored or read


def test_an_empty_period_is_an_appeals_fifteen_days_and_slovenian_style_dates_work(app, lawyer):
    assert ask(lawyer, served_on="10. 12. 2025", days="", kind="appeal").json["last_day"] == "2025-12-29"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"served_on": "", "days": "15"}, "Enter the date the decision was served."),
        ({"served_on": "31.02.2025", "days": "15"}, "Enter a date, e.g. 31. 12. 2026."),
        ({"served_on": "2025-12-10", "days": "0"}, "Enter a period between 1 and 365 days."),
        ({"served_on": "2025-12-10", "days": "abc"}, "Enter the period as a whole number of days."),
        ({"served_on": "FUTURE", "days": "15"}, "The decision cannot be served in the future."),
    ],
)
def test_bad_input_gets_a_translated_error_not_a_server_error(app, lawyer, data, message):
    if data["served_on"] == "FUTURE":
        data = {**data, "served_on": (today() + timedelta(days=2)).isoformat()}
    response = ask(lawyer, **data)
    assert response.status_code == 400 and response.json == {"error": message}


def test_it_speaks_slovenian(app, lawyer):
    lawyer.post("/language", data={"csrf_token": lawyer.token, "lang": "sl", "next": "/"})
    response = ask(lawyer, served_on="2025-12-10", days="15")
    assert "29. december 2025" in response.json["text"]


def test_without_the_csrf_token_it_is_refused(app, lawyer):
    assert lawyer.post(URL, data={"served_on": "2025-12-10", "days": "15"}).status_code == 400


def test_only_the_office_team_may_ask(app, login_as):
    for role in ("supervisor", "admin"):
        client = login_as(role)
        token = csrf_token(client, "/")
        response = client.post(URL, data={"served_on": "2025-12-10", "days": "15"}, headers={"X-CSRFToken": token})
        assert response.status_code == 403, role
    assert app.test_client().post(URL).status_code in (302, 400)
