"""Response headers and login-manager behaviour shared by every page."""

from flask import Flask, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from welfare.extensions import login_manager

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]
)


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")  # a secret-link page sends none
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    # Pages behind login (and the login form itself) must not linger in shared caches or history.
    if current_user.is_authenticated or request.endpoint == "auth.login" or g.get("no_store"):
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


def refuse_nul_bytes():
    """No text the app stores may contain NUL (PostgreSQL refuses it): answer 400 up front
    instead of failing halfway through a write."""
    if any("\x00" in value for values in (request.args, request.form) for value in values.values()):
        abort(400)


def unauthorized():
    if g.get("session_expired"):
        flash(_("Your session expired. Please log in again."), "info")
    else:
        flash(_("Please log in to open this page."), "info")
    target = request.full_path if request.query_string else request.path
    return redirect(url_for("auth.login", next=target))


def register_security(app: Flask) -> None:
    from welfare.params import install_converters

    install_converters(app)
    login_manager.session_protection = "basic"
    login_manager.unauthorized_handler(unauthorized)
    app.before_request(refuse_nul_bytes)
    app.after_request(set_security_headers)
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Only as many X-Forwarded-* hops as the deployment says stand in front of us.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    from welfare.config import limiter_store_warning

    if warning := limiter_store_warning(app):
        app.logger.warning(warning)
