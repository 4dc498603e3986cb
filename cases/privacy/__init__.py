"""Data-subject rights and retention (GDPR Art. 15 and 17): the export of one person's data for
the office team (/cases/persons/<id>/export...), the erasure of a person for administrators
(/admin/erasure, outside /cases/, which admins never reach), and `flask cases retention`.

It lives in `cases/` because it reads and deletes case tables; the core (`welfare/`) must not.
"""

from flask import Blueprint

from cases.access import require_case_team

bp = Blueprint("privacy", __name__)
bp.before_request(require_case_team)
erasure_bp = Blueprint("erasure", __name__)  # every view is @admin_required

from cases.privacy import erasure_views, views  # noqa: E402,F401
