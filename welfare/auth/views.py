from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from welfare import audit, params
from welfare.auth import bp, devices, login_flow, services, throttle, totp
from welfare.auth.decorators import admin_required
from welfare.auth.forms import CodeForm, LanguageForm, LiftLockForm, LoginForm
from welfare.errors import InvalidCredentials
from welfare.extensions import db, login_manager


def safe_next(target: str | None) -> str | None:
    """Only same-site paths are followed after login or a language change (no open redirect)."""
    if not target or "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def home_for(user) -> str:
    """Each role lands on the page it works from (features register theirs)."""
    return login_flow.home_for(user)


@login_manager.user_loader
def load_user(token: str):
    user, reason = services.load_session(token)
    if reason in {"idle_timeout", "absolute_timeout"}:
        g.session_expired = True
        # Whose session it was: a feature may keep that user's unsaved form as a draft.
        g.expired_user_id = services.session_user_id(token)
    return user


def _throttled(username: str, seconds: int):
    """Refuse the attempt without checking the password (even a right one waits)."""
    current_app.logger.warning("Login throttled for %s (%s s)", request.remote_addr, seconds)
    audit.record("login_throttled", actor_name=username.strip()[:64], detail=f"retry after {seconds} s")
    db.session.commit()
    response = render_template(
        "errors/error.html",
        status=429,
        title=_("Too many attempts"),
        message=_("Too many attempts in a short time. Please wait a few minutes and try again."),
    )
    return response, 429, {"Retry-After": str(seconds)}


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm(next=params.text("next", 2000))
    address = request.remote_addr or "unknown"
    typed = request.form.get("username", "")
    device = devices.device_for(typed) if request.method == "POST" else None
    if request.method == "POST" and (seconds := throttle.retry_after(typed, address, device)):
        return _throttled(typed, seconds)
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.username.data, form.password.data)
        except InvalidCredentials as exc:
            throttle.record_failure(form.username.data, address, device)
            db.session.commit()
            form.password.errors.append(exc.message)
        else:
            next_url = safe_next(form.next.data)
            if user.has_totp or totp.required_for(user):
                services.rehash_if_needed(user, form.password.data)
                login_flow.begin(user, next_url, setup=not user.has_totp)
                if user.has_totp:
                    return redirect(url_for("auth.login_code"))
                return redirect(url_for("accounts.setup_second_factor"))
            return login_flow.complete(user, next_url, form.password.data)
    if g.get("session_expired"):
        flash(_("Your session expired. Please log in again."), "info")
    return render_template("auth/login.html", form=form)


@bp.route("/login/code", methods=["GET", "POST"])
def login_code():
    """The second step: a code from the authenticator app, or a recovery code."""
    user = login_flow.pending_user(setup=False)
    if user is None:
        flash(_("Please log in again."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    address = request.remote_addr or "unknown"
    device = devices.device_for(user.username)
    if request.method == "POST" and (seconds := throttle.retry_after(user.username, address, device)):
        return _throttled(user.username, seconds)
    if form.validate_on_submit():
        if totp.check_second_factor(user, form.code.data):
            return login_flow.complete(user, login_flow.pending_next())
        audit.record("login_code_failed", object_type="user", object_id=user.id, actor_name=user.username)
        throttle.record_failure(user.username, address, device)
        db.session.commit()
        form.code.errors.append(_("This code is not valid (or was already used). Enter the current code."))
    return render_template("auth/login_code.html", form=form)


@bp.route("/admin/login-locks")
@admin_required
def login_locks():
    return render_template("admin/login_locks.html", usernames=throttle.locked_usernames(), form=LiftLockForm())


@bp.route("/admin/login-locks/lift", methods=["POST"])
@admin_required
def lift_login_lock():
    form = LiftLockForm()
    if form.validate_on_submit():
        throttle.lift_lock(form.username.data, current_user)
        flash(_("%(name)s can log in again.", name=throttle.normalise(form.username.data)), "success")
    return redirect(url_for("auth.login_locks"))


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    services.end_session(current_user)
    logout_user()
    session.clear()
    flash(_("You have been logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
def set_language():
    form = LanguageForm()
    if form.validate_on_submit() and form.lang.data in current_app.config["LANGUAGES"]:
        session["lang"] = form.lang.data
        if current_user.is_authenticated:
            current_user.locale = form.lang.data
            db.session.commit()
    return redirect(safe_next(form.next.data) or url_for("catalog.home"))
