"""Business rules of the individual plan and the lawyer's deadlines.

Every saving function is one user action: it validates, changes the records, writes the plan
history and an access-log row, and commits (optimistic locking through `commit_or_conflict`).
"""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from cases import events
from cases.access_log import AccessAction, record_access
from cases.models import Case, CaseStatus, Deadline, DeadlineKind
from cases.plans import deadlines as calc
from cases.plans import history
from cases.plans.models import GoalStatus, PlanGoal, PlanReview, PlanStep, StepOwner, StepStatus
from catalog.models import Organization
from welfare.clock import today
from welfare.database import utcnow
from welfare.errors import ValidationFailed
from welfare.extensions import db
from welfare.models import STAFF_ROLES, User
from welfare.versioning import check_version, commit_or_conflict

# --- changing the plan --------------------------------------------------------------------


def _refuse_if_closed(case: Case) -> None:
    if case.is_closed:
        raise ValidationFailed(_("This case is closed. Reopen it to change the plan or its deadlines."))


def _check_date(case: Case, value: date | None, field: str) -> None:
    if value is not None and value < case.opened_on:
        raise ValidationFailed(
            _("The date cannot be before the case was opened (%(date)s).", date=case.opened_on.strftime("%d. %m. %Y")),
            field,
        )


@dataclass
class GoalData:
    title: str
    status: str = GoalStatus.OPEN.value
    target_on: date | None = None
    challenge_ids: list[int] = field(default_factory=list)


def _apply_goal(case: Case, goal: PlanGoal, data: GoalData) -> None:
    """:raise ValidationFailed: a target date before the case opened, a challenge of another case."""
    _check_date(case, data.target_on, "target_on")
    wanted = set(data.challenge_ids)
    challenges = [c for c in case.challenges if c.id in wanted]
    if len(challenges) != len(wanted):
        raise ValidationFailed(_("Choose challenges of this case only."), "challenge_ids")
    goal.title = data.title.strip()
    goal.status = GoalStatus(data.status)
    goal.target_on = data.target_on
    goal.challenges = challenges


def add_goal(case: Case, data: GoalData, user) -> PlanGoal:
    """Agree a new goal with the person; the first goal makes an open case active.

    :raise ValidationFailed: see `_apply_goal`."""
    _refuse_if_closed(case)
    goal = PlanGoal(case_id=case.id, created_by_id=user.id)
    with db.session.no_autoflush:
        _apply_goal(case, goal, GoalData(data.title, GoalStatus.OPEN.value, data.target_on, data.challenge_ids))
    db.session.add(goal)
    if case.status == CaseStatus.OPEN:
        # Work on the case has started: it now follows a plan.
        case.status = CaseStatus.ACTIVE
    history.record_created(case.id, goal, user)
    record_access(AccessAction.CREATE, case_id=case.id, person_id=case.person_id, what="plan", user=user)
    events.case_changed(case)  # the first goal dates the first plan
    commit_or_conflict()
    return goal


def update_goal(case: Case, goal: PlanGoal, data: GoalData, user, version: int | str | None) -> None:
    """:raise Conflict: the goal changed since the form was loaded. :raise ValidationFailed: see `_apply_goal`."""
    _refuse_if_closed(case)
    check_version(goal, version)
    before = history.snapshot(goal)
    _apply_goal(case, goal, data)
    if history.record_updated(case.id, goal, before, user):
        record_access(AccessAction.EDIT, case_id=case.id, person_id=case.person_id, what="plan", user=user)
    commit_or_conflict()


@dataclass
class StepData:
    title: str
    owner: str
    owner_user_id: int | None = None
    owner_organization_id: str | None = None
    due_on: date | None = None
    status: str = StepStatus.OPEN.value


def _apply_step(case: Case, step: PlanStep, data: StepData) -> None:
    # The lookups below must not flush a new step before its fields are set.
    with db.session.no_autoflush:
        _apply_step_fields(case, step, data)


def _apply_step_fields(case: Case, step: PlanStep, data: StepData) -> None:
    _check_date(case, data.due_on, "due_on")
    owner = StepOwner(data.owner)
    user_id = data.owner_user_id if owner == StepOwner.STAFF else None
    org_id = data.owner_organization_id if owner == StepOwner.ORGANIZATION else None
    if owner == StepOwner.STAFF:
        user = db.session.get(User, user_id) if user_id else None
        if user is None or user.role not in STAFF_ROLES:
            raise ValidationFailed(_("Choose the team member who does this step."), "owner_user_id")
    if owner == StepOwner.ORGANIZATION and (not org_id or db.session.get(Organization, org_id) is None):
        raise ValidationFailed(_("Choose the organization that does this step."), "owner_organization_id")
    status = StepStatus(data.status)
    if status == StepStatus.DONE and step.status != StepStatus.DONE:
        step.done_on = today()
    elif status != StepStatus.DONE:
        step.done_on = None
    step.title = data.title.strip()
    step.owner, step.owner_user_id, step.owner_organization_id = owner, user_id, org_id
    step.owner_user = db.session.get(User, user_id) if user_id else None
    step.due_on = data.due_on
    step.status = status


def add_step(case: Case, goal: PlanGoal, data: StepData, user) -> PlanStep:
    """Add a step under a goal. :raise ValidationFailed: a due date before the case opened, no owner."""
    _refuse_if_closed(case)
    step = PlanStep(goal=goal, status=StepStatus.OPEN)
    _apply_step(case, step, data)
    db.session.add(step)
    history.record_created(case.id, step, user)
    record_access(AccessAction.CREATE, case_id=case.id, person_id=case.person_id, what="plan", user=user)
    commit_or_conflict()
    return step


