from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cases.drafts import forget_draft, restore_draft
from cases.needs import bp, services
from cases.needs.forms import NeedForm
from cases.services import get_case_or_404
from welfare.errors import DomainError
from welfare.forms import show_domain_error


@bp.route("/<number>/needs/new", methods=["GET", "POST"])
def new_need(number: str):
    case = get_case_or_404(number)
    form = NeedForm()
    if request.method == "GET":
        if not restore_draft(form) and case.challenges:
            form.domain_id.data = case.challenges[0].domain_id
    elif form.validate_on_submit():
        try:
            forget_draft()
            services.record_need(case, form.domain_id.data, form.kind.data, form.note.data or "", current_user)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Unmet need recorded."), "success")
            return redirect(url_for("referrals.index", number=case.number))
    return render_template("cases/needs/form.html", case=case, form=form)
