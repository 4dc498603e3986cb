"""Who may work on cases: the three-person office team only.

Every blueprint under /cases/ runs `require_case_team` before each request, so no view can
forget it: anonymous users go to login, supervisors and administrators get 403.
"""

from flask import abort
from flask_login import current_user

from welfare.extensions import login_manager
from welfare.models import STAFF_ROLES


def require_case_team():
    """:raise 403: logged in with a role outside the office team."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role not in STAFF_ROLES:
        abort(403)
    return None
