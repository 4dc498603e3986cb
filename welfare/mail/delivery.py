"""Delivering queued mail: claim due messages, send each one, record the outcome.

Claiming is a compare-and-set UPDATE on the row (still pending, still due), which pushes
`next_attempt_at` a lease ahead and counts the attempt; only one deliverer's UPDATE can match,
so two workers (threads, processes, a cron run beside a request) never send the same message
twice. The same statement works on SQLite and PostgreSQL. A deliverer that dies mid-send
leaves the message due again when the lease runs out, so nothing is lost.

Each claim and each outcome is its own short transaction: the SMTP conversation (up to
MAIL_TIMEOUT_SECONDS per step) never holds SQLite's write lock.
"""

import logging
import os
import smtplib
import ssl
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from welfare.database import PRIVATE_FILE, utcnow
from welfare.extensions import db
from welfare.forms import has_line_break
from welfare.mail import MailState, OutgoingMail, one_line

log = logging.getLogger(__name__)


@dataclass
class DeliveryResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"sent {self.sent}, to retry {self.retrying}, failed {self.failed}"


class PermanentFailure(Exception):
    """The server refused the message for good (5xx): retrying would only repeat the refusal."""


@dataclass(frozen=True)
class ClaimedMail:
    """A copy of a claimed message, so sending needs no open transaction."""

    id: int
    to_addr: str
    subject: str
    body: str | None
    attempts: int


def claim(mail_id: int) -> ClaimedMail | None:
    """Take one due message for this deliverer, or None when another one got it first."""
    now = utcnow()
    lease = timedelta(seconds=current_app.config["MAIL_CLAIM_SECONDS"])
    claimed = db.session.execute(
        sa.update(OutgoingMail)
        .where(
            OutgoingMail.id == mail_id,
            OutgoingMail.state == MailState.PENDING.value,
            OutgoingMail.next_attempt_at <= now,
        )
        .values(next_attempt_at=now + lease, attempts=OutgoingMail.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.commit()
        return None
    row = db.session.execute(
        sa.select(OutgoingMail.to_addr, OutgoingMail.subject, OutgoingMail.body, OutgoingMail.attempts).where(
            OutgoingMail.id == mail_id
        )
    ).one()
    # Commit before sending: on SQLite an open transaction here would hold the write lock
    # through the whole SMTP conversation.
    db.session.commit()
    return ClaimedMail(mail_id, *row)


def build_message(mail: ClaimedMail) -> EmailMessage:
    """The message as it goes out: UTF-8 text, the office as sender.

    :raise PermanentFailure: the address holds a line break (no retry would ever send it).
    """
    if has_line_break(mail.to_addr):
        raise PermanentFailure("the address has a line break")
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = mail.to_addr
    message["Subject"] = one_line(mail.subject)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=current_app.config["MAIL_SENDER"].rpartition("@")[2] or None)
    message.set_content(mail.body or "", charset="utf-8")
    return message


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    try:
        with smtplib.SMTP(
            config["MAIL_HOST"], int(config["MAIL_PORT"]), timeout=config["MAIL_TIMEOUT_SECONDS"]
        ) as smtp:
            if config["MAIL_STARTTLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if config["MAIL_USER"]:
                smtp.login(config["MAIL_USER"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _msg in exc.recipients.values()]
        if codes and all(500 <= code < 600 for code in codes):
            raise PermanentFailure(f"recipient refused ({codes[0]})") from exc
        raise
    except smtplib.SMTPResponseException as exc:
        if 500 <= exc.smtp_code < 600 and not isinstance(exc, smtplib.SMTPAuthenticationError):
            raise PermanentFailure(f"{type(exc).__name__} {exc.smtp_code}") from exc
        raise


def _write_outbox(mail: ClaimedMail, message: EmailMessage) -> None:
    """Development: one .eml per message under DATA_DIR/outbox/, readable by the service only."""
    outbox = Path(current_app.config["DATA_DIR"]) / "outbox"
    outbox.mkdir(mode=0o700, exist_ok=True)
    path = outbox / f"{mail.id:08d}-{utcnow():%Y%m%dT%H%M%S}.eml"
    # Written under another name and renamed: whoever reads the outbox (a developer's mail
    # viewer, a test) sees a whole message or none, never half of one.
    partial = path.with_name(f".{path.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(fd, "wb") as fh:
        fh.write(message.as_bytes())
    os.replace(partial, path)


def _short_error(exc: BaseException) -> str:
    """What went wrong, without the server's free text (it can echo addresses or credentials)."""
    if isinstance(exc, PermanentFailure):
        return str(exc)[:200]
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _msg in exc.recipients.values()})
        return f"recipient refused ({', '.join(map(str, codes))})"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{type(exc).__name__} {exc.smtp_code}"
    if isinstance(exc, TimeoutError):
        return "timeout"
    if isinstance(exc, OSError) and exc.strerror:
        return f"{type(exc).__name__}: {exc.strerror}"[:200]
    return type(exc).__name__


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: base, 2x base, 4x base, ... capped at six hours."""
    base = current_app.config["MAIL_RETRY_BASE_SECONDS"]
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


def _deliver_one(mail: ClaimedMail, result: DeliveryResult) -> None:
    try:
        message = build_message(mail)
        if current_app.config["MAIL_BACKEND"] == "smtp":
            _send_smtp(message)
        else:
            _write_outbox(mail, message)
    except Exception as exc:  # any failure is recorded on the message; nothing reaches a request
        error = _short_error(exc)
        if isinstance(exc, PermanentFailure) or mail.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            outcome = {"state": MailState.FAILED.value}
            result.failed += 1
        else:
            outcome = {"next_attempt_at": utcnow() + retry_delay(mail.attempts)}
            result.retrying += 1
        outcome["last_error"] = error
        log.warning("mail %s not delivered (attempt %s): %s", mail.id, mail.attempts, error)
    else:
        # The body may carry a one-time link: it is gone once the message has left.
        outcome = {"state": MailState.SENT.value, "sent_at": utcnow(), "body": None, "last_error": None}
        result.sent += 1
    db.session.execute(
        sa.update(OutgoingMail)
        .where(OutgoingMail.id == mail.id)
        .values(**outcome)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def due_ids(limit: int) -> list[int]:
    now = utcnow()
    ids = db.session.scalars(
        sa.select(OutgoingMail.id)
        .where(OutgoingMail.state == MailState.PENDING.value, OutgoingMail.next_attempt_at <= now)
        .order_by(OutgoingMail.next_attempt_at, OutgoingMail.id)
        .limit(limit)
    ).all()
    db.session.commit()  # end the read so each claim takes the write lock on its own
    return list(ids)


def deliver_pending(limit: int = 50) -> DeliveryResult:
    """Send up to `limit` due messages; failures are recorded and retried later, never raised."""
    result = DeliveryResult()
    try:
        for mail_id in due_ids(limit):
            mail = claim(mail_id)
            if mail is not None:
                _deliver_one(mail, result)
    except Exception:  # the database itself failed: the messages stay pending for the next run
        db.session.rollback()
        log.exception("mail delivery stopped")
    return result
