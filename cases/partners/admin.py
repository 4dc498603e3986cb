"""Administrators invite partners (/admin/partners/): an account for one organization, with
the same one-time enrollment link as staff. Only administrators: they manage every account
(enable, disable, a lost second factor), so a partner's access is decided where all access is."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cases.partners import admin_bp
from cases.partners import services as partners
from cases.partners.forms import InviteForm
from welfare.auth.decorators import admin_required
from welfare.errors import DomainError
from welfare.forms import show_domain_error


@admin_bp.route("/")
@admin_required
def index():
    rows = partners.partners()
    return render_template(
        "cases/partners/admin_index.html",
        partners=rows,
        organization_names=partners.organization_names(u.partner_organization_id for u in rows),
    )


@admin_bp.route("/new", methods=["GET", "POST"])
@admin_required
def invite():
    form = InviteForm(organizations=partners.organizations())
    if form.validate_on_submit():
        try:
            user = partners.invite_partner(
                form.username.data,
                form.full_name.data or "",
                form.email.data,
                form.organization_id.data,
                actor=current_user,
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Partner %(name)s invited; the enrollment link was e-mailed.", name=user.username), "success")
            return redirect(url_for("partner_admin.index"))
    return render_template("cases/partners/admin_invite.html", form=form)
