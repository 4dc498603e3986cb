"""The walk-in: the intake form (a new or known person, the case, its first challenges) and the
anonymous contact. (The person pages: person_views; the case pages: case_views.)"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cases import drafts, places
from cases.access_log import log_search
from cases.drafts import forget_draft, restore_draft
from cases.intake import bp, services
from cases.intake import persons as people
from cases.intake.walk_in_forms import AnonymousContactForm, ExistingPersonIntakeForm, IntakeForm
from cases.models import Channel, ContactAction
from cases.services import get_person_or_404
from welfare import params
from welfare.errors import DomainError
from welfare.forms import show_domain_error


def _chosen_person_id() -> str:
    """The person already on file this intake is for: the "use this person" button, the hidden
    field, the link's ?person=, or a draft kept while the session had expired."""
    if request.method == "POST":
        return request.form.get("use_person") or request.form.get("person_id") or ""
    chosen = request.args.get("person", "")
    if not chosen:
        draft = drafts.find(current_user.id, request.path)
        chosen = (draft.fields.get("person_id") or [""])[0] if draft else ""
    return chosen


def _intake_form():
    chosen = _chosen_person_id()
    if not chosen:
        return IntakeForm(), None
    person_id = params.whole_number(chosen)  # '²' is a digit to str.isdigit, not to this
    if person_id is None:
        abort(404)
    # A record merged into another: the case goes to the person it now lives on.
    existing = people.final_person(get_person_or_404(person_id))
    form = ExistingPersonIntakeForm()
    form.person_id.data = str(existing.id)
    return form, existing


@bp.route("/new", methods=["GET", "POST"])
def new_case():
    form, existing = _intake_form()
    duplicates = []
    if request.method == "GET" and not restore_draft(form):
        form.assignees.data = [current_user.id]
    if form.validate_on_submit():
        if existing is None and not request.form.get("confirm_new"):
            duplicates = people.likely_duplicates(
                form.first_name.data, form.last_name.data, form.birth_year_value, form.birth_date.data
            )
            if duplicates:  # persons on file are shown: a read like a search
                typed = f"{form.first_name.data} {form.last_name.data}"
                log_search(typed, [s.person.id for s in duplicates], what="duplicate_check")
        if not duplicates:
            try:
                forget_draft()
                case = services.open_case(
                    existing,
                    None if existing else form.person_data(),
                    form.legal_basis_value(),
                    form.assignees.data,
                    form.challenge_data(),
                    current_user,
                    contacts=form.contacts() if existing else None,
                )
            except DomainError as exc:
                show_domain_error(form, exc)
            else:
                flash(_("Case %(number)s opened.", number=case.number), "success")
                if existing:
                    _flash_contacts(form)
                return redirect(url_for("intake.case", number=case.number))
    return render_template(
        "cases/intake/new_case.html",
        form=form,
        existing=existing,
        open_cases=people.open_cases_of(existing) if existing else [],
        duplicates=duplicates,
        municipalities=places.municipalities(),
    )


def _flash_contacts(form) -> None:
    """Say what became of a phone or e-mail typed before the person was chosen: never dropped silently."""
    if not (form.phone.data or form.email.data):
        return
    if form.apply_contacts.data:
        flash(_("The phone and e-mail typed were saved to the person's record; earlier ones are in its history."))
    else:
        flash(_("The phone and e-mail typed were not saved to the person's record."), "info")


@bp.route("/contacts/new", methods=["GET", "POST"])
def new_contact():
    form = AnonymousContactForm()
    if request.method == "GET":
        restore_draft(form)
    if form.validate_on_submit():
        try:
            forget_draft()
            services.record_anonymous_contact(
                form.domains.data,
                Channel(form.channel.data),
                ContactAction(form.action.data),
                form.occurred_on.data,
                current_user,
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Anonymous contact recorded."), "success")
            return redirect(url_for("intake.new_contact"))
    return render_template("cases/intake/new_contact.html", form=form)
