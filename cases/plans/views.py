"""Plan and deadline pages: validate the form, call a service, flash, redirect.

Every form page posts to its own URL, offers back a draft kept across an expired session
(`restore_draft` on GET) and drops it in the same commit as the save (`forget_draft`).
"""

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from cases.drafts import forget_draft, restore_draft
from cases.models import Case
from cases.plans import bp, office_contact, queries
from cases.plans import services as plans
from cases.plans.forms import (
    ConfirmForm,
    DeadlineForm,
    DeadlinePreviewForm,
    GoalForm,
    PrintForm,
    ReviewForm,
    ReviewHeldForm,
    StepForm,
)
from cases.plans.history import challenge_names, history_of, owner_name
from cases.services import get_case_or_404
from welfare.clock import today
from welfare.database import begin_write
from welfare.errors import Conflict, DomainError, ValidationFailed
from welfare.extensions import db
from welfare.forms import show_domain_error


def case_page_url(case: Case) -> str:
    return url_for("intake.case", number=case.number)


@bp.app_context_processor
def plan_panel_helpers():
    """`plan_panel(case)` for the case page's plan and deadline summary (templates/cases/plans/_case_panel.html)."""
    return {"plan_panel": queries.panel_of, "step_owner_name": owner_name, "goal_challenge_names": challenge_names}


def _conflict(form, exc: DomainError, record):
    """Show the error keeping the input. After a conflict, return the record as saved now (the
    page shows it) and let the form carry its version, so saving again after comparing goes through."""
    show_domain_error(form, exc)
    if not isinstance(exc, Conflict):
        return None
    db.session.refresh(record)
    form.version_id.data = str(record.version_id)
    return record


@bp.route("/<number>/plan")
def plan(number: str):
    case = get_case_or_404(number)
    begin_write()
    plans.record_plan_view(case, current_user)
    return render_template(
        "cases/plans/plan.html",
        case=case,
        goals=queries.goals_of(case),
        reviews=queries.reviews_of(case),
        deadlines=queries.deadlines_of(case),
        history=history_of(case.id),
        today=today(),
        case_url=case_page_url(case),
    )


def _goal_form(case: Case, obj=None) -> GoalForm:
    challenges = queries.challenge_choices(case)
    return GoalForm(obj=obj, challenges=challenges) if obj is not None else GoalForm(challenges=challenges)


def _goal_data(form: GoalForm) -> plans.GoalData:
    return plans.GoalData(form.title.data, form.status.data, form.target_on.data, form.challenge_ids.data or [])


@bp.route("/<number>/plan/goals/new", methods=["GET", "POST"])
def new_goal(number: str):
    case = get_case_or_404(number)
    form = _goal_form(case)
    if request.method == "GET":
        restore_draft(form)
    elif form.validate_on_submit():
        try:
            forget_draft()
            plans.add_goal(case, _goal_data(form), current_user)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Goal added to the plan."), "success")
            return redirect(url_for("plans.plan", number=case.number))
    return render_template("cases/plans/goal_form.html", case=case, form=form, goal=None)


@bp.route("/<number>/plan/goals/<int:goal_id>/edit", methods=["GET", "POST"])
def edit_goal(number: str, goal_id: int):
    case = get_case_or_404(number)
    goal = queries.get_goal_or_404(case, goal_id)
    form = _goal_form(case, goal) if request.method == "GET" else _goal_form(case)
    conflict = None
    if request.method == "GET":
        form.status.data = goal.status.value
        form.challenge_ids.data = [c.id for c in goal.challenges]
        restore_draft(form)
    elif form.validate_on_submit():
        try:
            forget_draft()
            plans.update_goal(case, goal, _goal_data(form), current_user, form.version_id.data)
        except DomainError as exc:
            conflict = _conflict(form, exc, goal)
        else:
            flash(_("Goal saved."), "success")
            return redirect(url_for("plans.plan", number=case.number))
    return render_template("cases/plans/goal_form.html", case=case, form=form, goal=goal, conflict=conflict)


def _step_form(obj=None) -> StepForm:
    choices = {"staff": queries.staff_choices(), "organizations": queries.organization_choices()}
    return StepForm(obj=obj, **choices) if obj is not None else StepForm(**choices)


def _step_data(form: StepForm) -> plans.StepData:
    return plans.StepData(
        title=form.title.data,
        owner=form.owner.data,
        owner_user_id=form.owner_user(),
        owner_organization_id=form.owner_organization_id.data or None,
        due_on=form.due_on.data,
        status=form.status.data,
    )


@bp.route("/<number>/plan/goals/<int:goal_id>/steps/new", methods=["GET", "POST"])
def new_step(number: str, goal_id: int):
    case = get_case_or_404(number)
    goal = queries.get_goal_or_404(case, goal_id)
    form = _step_form()
    if request.method == "GET":
        restore_draft(form)
    elif form.validate_on_submit():
        try:
            forget_draft()
            plans.add_step(case, goal, _step_data(form), current_user)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Step added to the plan."), "success")
            return redirect(url_for("plans.plan", number=case.number))
    return render_template("cases/plans/step_form.html", case=case, goal=goal, form=form, step=None)