def update_step(case: Case, step: PlanStep, data: StepData, user, version: int | str | None) -> None:
    """:raise Conflict: the step changed since the form was loaded. :raise ValidationFailed: see add_step."""
    _refuse_if_closed(case)
    check_version(step, version)
    before = history.snapshot(step)
    _apply_step(case, step, data)
    if history.record_updated(case.id, step, before, user):
        record_access(AccessAction.EDIT, case_id=case.id, person_id=case.person_id, what="plan", user=user)
    commit_or_conflict()


def add_review(case: Case, review_on: date, user) -> PlanReview:
    """Plan a review of the plan with the person."""
    _refuse_if_closed(case)
    _check_date(case, review_on, "review_on")
    review = PlanReview(case_id=case.id, review_on=review_on, created_by_id=user.id, note="")
    db.session.add(review)
    history.record_created(case.id, review, user)
    record_access(AccessAction.CREATE, case_id=case.id, person_id=case.person_id, what="plan", user=user)
    commit_or_conflict()
    return review


def mark_review_held(case: Case, review: PlanReview, held_on: date, note: str, user) -> None:
    """Record that the review took place, with what was agreed."""
    _refuse_if_closed(case)
    _check_date(case, held_on, "held_on")
    if held_on > today():
        raise ValidationFailed(_("A review cannot be held in the future."), "held_on")
    before = history.snapshot(review)
    review.held_on, review.note = held_on, note.strip()
    history.record_updated(case.id, review, before, user)
    record_access(AccessAction.EDIT, case_id=case.id, person_id=case.person_id, what="plan", user=user)
    commit_or_conflict()


def open_steps_of(case: Case) -> list[PlanStep]:
    """The plan's steps still to do, by due date."""
    return list(
        db.session.scalars(
            sa.select(PlanStep)
            .join(PlanGoal)
            .where(PlanGoal.case_id == case.id, PlanStep.status == StepStatus.OPEN)
            .order_by(PlanStep.due_on, PlanStep.id)
        )
    )


def cancel_open_steps(case: Case, user) -> int:
    """Cancel the open steps of a case being closed (each change in the plan history). Part of
    the caller's transaction (no commit): the reason is on the case's closing entry. Returns how many."""
    steps = open_steps_of(case)
    for step in steps:
        before = history.snapshot(step)
        step.status = StepStatus.CANCELLED
        history.record_updated(case.id, step, before, user)
    if steps:
        record_access(AccessAction.EDIT, case_id=case.id, person_id=case.person_id, what="plan", user=user)
    return len(steps)


def record_plan_view(case: Case, user) -> None:
    """An access-log row for reading the plan (the caller has switched the request to writing)."""
    record_access(AccessAction.VIEW, case_id=case.id, person_id=case.person_id, what="plan", user=user)
    db.session.commit()


def record_plan_print(case: Case, purpose: str, user) -> None:
    """:raise ValidationFailed: a purpose outside PRINT_PURPOSES."""
    from cases.access_log import PRINT_PURPOSES

    if purpose not in PRINT_PURPOSES:
        raise ValidationFailed(_("Choose why the plan is printed."), "purpose")
    record_access(
        AccessAction.PRINT, case_id=case.id, person_id=case.person_id, what="plan", purpose=purpose, user=user
    )
    db.session.commit()


# --- deadlines ----------------------------------------------------------------------------


def last_day(served_on: date, days: int) -> date:
    """The last day of a period served on `served_on` (the deadline form shows it while typing).

    :raise ValidationFailed: served in the future, or a period outside 1-365 days.
    """
    if served_on > today():
        raise ValidationFailed(_("The decision cannot be served in the future."), "served_on")
    if not 1 <= days <= 365:
        raise ValidationFailed(_("Enter a period between 1 and 365 days."), "days")
    return calc.due_date(served_on, days)


def add_deadline(case: Case, kind: str, title: str, served_on: date, days: int, user) -> Deadline:
    """A legal deadline; its last day is computed (weekends and public holidays move it on).

    :raise ValidationFailed: served in the future, or a period outside 1-365 days.
    """
    _refuse_if_closed(case)
    last_day(served_on, days)
    deadline = Deadline(
        case_id=case.id,
        kind=DeadlineKind(kind),
        title=title.strip(),
        served_on=served_on,
        days=days,
        due_on=calc.due_date(served_on, days),
        created_by_id=user.id,
    )
    db.session.add(deadline)
    record_access(AccessAction.CREATE, case_id=case.id, person_id=case.person_id, what="deadline", user=user)
    commit_or_conflict()
    return deadline


def mark_deadline_done(case: Case, deadline: Deadline, user) -> None:
    """The lawyer has acted on the deadline (e.g. the appeal was filed)."""
    _refuse_if_closed(case)
    if deadline.done_on is not None:
        raise ValidationFailed(_("This deadline is already marked done."))
    deadline.done_on = today()
    deadline.done_at = utcnow()
    deadline.done_by_id = user.id
    record_access(AccessAction.EDIT, case_id=case.id, person_id=case.person_id, what="deadline", user=user)
    commit_or_conflict()


# --- for Moje delo and the calendar feed ---------------------------------------------------
