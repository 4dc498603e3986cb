from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from welfare import audit
from welfare.auth import bp, services
from welfare.auth.forms import LanguageForm, LoginForm
from welfare.errors import InvalidCredentials
from welfare.extensions import db, limiter, login_manager
from welfare.features import home_page_for


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
    return home_page_for(user.role)


@login_manager.user_loader
def load_user(token: str):
    user, reason = services.load_session(token)
    if reason in {"idle_timeout", "absolute_timeout"}:
        g.session_expired = True
        # Whose session it was: a feature may keep that user's unsaved form as a draft.
        g.expired_user_id = services.session_user_id(token)
    return user


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _username_key() -> str:
    return "login-user:" + request.form.get("username", "").strip().lower()[:64]


def _record_throttle(request_limit) -> None:
    current_app.logger.warning("Login throttled for %s (%s)", request.remote_addr, request_limit.limit)
    audit.record(
        "login_throttled", actor_name=request.form.get("username", "").strip()[:64], detail=str(request_limit.limit)
    )
    db.session.commit()


_failed_login = dict(
    methods=["POST"], deduct_when=lambda response: response.status_code != 302, on_breach=_record_throttle
)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, **_failed_login)
@limiter.limit(_login_limit, key_func=_username_key, **_failed_login)
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.username.data, form.password.data)
        except InvalidCredentials as exc:
            form.password.errors.append(exc.message)
        else:
            session.clear()  # a fresh session on login: nothing from before survives
            services.start_session(user, form.password.data)
            login_user(user)
            session.permanent = True
            if user.locale:
                session["lang"] = user.locale
            return redirect(safe_next(form.next.data) or home_for(user))
    if g.get("session_expired"):
        flash(_("Your session expired. Please log in again."), "info")
    return render_template("auth/login.html", form=form)


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
