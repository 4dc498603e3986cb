"""Login in steps: password, then the second factor (or, the first time, setting it up).

Between the steps the browser's signed session names the user and when the password was
right; no server-side session exists yet, so nothing but the next step opens. The step
expires after LOGIN_CODE_MINUTES.
"""

import time

from flask import current_app, redirect, session, url_for
from flask_login import login_user

from welfare.auth import devices, services
from welfare.extensions import db
from welfare.features import home_page_for
from welfare.models import User

PENDING = "login_pending"


def begin(user: User, next_url: str | None, setup: bool) -> None:
    """Remember that the password was right; the second factor (or its setup) comes next."""
    session.clear()  # nothing from before survives into the new login
    session[PENDING] = {"uid": user.id, "at": time.time(), "next": next_url or "", "setup": setup}


def pending_user(setup: bool | None = None) -> User | None:
    """The user halfway through logging in (None when there is none, or the step expired)."""
    state = session.get(PENDING)
    if not isinstance(state, dict):
        return None
    if time.time() - float(state.get("at", 0)) > current_app.config["LOGIN_CODE_MINUTES"] * 60:
        session.pop(PENDING, None)
        return None
    if setup is not None and bool(state.get("setup")) != setup:
        return None
    user = db.session.get(User, state.get("uid"))
    return user if user is not None and user.is_enabled else None


def pending_next() -> str | None:
    state = session.get(PENDING)
    return (state or {}).get("next") or None


def home_for(user: User) -> str:
    """Each role lands on the page it works from; an account whose role waits for a second
    administrator, on its own account page."""
    if not user.role_granted:
        return url_for("accounts.overview")
    return home_page_for(user.role)


def open_session(user: User, password: str | None = None) -> None:
    """Open the server-side session (the login is complete)."""
    session.clear()  # a fresh session on login: nothing from before survives
    services.start_session(user, password)
    login_user(user)
    session.permanent = True
    if user.locale:
        session["lang"] = user.locale


def complete(user: User, next_url: str | None = None, password: str | None = None):
    """Open the server-side session and send the user on; return the redirect response."""
    open_session(user, password)
    return devices.remember_device(redirect(next_url or home_for(user)), user.username)
