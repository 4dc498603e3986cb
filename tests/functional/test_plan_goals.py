"""A goal's target date and the challenges it answers: on the form, the plan page, the plan's
history and the person's printed copy, which also has lines to sign it."""

import re
from datetime import date

import pytest
import sqlalchemy as sa
from babel.dates import format_date

from cases.models import Case, Challenge, Urgency
from cases.plans.models import PlanChange, PlanGoal
from catalog.models import TAXONOMY_DOMAINS, TaxonomyTerm
from catalog.seed import term_id
from tests.conftest import csrf_token
from tests.intake_factories import make_case, make_person
from welfare.extensions import db
from welfare.models import User

NUMBER = "2026-0142"
TARGET = date(2027, 3, 31)


@pytest.fixture
def worker(app, login_as):
    client = login_as("social_worker", "maja")
    with app.app_context():
        db.session.scalar(sa.select(User).where(User.username == "maja")).full_name = "Maja Novak"
        db.session.commit()
    return client


@pytest.fixture
def case(app):
    """A case with two challenges (debts, housing), and another case with its own challenge."""
    with app.app_context():
        case = make_case(number=NUMBER)
        case.challenges.append(
            Challenge(
                domain_id=term_id(TAXONOMY_DOMAINS, "stanovanje"), description="Grozi deložacija.", urgency=Urgency.HIGH
            )  # fmt: skip
        )
        other = make_case(make_person("Boris", "Zupan"), number="2026-0143")
        db.session.commit()
        names = dict(db.session.execute(sa.select(TaxonomyTerm.id, TaxonomyTerm.name)).all())
        return {
            "challenges": [(c.id, names[c.domain_id]) for c in case.challenges],
            "foreign": other.challenges[0].id,
            "opened_on": case.opened_on,
        }


def post(client, url, data):
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


def test_goal_with_a_target_date_and_the_challenges_it_answers(app, worker, case):
    (debt_id, debt), (housing_id, housing) = case["challenges"]
    form = worker.get(f"/cases/{NUMBER}/plan/goals/new").get_data(as_text=True)
    assert debt in form and housing in form and "Grozi deložacija." in form  # the team sees which one
    response = post(
        worker,
        f"/cases/{NUMBER}/plan/goals/new",
        {"title": "Obdržati stanovanje", "target_on": "2027-03-31", "challenge_ids": [str(housing_id)]},
    )
    assert response.status_code == 302
    with app.app_context():
        goal = db.session.scalar(sa.select(PlanGoal))
        assert goal.target_on.isoformat() == "2027-03-31"
        assert [c.id for c in goal.challenges] == [housing_id]
        history = {(c.field, c.new_value) for c in db.session.scalars(sa.select(PlanChange))}
        assert ("target_on", "2027-03-31") in history and ("challenges", housing) in history
    plan = worker.get(f"/cases/{NUMBER}/plan").get_data(as_text=True)
    assert (
        f"Target date: {format_date(TARGET, 'medium', locale='en')}" in plan
        and f"Answers the challenges: {housing}" in plan
    )

    # Editing: the saved challenges are ticked; ticking the other one too is recorded.
    edit_url = f"/cases/{NUMBER}/plan/goals/{goal.id}/edit"
    html = worker.get(edit_url).get_data(as_text=True)
    assert re.search(rf'<input checked[^>]*value="{housing_id}"', html)
    assert not re.search(rf'<input checked[^>]*value="{debt_id}"', html)
    version = re.search(r'name="version_id" type="hidden" value="(\d+)"', html).group(1)
    data = {"title": "Obdržati stanovanje", "status": "open", "target_on": "", "version_id": version}
    assert post(worker, edit_url, {**data, "challenge_ids": [str(debt_id), str(housing_id)]}).status_code == 302
    with app.app_context():
        goal = db.session.get(PlanGoal, goal.id)
        assert goal.target_on is None and sorted(c.id for c in goal.challenges) == sorted([debt_id, housing_id])


def test_goal_target_before_the_case_opened_keeps_what_was_typed(app, worker, case):
    html = post(
        worker,
        f"/cases/{NUMBER}/plan/goals/new",
        {"title": "Urediti dolgove", "target_on": "2000-01-01", "challenge_ids": [str(case["challenges"][0][0])]},
    ).get_data(as_text=True)
    assert "The date cannot be before the case was opened" in html
    assert 'value="Urediti dolgove"' in html and 'value="2000-01-01"' in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PlanGoal.id))) == 0


def test_goal_cannot_answer_another_cases_challenge(app, worker, case):
    html = post(
        worker, f"/cases/{NUMBER}/plan/goals/new", {"title": "Tuj izziv", "challenge_ids": [str(case["foreign"])]}
    ).get_data(as_text=True)
    assert "Choose challenges of this case only." in html and 'value="Tuj izziv"' in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PlanGoal.id))) == 0
        assert db.session.scalar(sa.select(Case.status).where(Case.number == NUMBER)).value == "open"


def test_printed_plan_shows_target_and_challenges_and_has_lines_to_sign(app, worker, case):
    (_debt_id, debt), (housing_id, housing) = case["challenges"]
    post(
        worker,
        f"/cases/{NUMBER}/plan/goals/new",
        {"title": "Obdržati stanovanje", "target_on": "2027-03-31", "challenge_ids": [str(housing_id)]},
    )
    html = post(worker, f"/cases/{NUMBER}/plan/print", {"purpose": "for_person"}).get_data(as_text=True)
    assert (
        f"What it helps with: {housing}" in html
        and f"We want to reach it by: {format_date(TARGET, 'long', locale='en')}" in html
    )
    assert "Grozi deložacija." not in html  # the challenge's description stays internal
    signatures = html.split('id="signatures-heading"')[1].split("</section>")[0]
    for text in ("Date agreed", "Signature of the person", "Marija Horvat", "Signature of the worker", "Maja Novak"):
        assert text in signatures, text
