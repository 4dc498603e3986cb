"""One history of a case (issue 22): every event that changed the case, newest first, with who
and when, filterable by kind; reading it is access-logged and shows office time."""

import re
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from cases.access_log import CaseAccess
from cases.models import Case, Consent, Deadline
from cases.referrals.models import ReferralEvent
from tests.conftest import csrf_token
from tests.plan_factories import user_named
from tests.ref_helpers import create_referral, csrf_of, link_from_outbox, referral_setup, send_referral
from welfare.clock import OFFICE_TZ, today
from welfare.extensions import db

WHEN = (datetime.now(OFFICE_TZ) + timedelta(days=7)).replace(hour=9, minute=30, second=0, microsecond=0)


def post(client, url, data, page=None):
    return client.post(url, data={"csrf_token": csrf_token(client, page or url), **data})


def version_of(html: str) -> str:
    return re.search(r'name="version_id" type="hidden" value="(\d+)"', html).group(1)


@pytest.fixture
def worked_case(app, login_as):
    """A case Olga Novak worked on: a referral sent and accepted by the organization with an
    appointment, a note, a plan goal, a deadline added and met, the case closed and reopened."""
    worker = login_as("organizer", "olga")
    setup = referral_setup(app)
    with app.app_context():
        user_named("olga").full_name = "Olga Novak"
        db.session.commit()
    number = setup["number"]
    referral_id = create_referral(worker, setup)
    assert send_referral(worker, setup, referral_id).status_code == 302
    org = app.test_client()
    link = link_from_outbox(app, referral_id)
    html = org.get(link).get_data(as_text=True)
    answer = {"csrf_token": csrf_of(html), "referral_id": str(referral_id), "decline_reason": "", "outcome": ""}
    answer |= {"action": "accepted", "appointment_at": WHEN.strftime("%Y-%m-%dT%H:%M"), "appointment_note": "Vhod B."}
    assert org.post(link, data=answer).status_code in (200, 302)
    now = datetime.now(OFFICE_TZ).strftime("%Y-%m-%dT%H:%M")
    data = {"kind": "phone", "occurred_at": now, "text": "Poklicala je glede računov."}
    assert post(worker, f"/cases/{number}/timeline/new", data).status_code == 302
    assert post(worker, f"/cases/{number}/plan/goals/new", {"title": "Urediti dolgove"}).status_code == 302
    served = (today() - timedelta(days=3)).isoformat()
    data = {"kind": "appeal", "served_on": served, "days": "15"}
    assert post(worker, f"/cases/{number}/deadlines/new", data).status_code == 302
    with app.app_context():
        deadline_id = db.session.scalar(sa.select(Deadline.id))
    url = f"/cases/{number}/deadlines/{deadline_id}/done"
    assert post(worker, url, {}, page=f"/cases/{number}/plan").status_code == 302
    close_html = worker.get(f"/cases/{number}/close").get_data(as_text=True)
    data = {"version_id": version_of(close_html), "closed_on": today().isoformat(), "outcome": "resolved"}
    data |= {"outcome_note": "Dolg poravnan.", "open_work": "keep"}
    assert post(worker, f"/cases/{number}/close", data).status_code == 302
    case_html = worker.get(f"/cases/{number}").get_data(as_text=True)
    data = {"version_id": version_of(case_html)}
    assert post(worker, f"/cases/{number}/reopen", data, page=f"/cases/{number}").status_code == 302
    return worker, number


def _titles(html: str) -> list[str]:
    return re.findall(r'<p class="meta"><strong>([^<]+)</strong>', html)


def test_the_history_shows_every_event_newest_first_with_who_and_when(app, worked_case):
    worker, number = worked_case
    html = worker.get(f"/cases/{number}/history").get_data(as_text=True)

    titles = _titles(html)
    assert titles[:2] == ["Case reopened", "Case closed"]
    for title in (
        "Legal deadline met",
        "Legal deadline added",
        "Plan goal added",
        "Phone call",
        "Referral accepted",
        "Referral sent",
        "Referral prepared",
        "Consent given",
        "Case opened",
    ):
        assert title in titles, (title, titles)
    assert titles.index("Referral accepted") < titles.index("Referral sent") < titles.index("Referral prepared")
    assert titles.index("Case closed") < titles.index("Legal deadline met") < titles.index("Legal deadline added")
    assert "Olga Novak" in html and "Društvo za pomoč" in html  # who: the worker, the organization
    assert "Vhod B." in html and "Appointment:" in html  # the answer's appointment
    assert "Outcome: Resolved" in html and "Outcome before reopening: Resolved" in html
    assert "Poklicala je glede računov." in html and "Urediti dolgove" in html
    # The organization's answer is shown on the office's clock.
    accepted = html.split("<strong>Referral accepted</strong>")[1].split("</li>")[0]
    assert WHEN.strftime("%-I:%M") in accepted or WHEN.strftime("%H:%M") in accepted


