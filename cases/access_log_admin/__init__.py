"""The case access log for administrators, at /admin/access-log (outside /cases/, which admins
never reach): who read or changed which case, when and why, never the case content.

It lives in `cases/` because it reads the case tables; the core (`welfare/admin`) must not.
"""

from flask import Blueprint

bp = Blueprint("access_log_admin", __name__)

from cases.access_log_admin import views  # noqa: E402,F401
