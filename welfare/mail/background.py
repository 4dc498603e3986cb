"""Delivery right after the commit that queued mail, on a thread, so no page waits for SMTP.

`queue()` marks the session; when that session commits inside a request, a daemon thread with
its own app context (and so its own database session) runs `deliver_pending`. A rollback drops
the mark, so a message that was never committed is never looked for. Whatever the thread does
not manage (the server is down, the process exits) stays pending for the next request or the
`flask mail send` cron run.
"""

import logging
import threading

from flask import current_app, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from welfare.extensions import db

log = logging.getLogger(__name__)

QUEUED_MARK = "welfare.mail_queued"

_running: set[threading.Thread] = set()
_running_lock = threading.Lock()


def mark_queued(session) -> None:
    session.info[QUEUED_MARK] = True


def _deliver_in_thread(app) -> None:
    from welfare.mail.delivery import deliver_pending

    try:
        with app.app_context():
            try:
                deliver_pending(app.config["MAIL_BATCH_SIZE"])
            finally:
                db.session.remove()
    except Exception:  # a thread has nobody to raise to: log it, the cron run picks the rest up
        log.exception("background mail delivery failed")
    finally:
        with _running_lock:
            _running.discard(threading.current_thread())


def start_background_delivery() -> threading.Thread:
    app = current_app._get_current_object()
    thread = threading.Thread(target=_deliver_in_thread, args=(app,), name="mail-delivery", daemon=True)
    with _running_lock:
        _running.add(thread)
    thread.start()
    return thread


def wait_for_background_delivery(timeout: float = 30) -> None:
    """Join the delivery threads started so far (tests, and a clean shutdown)."""
    with _running_lock:
        threads = list(_running)
    for thread in threads:
        thread.join(timeout)


@event.listens_for(Session, "after_commit")
def _after_commit(session) -> None:
    if not session.info.pop(QUEUED_MARK, False):
        return
    if has_request_context() and current_app.config["MAIL_DELIVER_AFTER_COMMIT"]:
        try:
            start_background_delivery()
        except RuntimeError:  # no thread to be had: the request has committed, the cron run delivers
            log.exception("could not start background mail delivery")


@event.listens_for(Session, "after_rollback")
def _after_rollback(session) -> None:
    session.info.pop(QUEUED_MARK, None)
