"""Reading the plan: records by id within their case, the owners a step can have, the plan as
the plan page, the case page and the printed copy show it."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from cases.models import Case, Deadline
from cases.plans import deadlines as calc
from cases.plans import history
from cases.plans.models import GoalStatus, PlanGoal, PlanReview, PlanStep, StepOwner, StepStatus
from cases.services import get_child_or_404
from catalog.models import Organization
from welfare.clock import today
from welfare.extensions import db
from welfare.models import STAFF_ROLES, User


def get_goal_or_404(case: Case, goal_id: int) -> PlanGoal:
    """:raise 404: no such goal in this case."""
    return get_child_or_404(PlanGoal, goal_id, PlanGoal.case_id == case.id)


def get_step_or_404(case: Case, step_id: int) -> PlanStep:
    """:raise 404: no such step in a goal of this case."""
    return get_child_or_404(
        PlanStep, step_id, PlanStep.goal_id.in_(sa.select(PlanGoal.id).where(PlanGoal.case_id == case.id))
    )


def get_review_or_404(case: Case, review_id: int) -> PlanReview:
    """:raise 404: no such review in this case."""
    return get_child_or_404(PlanReview, review_id, PlanReview.case_id == case.id)


def get_deadline_or_404(case: Case, deadline_id: int) -> Deadline:
    """:raise 404: no such deadline in this case."""
    return get_child_or_404(Deadline, deadline_id, Deadline.case_id == case.id)


def staff_choices() -> list[tuple[str, str]]:
    """Team members a step can be given to: enabled users of the three office roles."""
    users = db.session.scalars(
        sa.select(User)
        .where(User.role.in_(STAFF_ROLES), User.is_enabled.is_(True))
        .order_by(User.full_name, User.username)
    )
    return [(str(u.id), u.full_name or u.username) for u in users]


def organization_choices() -> list[tuple[str, str]]:
    """Organizations of the catalog a step can be given to (not archived)."""
    orgs = db.session.scalars(
        sa.select(Organization).where(Organization.archived_at.is_(None)).order_by(Organization.name)
    )
    return [(o.id, o.name) for o in orgs]


def goals_of(case: Case) -> list[PlanGoal]:
    """Open goals first, then achieved and dropped, each in the order they were agreed."""
    order = sa.case({GoalStatus.OPEN.value: 0, GoalStatus.ACHIEVED.value: 1}, value=PlanGoal.status, else_=2)
    return list(db.session.scalars(sa.select(PlanGoal).where(PlanGoal.case_id == case.id).order_by(order, PlanGoal.id)))


def reviews_of(case: Case) -> list[PlanReview]:
    return list(
        db.session.scalars(
            sa.select(PlanReview).where(PlanReview.case_id == case.id).order_by(PlanReview.review_on, PlanReview.id)
        )
    )


def next_review(case: Case) -> PlanReview | None:
    """The earliest review not held yet (it may be overdue)."""
    return db.session.scalar(
        sa.select(PlanReview)
        .where(PlanReview.case_id == case.id, PlanReview.held_on.is_(None))
        .order_by(PlanReview.review_on, PlanReview.id)
        .limit(1)
    )


def deadlines_of(case: Case) -> list[tuple[Deadline, dict]]:
    """Every deadline of the case with its `deadline_status`, open ones first, earliest first."""
    on = today()
    rows = sorted(case.deadlines, key=lambda d: (d.done_on is not None, d.due_on, d.id))
    return [(d, deadline_status(d, on)) for d in rows]


def panel_of(case: Case) -> dict:
    """What the case page shows of the plan: open goals with their open steps, the next review,
    and the open deadlines with their warnings."""
    goals = [g for g in goals_of(case) if g.status == GoalStatus.OPEN]
    return {
        "goals": [(g, [s for s in g.steps if s.status == StepStatus.OPEN]) for g in goals],
        "next_review": next_review(case),
        "deadlines": [(d, status) for d, status in deadlines_of(case) if d.done_on is None],
        "today": today(),
    }


@dataclass(frozen=True)
class PrintedStep:
    title: str
    who: str
    due_on: date | None
    done: bool


def _who(step: PlanStep, office_name: str) -> str:
    """Who does a step, in words for the person reading their copy."""
    if step.owner == StepOwner.PERSON:
        return _("You")
    name = history.owner_name(step)
    if step.owner == StepOwner.STAFF:
        return f"{name} ({office_name})" if name else office_name
    return name


def challenge_choices(case: Case) -> list[tuple[int, str]]:
    """The case's challenges for the goal form: life domain, and the start of the description."""
    names = history.challenge_names(case.challenges)
    return [
        (c.id, f"{name} – {c.description[:60]}" if c.description else name)
        for c, name in zip(case.challenges, names, strict=True)
    ]


def printable_plan(case: Case, office_name: str = "") -> dict:
    """The plan as the person's copy shows it: goals still open or achieved, steps not cancelled,
    who does each and by when, and the next review. Never notes or staff-only fields."""
    goals = []
    for goal in goals_of(case):
        if goal.status == GoalStatus.DROPPED:
            continue
        steps = [
            PrintedStep(s.title, _who(s, office_name), s.due_on, s.status == StepStatus.DONE)
            for s in goal.steps
            if s.status != StepStatus.CANCELLED
        ]
        goals.append(
            {
                "title": goal.title,
                "achieved": goal.status == GoalStatus.ACHIEVED,
                "target_on": goal.target_on,
                "answers": [name for name in history.challenge_names(goal.challenges) if name],
                "steps": steps,
            }
        )
    review = next_review(case)
    return {"goals": goals, "next_review_on": review.review_on if review else None, "printed_on": today()}


def deadline_status(deadline: Deadline, on: date | None = None) -> dict:
    """Working days left and whether to warn (3 working days or fewer, or overdue)."""
    on = on or today()
    left = calc.working_days_until(on, deadline.due_on)
    return {
        "left": left,
        "warn": deadline.done_on is None and left <= calc.WARN_WORKING_DAYS,
        "overdue": deadline.done_on is None and deadline.due_on < on,
    }
