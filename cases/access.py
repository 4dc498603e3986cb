"""Who may work on cases: the three-person office team only.

Every blueprint under /cases/ runs `require_case_team` before each request, so no view can
forget it: anonymous users go to login, supervisors and administrators get 403.

Nothing typed is lost: a form posted after the session expired (a 40-minute conversation is
longer than the idle timeout) is kept as a server-side draft of the user the session belonged
to, and the form page offers it back after login (`restore_draft`).
"""

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cases import drafts
from welfare.extensions import login_manager
from welfare.models import STAFF_ROLES


def require_case_team():
    """:raise 403: logged in with a role outside the office team."""
    if not current_user.is_authenticated:
        expired_user_id = g.get("expired_user_id")
        if request.method == "POST" and expired_user_id and request.form:
            drafts.keep(expired_user_id, request.path, request.form.to_dict(flat=False))
            flash(_("Your session expired, but what you typed is kept. Log in again to continue."), "info")
            return redirect(url_for("auth.login", next=request.path))
        return login_manager.unauthorized()
    if current_user.role not in STAFF_ROLES:
        abort(403)
    return None


def restore_draft(form) -> bool:
    """On a form page (GET): fill `form` with the user's kept draft for this URL, if there is one.

    Form pages post to their own URL, so the path names the form. The draft stays until the
    save succeeds (`forget_draft`), so leaving the page again loses nothing.
    """
    draft = drafts.find(current_user.id, request.path)
    if draft is None:
        return False
    from werkzeug.datastructures import MultiDict

    form.process(MultiDict([(key, value) for key, values in draft.fields.items() for value in values]))
    flash(_("Restored what you typed before your session expired. Check it and save."), "info")
    return True


def forget_draft() -> None:
    """Call before the service that saves this form: the draft goes in the same commit."""
    drafts.discard(current_user.id, request.path)
