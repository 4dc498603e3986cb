"""Per-user secret calendar feed: the URL carries a random token whose hash is stored here."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from welfare.database import utcnow
from welfare.extensions import db


class CalendarFeed(db.Model):
    __tablename__ = "calendar_feed"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    # sha256 of the token: a leaked database does not leak working feed URLs. Renewing replaces it.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
