from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from welfare.accounts import bp, grants, services
from welfare.accounts.forms import (
    PASSWORD_HINT,
    ChangePasswordForm,
    NewPasswordForm,
    RegenerateForm,
    ResetRequestForm,
    SetupCodeForm,
)
from welfare.auth import devices, login_flow, totp
from welfare.errors import DomainError
from welfare.extensions import db, limiter
from welfare.forms import show_domain_error
from welfare.passwords import verify_password

# Pages a person may open while their case-team role waits for a second administrator.
OPEN_WHILE_WAITING = ("accounts.", "auth.", "static", "favicon", "healthz")


@bp.before_app_request
def hold_ungranted_roles():
    """An account whose case-team role is not confirmed yet opens nothing of that role."""
    if current_user.is_authenticated and not current_user.role_granted:
        if not (request.endpoint or "").startswith(OPEN_WHILE_WAITING):
            return render_template(
                "errors/error.html",
                status=403,
                title=_("Waiting for confirmation"),
                message=_("Your role takes effect once a second administrator confirms it."),
            ), 403
    return None


@bp.app_template_global()
def role_announcements():
    """Case-team roles that took effect without a second administrator (the team's start page)."""
    return grants.recent_announcements()


@bp.after_request
def no_store(response):
    """Pages with one-time links, secrets and recovery codes are kept by no cache, and the link
    in the address bar goes to no other site."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _password_page(form, title: str, status: int = 200):
    return render_template("accounts/set_password.html", form=form, title=title, hint=PASSWORD_HINT), status


def _bad_link():
    return render_template(
        "errors/error.html",
        status=404,
        title=_("This link does not work"),
        message=_(
            "The link has expired, was already used, or a newer one was sent. "
            "Ask the administrator for a new enrollment link, or ask for a new password reset."
        ),
    ), 404


@bp.route("/account/enroll/<token>", methods=["GET", "POST"])
def enroll(token: str):
    row = services.open_token(token, services.ENROLL)
    if row is None:
        return _bad_link()
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.enroll(row, form.password.data)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            if totp.required_for(user):
                login_flow.begin(user, None, setup=True)
                flash(_("Your password is set. Now set up the second factor."), "success")
                return redirect(url_for("accounts.setup_second_factor"))
            flash(_("Your password is set. You can log in now."), "success")
            return redirect(url_for("auth.login"))
    return _password_page(form, _("Choose your password"))


@bp.route("/account/reset", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"], methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_reset(form.name.data)
        # The same answer whether the account exists or not.
        flash(_("If an account with an e-mail address matches, a link to reset the password is on its way."), "info")
        return redirect(url_for("auth.login"))
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/account/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    row = services.open_token(token, services.RESET)
    if row is None:
        return _bad_link()
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(row, form.password.data)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Your password is changed. Log in with it."), "success")
            return redirect(url_for("auth.login"))
    return _password_page(form, _("Choose a new password"))


@bp.route("/account")
@login_required
def overview():
    return render_template(
        "accounts/overview.html",
        recovery_left=totp.unused_recovery_codes(current_user) if current_user.has_totp else 0,
        waiting=grants.pending_for(current_user),
        regenerate_form=RegenerateForm(),
    )


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.password.data)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Your password is changed; your other sessions have ended."), "success")
            return redirect(url_for("accounts.overview"))
    return render_template("accounts/change_password.html", form=form, hint=PASSWORD_HINT)


def _setup_user():
    """Who is setting up the second factor: someone halfway through a login, or a logged-in
    user who has none yet."""
    if current_user.is_authenticated:
        return current_user if not current_user.has_totp else None, False
    user = login_flow.pending_user(setup=True)
    return user, True


@bp.route("/account/second-factor", methods=["GET", "POST"])
def setup_second_factor():
    user, logging_in = _setup_user()
    if user is None:
        if current_user.is_authenticated:
            return redirect(url_for("accounts.overview"))
        flash(_("Please log in again."), "info")
        return redirect(url_for("auth.login"))
    secret = totp.pending_secret(user)
    db.session.commit()  # the same secret on a reload, until a code confirms it
    form = SetupCodeForm()
    if form.validate_on_submit():
        codes = totp.confirm_setup(user, form.code.data)
        if codes is not None:
            db.session.commit()
            next_url = None
            if logging_in:
                next_url = login_flow.pending_next()
                login_flow.open_session(user)
            page = render_template("accounts/recovery_codes.html", codes=codes, next_url=next_url)
            return devices.remember_device(make_response(page), user.username) if logging_in else page
        db.session.commit()
        form.code.errors.append(_("This code is not valid (or was already used). Enter the current code."))
    uri = totp.provisioning_uri(user, secret)
    return render_template(
        "accounts/setup.html", form=form, qr=totp.qr_svg(uri), secret=totp.grouped(secret), logging_in=logging_in
    )


@bp.route("/account/recovery-codes", methods=["POST"])
@login_required
def regenerate_codes():
    """New recovery codes (the old ones stop working), shown this once."""
    form = RegenerateForm()
    if not current_user.has_totp:
        return redirect(url_for("accounts.setup_second_factor"))
    if form.validate_on_submit() and verify_password(current_user.password_hash, form.current.data):
        codes = totp.regenerate_recovery_codes(current_user)
        db.session.commit()
        return render_template("accounts/recovery_codes.html", codes=codes, next_url=url_for("accounts.overview"))
    flash(_("The current password is not right."), "error")
    return redirect(url_for("accounts.overview"))
