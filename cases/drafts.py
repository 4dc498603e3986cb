"""Server-side drafts: what a team member types on a case form is kept on the server while they
type, and when saving cannot finish (the session ended), and offered back the next time the
form opens, to restore or discard.

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

Never in the browser's storage: office computers are shared. Encrypted like the notes, one per
user and form (the form's path), and kept DRAFT_RETENTION_DAYS (7) after the last save.
"""

import json
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import Mapped, mapped_column

from cases.models import Case
from welfare.crypto import EncryptedText, is_unreadable
from welfare.database import utcnow
from welfare.extensions import db

# Fields of a post that are not what the user typed.
NOT_TYPED = ("csrf_token", "_draft")


class Draft(db.Model):
    __tablename__ = "case_draft"
    __table_args__ = (sa.UniqueConstraint("user_id", "form_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # Which form: the path it was posted to (no personal data in our URLs: ids and case numbers).
    form_key: Mapped[str] = mapped_column(sa.String(200))
    data: Mapped[str] = mapped_column(EncryptedText("case_draft.data"))  # JSON of the posted fields, no CSRF token
    saved_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)  # expiry reads it

    @property
    def fields(self) -> dict:
        if is_unreadable(self.data):
            return {}  # failed its integrity check (logged): offer nothing rather than a marker as JSON
        return json.loads(self.data)


def _oldest_kept() -> datetime:
    return utcnow() - timedelta(days=int(current_app.config["DRAFT_RETENTION_DAYS"]))


def keep(user_id: int, form_key: str, form: dict[str, list[str]]) -> None:
    """Store what was posted ({field: [values]}, minus the CSRF token) as the user's draft; commits."""
    fields = {k: v for k, v in form.items() if k not in NOT_TYPED}
    draft = db.session.scalar(sa.select(Draft).where(Draft.user_id == user_id, Draft.form_key == form_key))
    if draft is None:
        draft = Draft(user_id=user_id, form_key=form_key)
        db.session.add(draft)
    draft.data = json.dumps(fields, ensure_ascii=False)
    draft.saved_at = utcnow()
    db.session.commit()


def find(user_id: int, form_key: str) -> Draft | None:
    """The user's draft of this form, unless it has expired (then it is as good as deleted)."""
    return db.session.scalar(
        sa.select(Draft).where(Draft.user_id == user_id, Draft.form_key == form_key, Draft.saved_at >= _oldest_kept())
    )


def discard(user_id: int, form_key: str) -> None:
    """Drop the draft in the caller's transaction (the save that finally stored the text commits)."""
    db.session.execute(sa.delete(Draft).where(Draft.user_id == user_id, Draft.form_key == form_key))


def count_expired() -> int:
    return db.session.scalar(sa.select(sa.func.count(Draft.id)).where(Draft.saved_at < _oldest_kept())) or 0


def delete_expired() -> int:
    """Delete drafts not saved for DRAFT_RETENTION_DAYS; commits (`flask cases retention --apply`)."""
    deleted = db.session.execute(sa.delete(Draft).where(Draft.saved_at < _oldest_kept())).rowcount
    db.session.commit()
    return deleted or 0


DRAFT_ACTIONS = ("autosave", "discard")


def answer(action: str):
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
        keep(current_user.id, request.path, request.form.to_dict(flat=False))
        return "", 204
    discard(current_user.id, request.path)
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
    draft = find(current_user.id, request.path)
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
    discard(current_user.id, request.path)


def session_ended(_exc):
    """A case form refused for its CSRF token: the session it was loaded in is gone (a logout in
    another tab, a lost cookie). Whose text it was cannot be known safely, so nothing is kept
    from this post; the draft saved while typing is, and the form offers it back."""
    return render_template("cases/session_ended.html", form_path=request.path), 400
