"""Small factories for case and plan test data (real models, real session, committed)."""

from datetime import timedelta

import sqlalchemy as sa

from cases.models import Case, CaseStatus, LegalBasis, Person
from cases.plans.models import PlanGoal, PlanStep
from welfare.clock import today
from welfare.extensions import db
from welfare.models import User

NUMBER = "2026-0042"


def make_case(number=NUMBER, opened_on=None, status=CaseStatus.OPEN, assignees=(), first_name="Ana") -> Case:
    person = Person(first_name=first_name, last_name="Testna", name_key=f"testna {first_name.lower()}")
    case = Case(
        number=number,
        person=person,
        status=status,
        legal_basis=LegalBasis.SOCIAL_CARE,
        opened_on=opened_on or today() - timedelta(days=30),
    )
    case.assignees = list(assignees)
    db.session.add(case)
    db.session.commit()
    return case


def user_named(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def add_goal(title="Urediti dolgove", number=NUMBER) -> PlanGoal:
    case = db.session.scalar(sa.select(Case).where(Case.number == number))
    goal = PlanGoal(case_id=case.id, title=title)
    db.session.add(goal)
    db.session.commit()
    return goal


def add_step(goal, title="Poklicati upnika", due_on=None, **kwargs) -> PlanStep:
    step = PlanStep(goal=goal, title=title, due_on=due_on or today() + timedelta(days=7), **kwargs)
    db.session.add(step)
    db.session.commit()
    return step
