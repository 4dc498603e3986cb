"""Persons: the search, a person's page, correcting the record (GDPR Art. 16), its history,
merging a duplicate into it.

Every page here shows personal data, so each loads the person through `get_person_or_404`,
which writes the access-log row of the read.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cases import places
from cases.access_log import log_reads, log_search
from cases.drafts import forget_draft, restore_draft
from cases.intake import bp, person_services
from cases.intake import persons as people
from cases.intake.person_forms import MergeChoiceForm, MergeConfirmForm, PersonEditForm
from cases.models import Person
from cases.services import get_person_or_404
from welfare.database import begin_write
from welfare.errors import Conflict, DomainError
from welfare.forms import show_domain_error


def _to_person(person: Person):
    return redirect(url_for("intake.person", person_id=person.id))


@bp.route("/persons", methods=["GET", "POST"])
def persons():
    """The search is posted, never in the URL (a name in a URL lands in every server log); each
    search writes its access rows: how many, the query's keyed hash, and each person shown."""
    query = request.form.get("q", "").strip()[:200] if request.method == "POST" else ""
    results = people.find_persons(query) if query else people.PersonResults()
    if query:
        log_search(query, results.ids)
    return render_template(
        "cases/intake/persons.html",
        query=query,
        persons=results.found,
        similar=results.similar,
        limit=people.SEARCH_LIMIT,
    )


@bp.route("/persons/<int:person_id>")
def person(person_id: int):
    record = get_person_or_404(person_id)
    begin_write()
    people.view_person(record)
    # A merged record points to the person its cases went to (shown with a link, logged too).
    merged_into = people.final_person(record) if record.merged_into_id else None
    if merged_into is not None:
        log_reads([(None, merged_into.id)], what="person")
    return render_template("cases/intake/person.html", person=record, merged_into=merged_into)


@bp.route("/persons/<int:person_id>/edit", methods=["GET", "POST"])
def edit_person(person_id: int):
    person = get_person_or_404(person_id)
    if person.merged_into_id:
        flash(_("This record was merged into another person: correct that person instead."), "info")
        return _to_person(people.final_person(person))
    form = PersonEditForm()
    if request.method == "GET" and not restore_draft(form):
        form.load(person)
    if form.validate_on_submit():
        try:
            forget_draft()
            changed = person_services.update_person(person, form.version_id.data, form.person_data(), current_user)
        except DomainError as exc:
            show_domain_error(form, exc)
            if isinstance(exc, Conflict):  # saving again is then a decision made on the current record
                form.version_id.data = str(person.version_id)
        else:
            flash(_("The person's record was corrected.") if changed else _("Nothing was changed."), "success")
            return _to_person(person)
    return render_template(
        "cases/intake/person_edit.html", form=form, person=person, municipalities=places.municipalities()
    )


@bp.route("/persons/<int:person_id>/history")
def person_history(person_id: int):
    person = get_person_or_404(person_id)
    merged = person_services.merged_records(person)
    log_reads([(None, other.id) for other in merged], what="person")  # their old names are shown too
    return render_template(
        "cases/intake/person_history.html", person=person, changes=person_services.history(person), merged=merged
    )


@bp.route("/persons/<int:person_id>/merge", methods=["GET", "POST"])
def merge_candidates(person_id: int):
    """Possible duplicates of this person, and a field for the number of one not suggested."""
    person = get_person_or_404(person_id)
    if person.merged_into_id:
        return _to_person(people.final_person(person))
    form = MergeChoiceForm()
    if form.validate_on_submit():
        return redirect(url_for("intake.merge_person", person_id=person.id, other_id=form.other_id.data))
    suggested = [
        s
        for s in people.likely_duplicates(person.first_name, person.last_name, person.birth_year, person.birth_date)
        if s.person.id != person.id
    ]
    log_reads([(None, s.person.id) for s in suggested], what="duplicate_check")
    return render_template("cases/intake/person_merge.html", person=person, suggested=suggested, form=form)


@bp.route("/persons/<int:person_id>/merge/<int:other_id>", methods=["GET", "POST"])
def merge_person(person_id: int, other_id: int):
    """Both records side by side; confirming moves the other's cases here and marks it merged."""
    person, other = get_person_or_404(person_id), get_person_or_404(other_id)
    form = MergeConfirmForm()
    if request.method == "GET":
        form.kept_version.data, form.other_version.data = str(person.version_id), str(other.version_id)
    if form.validate_on_submit():
        try:
            numbers = person_services.merge_persons(
                person, other, form.kept_version.data, form.other_version.data, current_user
            )
        except person_services.AlreadyMerged as exc:  # a second click: the first one did it
            flash(exc.message, "info")
            return _to_person(person)
        except DomainError as exc:
            show_domain_error(form, exc)
            form.kept_version.data, form.other_version.data = str(person.version_id), str(other.version_id)
        else:
            flash(_("The duplicate was merged; cases moved: %(cases)s.", cases=", ".join(numbers) or "—"), "success")
            return _to_person(person)
    return render_template("cases/intake/person_merge_confirm.html", person=person, other=other, form=form)