@bp.route("/<number>/plan/steps/<int:step_id>/edit", methods=["GET", "POST"])
def edit_step(number: str, step_id: int):
    case = get_case_or_404(number)
    step = queries.get_step_or_404(case, step_id)
    form = _step_form(step) if request.method == "GET" else _step_form()
    conflict = None
    if request.method == "GET":
        form.owner.data, form.status.data = step.owner.value, step.status.value
        form.owner_user_id.data = str(step.owner_user_id or "")
        form.owner_organization_id.data = step.owner_organization_id or ""
        restore_draft(form)
    elif form.validate_on_submit():
        try:
            forget_draft()
            plans.update_step(case, step, _step_data(form), current_user, form.version_id.data)
        except DomainError as exc:
            conflict = _conflict(form, exc, step)
        else:
            flash(_("Step saved."), "success")
            return redirect(url_for("plans.plan", number=case.number))
    return render_template(
        "cases/plans/step_form.html", case=case, goal=step.goal, form=form, step=step, conflict=conflict
    )


@bp.route("/<number>/plan/reviews/new", methods=["GET", "POST"])
def new_review(number: str):
    case = get_case_or_404(number)
    form = ReviewForm()
    if request.method == "GET":
        restore_draft(form)
    elif form.validate_on_submit():
        try:
            forget_draft()
            plans.add_review(case, form.review_on.data, current_user)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Review date added."), "success")
            return redirect(url_for("plans.plan", number=case.number))
    return render_template("cases/plans/review_form.html", case=case, form=form)


@bp.route("/<number>/plan/reviews/<int:review_id>/held", methods=["GET", "POST"])
def review_held(number: str, review_id: int):
    case = get_case_or_404(number)
    review = queries.get_review_or_404(case, review_id)
    form = ReviewHeldForm(held_on=review.held_on or today(), note=review.note)
    if request.method == "GET":
        restore_draft(form)
    elif form.validate_on_submit():
        try:
            forget_draft()
            plans.mark_review_held(case, review, form.held_on.data, form.note.data or "", current_user)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Review recorded as held."), "success")
            return redirect(url_for("plans.plan", number=case.number))
    return render_template("cases/plans/review_held_form.html", case=case, review=review, form=form)


@bp.route("/<number>/plan/print", methods=["GET", "POST"])
def print_plan(number: str):
    """Ask why the plan is printed (GET); the POST records it and answers with the printable plan."""
    case = get_case_or_404(number)
    form = PrintForm()
    if request.method == "GET":
        restore_draft(form)
    elif form.validate_on_submit():
        try:
            forget_draft()
            plans.record_plan_print(case, form.purpose.data, current_user)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            office = office_contact()
            plan = queries.printable_plan(case, office["name"])
            # The worker who prints the plan with the person is the one who signs it with them.
            worker = current_user.full_name or current_user.username
            return render_template("cases/plans/print.html", case=case, plan=plan, office=office, worker=worker)
    return render_template("cases/plans/print_form.html", case=case, form=form)


@bp.route("/<number>/deadlines/new", methods=["GET", "POST"])
def new_deadline(number: str):
    case = get_case_or_404(number)
    form = DeadlineForm()
    if request.method == "GET":
        restore_draft(form)
    elif form.validate_on_submit():
        try:
            forget_draft()
            deadline = plans.add_deadline(
                case, form.kind.data, form.title.data or "", form.served_on.data, form.days.data, current_user
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Deadline saved. The last day is %(date)s.", date=format_date(deadline.due_on, "full")), "success")
            return redirect(case_page_url(case))
    return render_template("cases/plans/deadline_form.html", case=case, form=form, case_url=case_page_url(case))


@bp.post("/deadlines/last-day")
def deadline_last_day():
    """The last day of a period as JSON, for the deadline form's preview while typing: dates and
    numbers in, a date out; no case, no person, nothing stored (so nothing to log)."""
    form = DeadlinePreviewForm()
    if not form.validate() or form.served_on.data is None:
        errors = [message for field in (form.served_on, form.days) for message in field.errors]
        return jsonify(error=str(errors[0]) if errors else ""), 400
    try:
        due = plans.last_day(form.served_on.data, form.period())
    except ValidationFailed as exc:
        return jsonify(error=str(exc)), 400
    text = _("The last day is %(date)s.", date=format_date(due, "full"))
    return jsonify(last_day=due.isoformat(), text=text)


@bp.route("/<number>/deadlines/<int:deadline_id>/done", methods=["POST"])
def deadline_done(number: str, deadline_id: int):
    case = get_case_or_404(number)
    deadline = queries.get_deadline_or_404(case, deadline_id)
    if ConfirmForm().validate_on_submit():
        try:
            plans.mark_deadline_done(case, deadline, current_user)
        except DomainError as exc:
            show_domain_error(ConfirmForm(), exc)
        else:
            flash(_("Deadline marked done."), "success")
    return redirect(
        request.form.get("back") == "plan" and url_for("plans.plan", number=case.number) or case_page_url(case)
    )
