"""An edit form opens with the saved choices selected. A select left blank made saving the case
unchanged fail ("Choose the legal basis"), and a status or urgency that fell back to the first
option was silently reset by a save (found by tests/functional/test_concurrency.py)."""

import re

import sqlalchemy as sa

from cases.models import Case, CaseStatus, LegalBasis, Urgency
from cases.plans.models import GoalStatus, StepStatus
from tests.intake_factories import make_case
from tests.plan_factories import add_goal, add_step
from welfare.extensions import db
from welfare.models import Role


def _selected(html: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option selected value="([^"]*)"', select) + re.findall(
        r'<option value="([^"]*)" selected', select
    )


def test_edit_forms_select_what_is_saved(app, login_as):
    client = login_as(Role.SOCIAL_WORKER)
    with app.app_context():
        case = make_case(number="2026-0042", status=CaseStatus.ACTIVE, legal_basis=LegalBasis.LEGAL_CLAIMS)
        challenge = case.challenges[0]
        challenge.urgency = Urgency.HIGH
        goal = add_goal(number="2026-0042")
        goal.status = list(GoalStatus)[-1]  # not the first option, which a blank select falls back to
        step = add_step(goal, status=list(StepStatus)[-1])
        db.session.commit()
        ids = (challenge.id, goal.id, step.id, goal.status.value, step.status.value)
        assert db.session.scalar(sa.select(Case.status)) == CaseStatus.ACTIVE
    challenge_id, goal_id, step_id, goal_status, step_status = ids
    page = client.get("/cases/2026-0042/edit").get_data(as_text=True)
    assert _selected(page, "legal_basis") == ["legal_claims"]
    assert _selected(page, "status") == ["active"]
    page = client.get(f"/cases/2026-0042/challenges/{challenge_id}/edit").get_data(as_text=True)
    assert _selected(page, "urgency") == ["high"]
    page = client.get(f"/cases/2026-0042/plan/goals/{goal_id}/edit").get_data(as_text=True)
    assert _selected(page, "status") == [goal_status]
    page = client.get(f"/cases/2026-0042/plan/steps/{step_id}/edit").get_data(as_text=True)
    assert _selected(page, "status") == [step_status]
