"""Who may work on cases: the three-person office team only.

Every blueprint under /cases/ runs `require_case_team` before each request, so no view can
forget it: anonymous users go to login, supervisors and administrators get 403.

Drafts of what is typed are answered here before the view (cases.drafts).
"""

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cases import drafts
from welfare.extensions import login_manager
from welfare.models import STAFF_ROLES


def require_case_team():
    """:raise 403: logged in with a role outside the office team."""
    draft_action = request.form.get("_draft") if request.method == "POST" else None
    if not current_user.is_authenticated:
        expired_user_id = g.get("expired_user_id")
        if request.method == "POST" and expired_user_id and request.form:
            if draft_action != "discard":
                drafts.keep(expired_user_id, request.path, request.form.to_dict(flat=False))
            if draft_action:
                return "", 401  # the page's script says the session ended
            flash(_("Your session expired, but what you typed is kept. Log in again to continue."), "info")
            return redirect(url_for("auth.login", next=request.path))
        if draft_action:
            return "", 401
        return login_manager.unauthorized()
    if current_user.role not in STAFF_ROLES:
        abort(403)
    if draft_action:
        return drafts.answer(draft_action)
    return None
