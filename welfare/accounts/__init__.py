"""Accounts the person sets up themselves: enrollment and reset links, password change, the
second factor (TOTP and recovery codes), and case-team roles confirmed by a second administrator."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from welfare.accounts import views  # noqa: E402,F401  (registers routes)
