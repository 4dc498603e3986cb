"""Who may use the partner pages: a partner account linked to an organization, nothing else.

Every view of the blueprint runs `require_partner` first, so no view can forget it. The office
team, supervisors and administrators get 403 here as partners get 403 under /cases/.
"""

from flask import abort
from flask_login import current_user

from welfare.extensions import login_manager
from welfare.models import Role


def require_partner():
    """:raise 403: logged in with another role, or a partner account without an organization."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role != Role.PARTNER or not current_user.partner_organization_id:
        abort(403)
    return None
