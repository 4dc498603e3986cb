"""Administration: users, roles and the audit trail."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from welfare.admin import views  # noqa: E402,F401
