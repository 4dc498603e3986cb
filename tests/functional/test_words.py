"""Words the office reads: a case's status agrees with "primer" (masculine) in Slovenian while a
consent stays "aktivna"; demo people have capitalised surnames."""

import re

import pytest
import sqlalchemy as sa

from cases.models import CaseStatus, Person
from tests.conftest import create_user, csrf_token
from tests.intake_factories import make_case, make_consent
from welfare.extensions import db


def test_an_active_case_is_aktiven_and_its_consent_aktivna(app, login_as):
    client = login_as("organizer")
    with app.app_context():
        case = make_case(status=CaseStatus.ACTIVE, number="2026-0311")
        make_consent(case)
        db.session.commit()
    client.post("/language", data={"csrf_token": csrf_token(client, "/cases/"), "lang": "sl", "next": "/"})
    html = client.get("/cases/2026-0311").get_data(as_text=True)
    badge = re.search(r'<p class="badge">([^<]*)</p>', html).group(1)
    assert badge.endswith(": Aktiven"), badge
    consent_state = html.split('id="consents-heading"')[1]
    assert "Aktivna" in consent_state and "Aktiven" not in consent_state


@pytest.mark.slow  # seeds the whole demo: the slow tier
def test_demo_people_have_capitalised_surnames(app):
    from cases.demo import load_demo_cases

    create_user(app, "organizer", "demo-organizer")
    with app.app_context():
        load_demo_cases()
        surnames = set(db.session.scalars(sa.select(Person.last_name)))
    assert len(surnames) > 50
    assert [name for name in surnames if not name[:1].isupper()] == []
