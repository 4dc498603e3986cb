"""Access checks as decorators, so no view can forget them."""

from functools import wraps

from flask import abort
from flask_login import current_user

from welfare.extensions import login_manager
from welfare.models import STAFF_ROLES, Role


def roles_required(*roles: Role):
    """Allow only logged-in users with one of the roles.

    :raise 403: logged in with another role (anonymous users are sent to the login page).
    """
    allowed = frozenset(roles)

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


staff_required = roles_required(*STAFF_ROLES)
admin_required = roles_required(Role.ADMIN)


def require_partner():
    """A blueprint's `before_request` for a partner's pages (the referral inbox, the catalog
    entries): a partner account linked to an organization, nothing else. The office team,
    supervisors and administrators get 403 there, as partners get 403 under /cases/.

    :raise 403: logged in with another role, or a partner account without an organization.
    """
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role != Role.PARTNER or not current_user.partner_organization_id:
        abort(403)
    return None
