"""The case page's forms: timeline, edit, close, reopen, challenges, consents; conflicts and
the save after an expired session."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from cases.access_log import AccessAction
from cases.models import Case, CaseStatus, TimelineEntry
from catalog.models import TAXONOMY_PROVIDER_TYPES
from catalog.seed import load_taxonomies, term_id
from tests.conftest import PASSWORD, create_user
from tests.functional.test_cases_intake import DEBT, HOUSING, access_rows, token_of, version_of
from tests.intake_factories import make_case, make_person
from welfare.extensions import db
from welfare.models import User, UserSession


@pytest.fixture(autouse=True)
def taxonomies(app):
    with app.app_context():
        load_taxonomies()
        db.session.commit()


@pytest.fixture
def staff(login_as):
    return login_as("social_worker", "mojca")


@pytest.fixture
def case_number(app):
    with app.app_context():
        number = make_case(make_person("Ana", "Kovač", 1990)).number
        db.session.commit()
        return number


def test_timeline_entry_added_newest_first(app, staff, case_number):
    html = staff.get(f"/cases/{case_number}/timeline/new").get_data(as_text=True)
    token = token_of(html)
    for when, text in [("2026-01-10T10:00", "Prvi obisk."), ("2026-01-12T09:30", "Klic na CSD.")]:
        response = staff.post(
            f"/cases/{case_number}/timeline/new",
            data={"csrf_token": token, "kind": "phone", "occurred_at": when, "text": text},
        )
        assert response.status_code == 302
    page = staff.get(f"/cases/{case_number}").get_data(as_text=True)
    assert page.index("Klic na CSD.") < page.index("Prvi obisk.")
    edits = access_rows(app, AccessAction.EDIT)
    assert edits == [(AccessAction.EDIT, "timeline", "mojca")] * 2


def test_timeline_time_shows_as_typed_on_the_office_clock(staff, case_number):
    """Typed as the office's wall clock (summer time, UTC+2), stored in UTC, shown as typed:
    converted once, not twice."""
    html = staff.get(f"/cases/{case_number}/timeline/new").get_data(as_text=True)
    staff.post(
        f"/cases/{case_number}/timeline/new",
        data={
            "csrf_token": token_of(html),
            "kind": "note",
            "occurred_at": "2026-07-10T10:00",
            "text": "Poletni obisk.",
        },
    )
    page = staff.get(f"/cases/{case_number}").get_data(as_text=True)
    stamp = re.search(r'<time datetime="2026-07-10T10:00:00">([^<]*)</time>', page)
    assert stamp, "the entry's time attribute is not the office's wall clock"
    assert "10:00" in stamp.group(1) and "12:00" not in stamp.group(1)


def test_timeline_entry_in_the_future_keeps_the_text(staff, case_number):
    html = staff.get(f"/cases/{case_number}/timeline/new").get_data(as_text=True)
    html = staff.post(
        f"/cases/{case_number}/timeline/new",
        data={"csrf_token": token_of(html), "kind": "note", "occurred_at": "2999-01-01T10:00", "text": "Dolg zapis."},
    ).get_data(as_text=True)
    assert "The time cannot be in the future." in html and "Dolg zapis." in html


def test_edit_close_and_reopen(app, staff, case_number):
    html = staff.get(f"/cases/{case_number}/edit").get_data(as_text=True)
    with app.app_context():
        me = db.session.scalar(sa.select(Case)).assignees  # empty from the factory
        assert me == []
    lawyer_id = create_user(app, "lawyer", "lana", full_name="Lana Pravnik")
    data = {
        "csrf_token": token_of(html),
        "version_id": version_of(html),
        "status": "active",
        "legal_basis": "legal_claims",
        "assignees": [str(lawyer_id)],
        "follow_up_on": "2000-01-01",
    }
    html = staff.post(f"/cases/{case_number}/edit", data=data).get_data(as_text=True)
    assert "The follow-up date cannot be before the case was opened." in html
    response = staff.post(f"/cases/{case_number}/edit", data={**data, "follow_up_on": ""})
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalar(sa.select(Case))
        assert case.status == CaseStatus.ACTIVE and [u.username for u in case.assignees] == ["lana"]

    html = staff.get(f"/cases/{case_number}/close").get_data(as_text=True)
    close = {"csrf_token": token_of(html), "version_id": version_of(html), "outcome": "", "closed_on": "2999-01-01"}
    html = staff.post(f"/cases/{case_number}/close", data={**close, "outcome_note": "Moja opomba."}).get_data(
        as_text=True
    )
    assert "Choose the outcome to close the case." in html and "The date cannot be in the future." in html
    assert "Moja opomba." in html
    html = staff.get(f"/cases/{case_number}/close").get_data(as_text=True)
    close["closed_on"] = re.search(r'name="closed_on"[^>]*value="([\d-]+)"', html).group(1)
    assert staff.post(f"/cases/{case_number}/close", data={**close, "outcome": "resolved"}).status_code == 302
    page = staff.get(f"/cases/{case_number}").get_data(as_text=True)
    assert "Resolved" in page and "Reopen the case" in page

    response = staff.post(
        f"/cases/{case_number}/reopen", data={"csrf_token": token_of(page), "version_id": version_of(page)}
    )
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalar(sa.select(Case))
        assert case.status == CaseStatus.ACTIVE and case.outcome is None and case.closed_on is None
    assert [row.what for row in access_rows(app, AccessAction.EDIT)] == ["case"] * 3


def test_second_save_of_the_same_case_gets_a_conflict_and_keeps_its_input(app, staff, login_as, case_number):
    other = login_as("lawyer", "lana")
    first = staff.get(f"/cases/{case_number}/edit").get_data(as_text=True)
    second = other.get(f"/cases/{case_number}/edit").get_data(as_text=True)
    common = {"status": "active", "legal_basis": "social_care"}
    with app.app_context():
        ids = dict(db.session.execute(sa.select(User.username, User.id)).all())
    response = staff.post(
        f"/cases/{case_number}/edit",
        data={**common, "csrf_token": token_of(first), "version_id": version_of(first), "assignees": [ids["mojca"]]},
    )
    assert response.status_code == 302
    html = other.post(
        f"/cases/{case_number}/edit",
        data={
            **common,
            "csrf_token": token_of(second),
            "version_id": version_of(second),
            "legal_basis": "legal_claims",
            "assignees": [ids["lana"]],
            "follow_up_on": "2099-05-06",
        },
    ).get_data(as_text=True)
    assert "Someone else saved this record in the meantime." in html
    assert 'value="2099-05-06"' in html and 'selected value="legal_claims"' in html
    with app.app_context():
        case = db.session.scalar(sa.select(Case))
        assert [u.username for u in case.assignees] == ["mojca"] and case.follow_up_on is None
    # The form now carries the current version: saving again is a deliberate overwrite.
    assert version_of(html) != version_of(second)


def test_challenge_add_and_stale_edit(app, staff, case_number):
    html = staff.get(f"/cases/{case_number}/challenges/new").get_data(as_text=True)
    response = staff.post(
        f"/cases/{case_number}/challenges/new",
        data={"csrf_token": token_of(html), "domain_id": HOUSING, "urgency": "crisis", "description": "Brez vode."},
    )
    assert response.status_code == 302
    with app.app_context():
        challenge_id = db.session.scalar(sa.select(Case)).challenges[0].id
    url = f"/cases/{case_number}/challenges/{challenge_id}/edit"
    form = staff.get(url).get_data(as_text=True)
    data = {"csrf_token": token_of(form), "version_id": version_of(form), "domain_id": DEBT, "urgency": "low"}
    assert staff.post(url, data={**data, "description": "Prvič."}).status_code == 302
    html = staff.post(url, data={**data, "description": "Drugič."}).get_data(as_text=True)
    assert "Someone else saved this record in the meantime." in html and "Drugič." in html
    assert "Brez vode." in staff.get(f"/cases/{case_number}").get_data(as_text=True)


def test_consent_recorded_and_withdrawn(app, staff, case_number):
    html = staff.get(f"/cases/{case_number}/consents/new").get_data(as_text=True)
    base = {"csrf_token": token_of(html), "scope": "Podatki o dolgovih.", "text_version": "2026-1"}
    html = staff.post(f"/cases/{case_number}/consents/new", data={**base, "given_on": "2026-01-05"}).get_data(
        as_text=True
    )
    assert "Choose either one organization or a kind of organization." in html and "Podatki o dolgovih." in html
    ngo = term_id(TAXONOMY_PROVIDER_TYPES, "nvo")
    response = staff.post(
        f"/cases/{case_number}/consents/new", data={**base, "given_on": "2026-01-05", "provider_type_id": ngo}
    )
    assert response.status_code == 302
    page = staff.get(f"/cases/{case_number}").get_data(as_text=True)
    assert "Active" in page and "Podatki o dolgovih." in page
    with app.app_context():
        consent = db.session.scalar(sa.select(Case)).consents[0]
        consent_id = consent.id
    url = f"/cases/{case_number}/consents/{consent_id}/withdraw"
    form = staff.get(url).get_data(as_text=True)
    data = {"csrf_token": token_of(form), "version_id": version_of(form)}
    html = staff.post(url, data={**data, "withdrawn_on": "2025-12-31"}).get_data(as_text=True)
    assert "A consent cannot be withdrawn before it was given." in html
    assert staff.post(url, data={**data, "withdrawn_on": "2026-01-20"}).status_code == 302
    assert "Withdrawn on" in staff.get(f"/cases/{case_number}").get_data(as_text=True)
    assert staff.get(f"/cases/{case_number}/consents/999/withdraw").status_code == 404


def test_unknown_case_is_404(staff):
    assert staff.get("/cases/2026-9999").status_code == 404
    assert staff.get("/cases/2026-9999/edit").status_code == 404


def test_note_posted_after_the_session_expired_comes_back_after_login(app, staff, case_number):
    url = f"/cases/{case_number}/timeline/new"
    html = staff.get(url).get_data(as_text=True)
    with app.app_context():
        for user_session in db.session.scalars(sa.select(UserSession)):
            user_session.last_seen_at -= timedelta(minutes=31)
        db.session.commit()
    note = "Dolg pogovor o dolgovih, stanovanju in otrocih. " * 40
    response = staff.post(
        url, data={"csrf_token": token_of(html), "kind": "visit", "occurred_at": "2026-01-10T10:00", "text": note}
    )
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    login_page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "what you typed is kept" in login_page and f'value="{url}"' in login_page
    response = staff.post(
        "/login",
        data={"csrf_token": token_of(login_page), "username": "mojca", "password": PASSWORD, "next": url},
    )
    assert response.headers["Location"] == url
    offer = staff.get(url).get_data(as_text=True)
    assert "You have an unsaved draft" in offer and note.strip() not in offer  # offered, not forced
    form = staff.get(url + "?draft=restore").get_data(as_text=True)
    assert note.strip() in form and 'selected value="visit"' in form
    assert "Restored what you typed" in form
    # Saving it stores the note and drops the draft.
    response = staff.post(
        url, data={"csrf_token": token_of(form), "kind": "visit", "occurred_at": "2026-01-10T10:00", "text": note}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(TimelineEntry.text)) == note.strip()
    assert "Restored" not in staff.get(url).get_data(as_text=True)
