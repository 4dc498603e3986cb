"""Addresses that leave the office: in an e-mail, on a printed slip, in a calendar.

They are built from PUBLIC_URL when it is set, not from the request's Host header: a forged Host
header must not make the office mail a link to someone else's site, and a slip printed on a
computer that reaches the app by an internal name must still carry the address residents use.
"""

from flask import current_app, url_for


def public_url(endpoint: str, **values) -> str:
    """The absolute address of `endpoint` as the recipient opens it."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, **values, _external=True)
