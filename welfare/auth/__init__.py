"""Authentication: login, logout, server-side sessions, language choice."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from welfare.auth import views  # noqa: E402,F401  (registers routes)
