"""Outgoing e-mail: a message is stored in the same transaction as the change that causes it,
and delivered afterwards, so a slow or unreachable mail server never blocks a page and a
failed send is kept and retried.

Features call `queue(...)` inside their own transaction and commit as usual; delivery
(SMTP, or `DATA_DIR/outbox/` in development) happens after the commit, on a background
thread (`background.py`), and again from `flask mail send` for whatever is still due
(`delivery.py`; the CLI is in `commands.py`).
"""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from welfare.database import utcnow
from welfare.extensions import db
from welfare.forms import LINE_BREAK_RE
from welfare.mail.background import mark_queued


class MailState(str, enum.Enum):
    PENDING = "pending"  # not delivered yet (never tried, or a try failed and will be retried)
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry; staff see it and can resend


class OutgoingMail(db.Model):
    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    to_addr: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200))
    # Cleared once delivered: a body may carry a one-time link, which must not linger.
    body: Mapped[str | None] = mapped_column(sa.Text)
    # What the message is about, e.g. "referral:12", so a feature can show its delivery state.
    about: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    state: Mapped[str] = mapped_column(sa.String(10), default=MailState.PENDING.value, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.String(200))
    sent_at: Mapped[datetime | None]


def one_line(text: str) -> str:
    """A header value on one line: a line break (from a name stored before forms refused them,
    or an import) becomes a space instead of splitting the header or failing the message."""
    return " ".join(LINE_BREAK_RE.sub(" ", text).split())


def queue(to_addr: str, subject: str, body: str, *, about: str | None = None) -> OutgoingMail:
    """Add a message to the session of the caller's transaction; it is delivered after the commit."""
    mail = OutgoingMail(to_addr=to_addr.strip(), subject=one_line(subject)[:200], body=body, about=about)
    db.session.add(mail)
    mark_queued(db.session())
    return mail


def latest_for(about: str) -> OutgoingMail | None:
    """The newest message about one thing (for "not delivered yet" on a referral)."""
    return db.session.scalars(
        sa.select(OutgoingMail).where(OutgoingMail.about == about).order_by(OutgoingMail.id.desc()).limit(1)
    ).first()


def requeue_failed(ids: list[int] | None = None) -> int:
    """Make failed messages (all, or these ids) pending and due again; the caller commits."""
    statement = sa.update(OutgoingMail).where(OutgoingMail.state == MailState.FAILED.value)
    if ids is not None:
        statement = statement.where(OutgoingMail.id.in_(ids))
    values = {"state": MailState.PENDING.value, "attempts": 0, "next_attempt_at": utcnow(), "last_error": None}
    return db.session.execute(statement.values(**values).execution_options(synchronize_session=False)).rowcount
