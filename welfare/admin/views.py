import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from welfare import params
from welfare.admin import bp
from welfare.admin.forms import AuditFilterForm, NewUserForm, PasswordForm, UserForm
from welfare.auth import services, throttle
from welfare.auth.decorators import admin_required
from welfare.errors import DomainError
from welfare.extensions import db
from welfare.forms import show_domain_error, submitted_version
from welfare.models import AuditEvent, Role, User


@bp.route("/users")
@admin_required
def users():
    rows = db.session.scalars(sa.select(User).order_by(User.username)).all()
    # The alert: someone has been guessing at these usernames' passwords.
    return render_template("admin/users.html", users=rows, locked=throttle.locked_usernames())


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def new_user():
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                form.username.data,
                Role(form.role.data),
                form.password.data,
                form.full_name.data or "",
                actor=current_user,
                is_enabled=form.is_enabled.data,
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("User %(name)s created.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user) if request.method == "GET" else UserForm()
    if request.method == "GET":
        form.role.data = user.role.value
    if form.validate_on_submit():
        try:
            services.update_user(
                user,
                full_name=form.full_name.data,
                role=Role(form.role.data),
                is_enabled=form.is_enabled.data,
                version_id=submitted_version(form.version_id.data),
                actor=current_user,
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Changes to %(name)s saved.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user, password_form=PasswordForm(formdata=None))


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@admin_required
def set_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password(user, form.password.data, actor=current_user)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Password of %(name)s changed; their sessions have ended.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    user_form = UserForm(obj=user, formdata=None)
    user_form.role.data = user.role.value
    return render_template("admin/user_form.html", form=user_form, user=user, password_form=form), 400


@bp.route("/audit")
@admin_required
def audit_log():
    form = AuditFilterForm(request.args)
    query = sa.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if form.validate() and form.action.data:
        query = query.where(AuditEvent.action == form.action.data.strip())
    page = params.paginate(query, per_page=50)
    return render_template("admin/audit.html", page=page, form=form)
