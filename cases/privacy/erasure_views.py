"""Erasure of a person, for administrators (/admin/erasure): find the person by number or case
number, see what would go (counts and case numbers only, never content), choose the legal
ground and type the person number or a case number again to confirm."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cases.models import Case, Person
from cases.privacy import erasure, erasure_bp
from cases.privacy.forms import ErasureForm, FindPersonForm
from welfare import params
from welfare.auth.decorators import admin_required
from welfare.errors import DomainError
from welfare.extensions import db
from welfare.forms import show_domain_error


def _find(text: str) -> Person | None:
    """The person with this number, or the person of the case with this number."""
    text = text.strip()
    person_id = params.whole_number(text)
    if person_id is not None:
        return db.session.get(Person, person_id)
    case = db.session.scalar(sa.select(Case).where(Case.number == text[:12]))
    return case.person if case else None


@erasure_bp.get("")
@admin_required
def index():
    """Name the person to erase."""
    form = FindPersonForm(request.args)
    if request.args.get("person") is not None and form.validate():
        person = _find(form.person.data)
        if person is not None:
            return redirect(url_for("erasure.confirm", person_id=person.id))
        form.person.errors.append(_("No person or case with this number."))
    return render_template("cases/privacy/erasure_find.html", form=form)


@erasure_bp.route("/<int:person_id>", methods=["GET", "POST"])
@admin_required
def confirm(person_id: int):
    """What erasing the person removes; the POST erases it."""
    person = db.get_or_404(Person, person_id)
    form = ErasureForm()
    if form.validate_on_submit():
        try:
            erasure.erase_person(person, form.reason.data, form.confirm.data, current_user)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(
                _("The person and every copy of their data were erased. The audit log records the erasure."), "success"
            )
            return redirect(url_for("erasure.index"))
    return render_template(
        "cases/privacy/erasure_confirm.html",
        form=form,
        summary=erasure.summarize(person),
        labels=erasure.ROW_LABELS,
    )
