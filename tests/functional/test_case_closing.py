"""Closing a case with open plan steps and referrals (cancel them with a reason, or keep them),
and reopening: both go on the case's timeline with the outcome, which stays visible after the
case is reopened."""

import re

import pytest
import sqlalchemy as sa

from cases.models import Case, CaseOutcome, CaseStatus, EntryKind
from cases.plans.models import PlanChange, PlanStep, StepStatus
from cases.referrals.models import Referral, ReferralLink, ReferralStatus
from tests.functional.test_cases_intake import token_of, version_of
from tests.plan_factories import add_goal, add_step
from tests.ref_helpers import create_referral, referral_setup, send_referral
from welfare.extensions import db


@pytest.fixture
def staff(login_as):
    return login_as("organizer", "olga")


@pytest.fixture
def open_work(app, staff):
    """Case 2026-0077 with one step to do, one done, a sent referral and a draft one."""
    setup = referral_setup(app)
    with app.app_context():
        goal = add_goal(number=setup["number"])
        add_step(goal, title="Poklicati upnika")
        add_step(goal, title="Prinesti odločbo", status=StepStatus.DONE)
    sent = create_referral(staff, setup)
    assert send_referral(staff, setup, sent).status_code == 302
    return {**setup, "sent": sent}


def close_page(staff, number):
    return staff.get(f"/cases/{number}/close").get_data(as_text=True)


def close(staff, number, **fields):
    html = close_page(staff, number)
    closed_on = re.search(r'name="closed_on"[^>]*value="([\d-]+)"', html).group(1)
    data = {"csrf_token": token_of(html), "version_id": version_of(html), "closed_on": closed_on, **fields}
    return staff.post(f"/cases/{number}/close", data=data)


def timeline(app, number):
    with app.app_context():
        case = db.session.scalar(sa.select(Case).where(Case.number == number))
        return [(e.kind, e.outcome, e.text) for e in reversed(case.timeline)]


def test_closing_lists_the_open_work_and_asks_what_happens_to_it(app, staff, open_work):
    html = close_page(staff, open_work["number"])
    assert "Poklicati upnika" in html and "Prinesti odločbo" not in html  # only what is still to do
    assert "Dolžniško svetovanje" in html and "Sent" in html
    html = close(staff, open_work["number"], outcome="resolved", outcome_note="Dolg poravnan.").get_data(as_text=True)
    assert "Choose what happens to the open plan steps and referrals." in html
    assert "Dolg poravnan." in html  # nothing typed is lost
    html = close(staff, open_work["number"], outcome="resolved", outcome_note="Dolg poravnan.", open_work="cancel")
    html = html.get_data(as_text=True)
    assert "Say why the open steps and referrals are cancelled." in html and "Dolg poravnan." in html
    with app.app_context():
        assert db.session.scalar(sa.select(Case.status)) != CaseStatus.CLOSED


def test_close_and_cancel_the_open_work_with_a_reason(app, staff, open_work):
    response = close(
        staff,
        open_work["number"],
        outcome="resolved",
        outcome_note="Dolg poravnan.",
        open_work="cancel",
        cancel_reason="Oseba je dolg poravnala sama.",
    )
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalar(sa.select(Case))
        assert case.status == CaseStatus.CLOSED and case.outcome == CaseOutcome.RESOLVED
        steps = dict(db.session.execute(sa.select(PlanStep.title, PlanStep.status)).all())
        assert steps == {"Poklicati upnika": StepStatus.CANCELLED, "Prinesti odločbo": StepStatus.DONE}
        changes = [(c.field, c.new_value) for c in db.session.scalars(sa.select(PlanChange))]
        assert changes == [("status", "cancelled")]  # the plan history says so (stored encrypted)
        referral = db.session.get(Referral, open_work["sent"])
        assert referral.status == ReferralStatus.CANCELLED
        assert referral.closing_note == "Oseba je dolg poravnala sama."
        # The organization's link stops working with the cancellation.
        assert all(link.used_at for link in db.session.scalars(sa.select(ReferralLink)))
    [(kind, outcome, text)] = timeline(app, open_work["number"])
    assert (kind, outcome) == (EntryKind.CASE_CLOSED, CaseOutcome.RESOLVED)
    assert "Dolg poravnan." in text and "Oseba je dolg poravnala sama." in text
    page = staff.get(f"/cases/{open_work['number']}").get_data(as_text=True)
    assert "Case closed" in page and "Outcome: Resolved" in page


def test_close_and_keep_the_open_work(app, staff, open_work):
    response = close(staff, open_work["number"], outcome="partly_resolved", open_work="keep")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Case.status)) == CaseStatus.CLOSED
        assert db.session.scalar(sa.select(PlanStep.status).where(PlanStep.title == "Poklicati upnika")) == (
            StepStatus.OPEN
        )
        assert db.session.get(Referral, open_work["sent"]).status == ReferralStatus.SENT
    [(kind, outcome, text)] = timeline(app, open_work["number"])
    assert (kind, outcome) == (EntryKind.CASE_CLOSED, CaseOutcome.PARTLY_RESOLVED)
    assert "Kept open (plan steps: 1, referrals: 1)." in text


def test_a_case_without_open_work_closes_without_the_question(app, staff):
    setup = referral_setup(app)
    html = close_page(staff, setup["number"])
    assert "What happens to them?" not in html
    assert close(staff, setup["number"], outcome="withdrew").status_code == 302
    assert [(k, o) for k, o, _ in timeline(app, setup["number"])] == [(EntryKind.CASE_CLOSED, CaseOutcome.WITHDREW)]


def test_reopen_keeps_the_earlier_outcome_in_the_history(app, staff):
    setup = referral_setup(app)
    number = setup["number"]
    assert close(staff, number, outcome="not_resolved", outcome_note="Ni se več oglasila.").status_code == 302
    page = staff.get(f"/cases/{number}").get_data(as_text=True)
    response = staff.post(
        f"/cases/{number}/reopen", data={"csrf_token": token_of(page), "version_id": version_of(page)}
    )
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalar(sa.select(Case))
        assert (case.status, case.outcome, case.outcome_note) == (CaseStatus.ACTIVE, None, "")
    entries = timeline(app, number)
    assert [(k, o) for k, o, _ in entries] == [
        (EntryKind.CASE_CLOSED, CaseOutcome.NOT_RESOLVED),
        (EntryKind.CASE_REOPENED, CaseOutcome.NOT_RESOLVED),
    ]
    assert "Ni se več oglasila." in entries[1][2]
    page = staff.get(f"/cases/{number}").get_data(as_text=True)
    assert "Case reopened" in page and "Outcome before reopening: Not resolved" in page
    assert "Outcome: Not resolved" in page and "Ni se več oglasila." in page

    # Closed again with another outcome: both closings stay in the history.
    assert close(staff, number, outcome="resolved").status_code == 302
    page = staff.get(f"/cases/{number}").get_data(as_text=True)
    assert "Outcome: Resolved" in page and "Outcome: Not resolved" in page


def test_the_entry_form_does_not_offer_the_closing_kinds(app, staff):
    number = referral_setup(app)["number"]
    html = staff.get(f"/cases/{number}/timeline/new").get_data(as_text=True)
    assert 'value="case_closed"' not in html
    response = staff.post(
        f"/cases/{number}/timeline/new",
        data={
            "csrf_token": token_of(html),
            "kind": "case_closed",
            "occurred_at": "2026-01-10T10:00",
            "text": "Zaprto.",
        },
    )
    assert response.status_code == 200 and "Zaprto." in response.get_data(as_text=True)
    assert timeline(app, number) == []
