"""Who may work on cases: the three-person office team only.

Every blueprint under /cases/ runs `require_case_team` before each request, so no view can
forget it: anonymous users go to login, supervisors and administrators get 403.

Nothing typed is lost, whatever ends the session:
- the long case forms save a server-side draft while the user types (static/js/drafts.js posts
  the form to its own URL with `_draft=autosave`; answered here, before the view), so a logout
  in another tab or a lost cookie loses at most the last few seconds;
- a form posted after the session expired (a 40-minute conversation is longer than the idle
  timeout) is kept as a draft of the user the session belonged to;
- a post refused for its CSRF token (the session is gone: logged out elsewhere) cannot be tied
  to a user safely, so it keeps nothing itself: the draft already saved stays, and the page
  says so (`session_ended`);
- the form page offers the draft back (`restore_draft`): restore or discard.
"""

import sqlalchemy as sa
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cases import drafts
from cases.models import Case
from welfare.extensions import db, login_manager
from welfare.models import STAFF_ROLES

DRAFT_ACTIONS = ("autosave", "discard")


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
        return _draft_request(draft_action)
    return None


def _draft_request(action: str):
    """Autosave or discard the user's draft of the form at this URL (instead of the view).

    :raise 404: the case in the URL does not exist.
    :raise 400: an unknown draft action.
    """
    if action not in DRAFT_ACTIONS:
        abort(400)
    number = (request.view_args or {}).get("number")
    if number is not None and db.session.scalar(sa.select(Case.id).where(Case.number == str(number)[:12])) is None:
        abort(404)
    if action == "autosave":
        drafts.keep(current_user.id, request.path, request.form.to_dict(flat=False))
        return "", 204
    drafts.discard(current_user.id, request.path)
    db.session.commit()
    flash(_("The draft was discarded."), "info")
    return redirect(request.full_path.rstrip("?"))  # the form again, with its query (?service=...)


def restore_draft(form) -> bool:
    """On a form page (GET): offer the user's kept draft for this URL, if there is one; fill
    `form` with it when the user chose to restore it (?draft=restore).

    Form pages post to their own URL, so the path names the form. The draft stays until the
    save succeeds (`forget_draft`) or the user discards it, so leaving the page loses nothing.
    Returns True when the form was filled from the draft.
    """
    draft = drafts.find(current_user.id, request.path)
    if draft is None:
        return False
    if request.args.get("draft") != "restore":
        g.draft_offer = draft  # base.html shows the offer (cases/_draft_offer.html)
        # The same page with its query (a referral form's ?service=...) and draft=restore.
        g.draft_restore_url = url_for(
            request.endpoint, **(request.view_args or {}), **{**request.args.to_dict(), "draft": "restore"}
        )
        return False
    from werkzeug.datastructures import MultiDict

    form.process(MultiDict([(key, value) for key, values in draft.fields.items() for value in values]))
    flash(_("Restored what you typed before. Check it and save."), "info")
    return True


def forget_draft() -> None:
    """Call before the service that saves this form: the draft goes in the same commit."""
    drafts.discard(current_user.id, request.path)


def session_ended(_exc):
    """A case form refused for its CSRF token: the session it was loaded in is gone (a logout in
    another tab, a lost cookie). Whose text it was cannot be known safely, so nothing is kept
    from this post; the draft saved while typing is, and the form offers it back."""
    return render_template("cases/session_ended.html", form_path=request.path), 400