def test_the_history_is_filtered_by_kind(app, worked_case):
    worker, number = worked_case
    html = worker.get(f"/cases/{number}/history?kind=referral").get_data(as_text=True)
    assert set(_titles(html)) == {"Referral accepted", "Referral sent", "Referral prepared"}
    html = worker.get(f"/cases/{number}/history?kind=status").get_data(as_text=True)
    assert _titles(html) == ["Case reopened", "Case closed", "Case opened"]
    # An unknown kind is explained and the whole history is shown, never a server error.
    response = worker.get(f"/cases/{number}/history?kind=burn")
    assert response.status_code == 200 and "has-error" in response.get_data(as_text=True)
    assert "Case reopened" in response.get_data(as_text=True)


def test_reading_the_history_is_logged(app, worked_case):
    worker, number = worked_case
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count()).where(CaseAccess.what == "history"))
    assert worker.get(f"/cases/{number}/history").status_code == 200
    with app.app_context():
        rows = db.session.scalars(sa.select(CaseAccess).where(CaseAccess.what == "history")).all()
        case_id = db.session.scalar(sa.select(Case.id).where(Case.number == number))
    assert len(rows) == before + 1 and rows[-1].case_id == case_id and rows[-1].username == "olga"


def test_a_withdrawn_consent_and_the_referral_it_cancelled(app, login_as):
    worker = login_as("organizer", "olga")
    setup = referral_setup(app)
    number = setup["number"]
    referral_id = create_referral(worker, setup)
    send_referral(worker, setup, referral_id)
    with app.app_context():
        consent_id = db.session.scalar(sa.select(Consent.id))
    url = f"/cases/{number}/consents/{consent_id}/withdraw"
    html = worker.get(url).get_data(as_text=True)
    data = {"version_id": version_of(html), "withdrawn_on": today().isoformat()}
    assert post(worker, url, data).status_code == 302

    html = worker.get(f"/cases/{number}/history?kind=consent").get_data(as_text=True)
    assert _titles(html) == ["Consent withdrawn", "Consent given"]
    html = worker.get(f"/cases/{number}/history?kind=referral").get_data(as_text=True)
    assert _titles(html)[0] == "Referral cancelled" and "The person withdrew the consent." in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ReferralEvent)) == 3


def test_a_deadline_met_before_its_time_was_kept_shows_its_day(app, login_as):
    worker = login_as("lawyer", "petra")
    setup = referral_setup(app)
    with app.app_context():
        case = db.session.scalar(sa.select(Case))
        db.session.add(
            Deadline(
                case_id=case.id,
                served_on=date(2026, 1, 5),
                days=15,
                due_on=date(2026, 1, 20),
                done_on=date(2026, 1, 19),
            )
        )
        db.session.commit()
    html = worker.get(f"/cases/{setup['number']}/history?kind=deadline").get_data(as_text=True)
    met = html.split("<strong>Legal deadline met</strong>")[1].split("</li>")[0]
    assert 'datetime="2026-01-19"' in met and "Jan 19, 2026" in met and "· —" in met


def test_a_document_added_is_in_the_history(app, worked_case):
    from tests.document_helpers import png_bytes, upload

    worker, number = worked_case
    assert upload(worker, number, png_bytes(), title="Odločba o otroškem dodatku").status_code == 302
    html = worker.get(f"/cases/{number}/history?kind=document").get_data(as_text=True)
    assert _titles(html) == ["Document added"]
    assert "Odločba o otroškem dodatku (PNG, 1 kB)" in html and "Olga Novak" in html
    html = worker.get(f"/cases/{number}/history").get_data(as_text=True)
    assert _titles(html)[0] == "Document added"  # the newest event
