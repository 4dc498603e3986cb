"""Server-side drafts: what a team member typed is kept when saving cannot finish (the session
expired during a long conversation), and offered back after login."""

import json
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from welfare.crypto import EncryptedText, is_unreadable
from welfare.database import utcnow
from welfare.extensions import db


class Draft(db.Model):
    __tablename__ = "case_draft"
    __table_args__ = (sa.UniqueConstraint("user_id", "form_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # Which form: the path it was posted to (no personal data in our URLs: ids and case numbers).
    form_key: Mapped[str] = mapped_column(sa.String(200))
    data: Mapped[str] = mapped_column(EncryptedText("case_draft.data"))  # JSON of the posted fields, no CSRF token
    saved_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def fields(self) -> dict:
        if is_unreadable(self.data):
            return {}  # failed its integrity check (logged): offer nothing rather than a marker as JSON
        return json.loads(self.data)


def keep(user_id: int, form_key: str, form: dict[str, list[str]]) -> None:
    """Store what was posted ({field: [values]}, minus the CSRF token) as the user's draft; commits."""
    fields = {k: v for k, v in form.items() if k != "csrf_token"}
    draft = db.session.scalar(sa.select(Draft).where(Draft.user_id == user_id, Draft.form_key == form_key))
    if draft is None:
        draft = Draft(user_id=user_id, form_key=form_key)
        db.session.add(draft)
    draft.data = json.dumps(fields, ensure_ascii=False)
    draft.saved_at = utcnow()
    db.session.commit()


def find(user_id: int, form_key: str) -> Draft | None:
    return db.session.scalar(sa.select(Draft).where(Draft.user_id == user_id, Draft.form_key == form_key))


def discard(user_id: int, form_key: str) -> None:
    """Drop the draft in the caller's transaction (the save that finally stored the text commits)."""
    db.session.execute(sa.delete(Draft).where(Draft.user_id == user_id, Draft.form_key == form_key))
