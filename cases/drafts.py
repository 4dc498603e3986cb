"""Server-side drafts: what a team member types on a case form is kept on the server while they
type (cases/access.py: the form's autosave), and when saving cannot finish (the session ended),
and offered back the next time the form opens, to restore or discard.

Never in the browser's storage: office computers are shared. Encrypted like the notes, one per
user and form (the form's path), and kept DRAFT_RETENTION_DAYS (7) after the last save.
"""

import json
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column

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
