"""Device cookies (OWASP, "Slow down online guessing attacks with device cookies").

A successful login leaves a signed cookie naming the username and a random device id. A later
login for that username from a browser that carries it is counted per device, never against the
username's lock: whoever guesses at a colleague's password from elsewhere can lock out new
devices for that username, but not the devices the colleague has logged in from before.
The cookie opens nothing by itself: the password is still needed, and the device's own
failures are limited (LOGIN_DEVICE_RATE_LIMIT).
"""

import hashlib
import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "pisarna_device"
SALT = "login-device"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _tag(username: str) -> str:
    # The cookie's payload is signed, not hidden: it names the username only as a hash.
    return hashlib.sha256(username.strip().lower().encode()).hexdigest()[:24]


def device_for(username: str) -> str | None:
    """The device id this browser was given at a login as this username, or None."""
    value = request.cookies.get(COOKIE)
    if not value:
        return None
    max_age = int(current_app.config["LOGIN_DEVICE_COOKIE_DAYS"]) * 86400
    try:
        data = _serializer().loads(value, max_age=max_age)
    except BadSignature:  # also an expired cookie (SignatureExpired is a BadSignature)
        return None
    if not isinstance(data, dict) or data.get("u") != _tag(username) or not isinstance(data.get("d"), str):
        return None
    return data["d"]


def remember_device(response, username: str):
    """Give the browser that just logged in as this username its device cookie."""
    days = int(current_app.config["LOGIN_DEVICE_COOKIE_DAYS"])
    value = _serializer().dumps({"u": _tag(username), "d": device_for(username) or secrets.token_urlsafe(16)})
    response.set_cookie(
        COOKIE,
        value,
        max_age=days * 86400,
        path="/login",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response
