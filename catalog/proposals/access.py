"""Who may use the partner's catalog pages: a partner account linked to an organization.

The same rule as the referral inbox (cases/partners/access.py); the catalog keeps its own copy
because it never imports the case work. Every view of the blueprint runs it first.
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
