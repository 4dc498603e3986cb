import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from welfare import params
from welfare.accounts import grants
from welfare.accounts import services as accounts
from welfare.admin import bp
from welfare.admin.forms import ActionForm, AuditFilterForm, NewUserForm, UserForm
from welfare.auth import throttle, totp
from welfare.auth.decorators import admin_required
from welfare.errors import DomainError
from welfare.extensions import db
from welfare.forms import show_domain_error, submitted_version
from welfare.models import AuditEvent, Role, RoleGrant, User

GRANT_MESSAGES = {
    grants.PENDING: _l("The role takes effect once a second administrator confirms it."),
    grants.ANNOUNCED: _l("The office has one administrator: the role took effect and the case team was told."),
}


@bp.route("/users")
@admin_required
def users():
    rows = db.session.scalars(sa.select(User).order_by(User.username)).all()
    # The alert: someone has been guessing at these usernames' passwords.
    return render_template(
        "admin/users.html",
        users=rows,
        locked=throttle.locked_usernames(),
        pending=grants.pending(),
        action_form=ActionForm(),
    )


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def new_user():
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user, outcome = accounts.create_account(
                form.username.data,
                form.full_name.data or "",
                form.email.data,
                Role(form.role.data),
                actor=current_user,
                is_enabled=form.is_enabled.data,
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("User %(name)s created; the enrollment link was e-mailed.", name=user.username), "success")
            if outcome in GRANT_MESSAGES:
                flash(str(GRANT_MESSAGES[outcome]), "info")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    partner = user.role == Role.PARTNER
    form = UserForm(obj=user, partner=partner) if request.method == "GET" else UserForm(partner=partner)
    if request.method == "GET":
        form.role.data = user.role.value
    if form.validate_on_submit():
        try:
            outcome = accounts.update_account(
                user,
                full_name=form.full_name.data or "",
                email=form.email.data or "",
                role=Role(form.role.data),
                is_enabled=form.is_enabled.data,
                version_id=submitted_version(form.version_id.data),
                actor=current_user,
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Changes to %(name)s saved.", name=user.username), "success")
            if outcome in GRANT_MESSAGES:
                flash(str(GRANT_MESSAGES[outcome]), "info")
            return redirect(url_for("admin.users"))
    return _user_page(user, form)


def _user_page(user: User, form: UserForm, status: int = 200):
    return render_template(
        "admin/user_form.html",
        form=form,
        user=user,
        action_form=ActionForm(),
        waiting=grants.pending_for(user),
        recovery_left=totp.unused_recovery_codes(user) if user.has_totp else 0,
    ), status


@bp.route("/users/<int:user_id>/enrollment", methods=["POST"])
@admin_required
def resend_enrollment(user_id: int):
    """A new enrollment link by e-mail; the old one stops working."""
    user = db.get_or_404(User, user_id)
    if ActionForm().validate_on_submit():
        try:
            accounts.resend_enrollment(user, current_user)
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            flash(_("A new enrollment link was e-mailed to %(name)s.", name=user.username), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/second-factor/remove", methods=["POST"])
@admin_required
def remove_second_factor(user_id: int):
    """For a lost phone: the person sets up a new second factor at their next login."""
    user = db.get_or_404(User, user_id)
    if ActionForm().validate_on_submit() and user.has_totp:
        totp.remove(user, current_user)
        db.session.commit()
        flash(_("The second factor of %(name)s was removed.", name=user.username), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/grants/<int:grant_id>/<any(confirm, refuse):decision>", methods=["POST"])
@admin_required
def decide_grant(grant_id: int, decision: str):
    grant = db.get_or_404(RoleGrant, grant_id)
    if ActionForm().validate_on_submit():
        try:
            (grants.confirm if decision == "confirm" else grants.refuse)(grant, current_user)
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            flash(_("Role change confirmed.") if decision == "confirm" else _("Role change refused."), "success")
    return redirect(url_for("admin.users"))


@bp.route("/audit")
@admin_required
def audit_log():
    form = AuditFilterForm(request.args)
    query = sa.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if form.validate() and form.action.data:
        query = query.where(AuditEvent.action == form.action.data.strip())
    page = params.paginate(query, per_page=50)
    return render_template("admin/audit.html", page=page, form=form)
