"""Login throttling on the limiter's shared store (Redis in production).

Two limits on failed logins: per username from one address, quick to trip and soon over; and
per username from anywhere, slow, so that guessing at a colleague's username from one
address cannot lock them out, while a spread-out attack still stops. An administrator can
lift the slow lock. Counting on the limiter's store means every worker sees the same count.
"""

import time
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from limits import parse

from welfare import audit
from welfare.database import utcnow
from welfare.extensions import db, limiter
from welfare.models import AuditEvent, User

FAST, SLOW = "login-user-address", "login-user"


def normalise(username: str) -> str:
    return username.strip().lower()[:64]


def _limits(username: str, address: str):
    config = current_app.config
    prefix = config.get("RATELIMIT_KEY_PREFIX") or "welfare"
    return (
        (parse(config["LOGIN_RATE_LIMIT"]), (prefix, FAST, normalise(username), address)),
        (parse(config["LOGIN_USER_RATE_LIMIT"]), (prefix, SLOW, normalise(username))),
    )


def retry_after(username: str, address: str) -> int | None:
    """Seconds until this username may try again from this address; None when it may now."""
    for item, keys in _limits(username, address):
        if not limiter.limiter.test(item, *keys):
            reset_at, _remaining = limiter.limiter.get_window_stats(item, *keys)
            return max(1, int(reset_at - time.time()))
    return None


def is_locked(username: str) -> bool:
    """Whether the slow, per-username lock holds (only an administrator or time lifts it)."""
    item, keys = _limits(username, "")[1]
    return not limiter.limiter.test(item, *keys)


def record_failure(username: str, address: str) -> None:
    """Count a failed login; when it locks the username, say so in the audit log (caller commits)."""
    was_locked = is_locked(username)
    for item, keys in _limits(username, address):
        limiter.limiter.hit(item, *keys)
    if not was_locked and is_locked(username):
        audit.record("login_locked", object_type="username", object_id=normalise(username), actor_name="")


def locked_usernames() -> list[str]:
    """Usernames locked now: those with a lock in the audit log within the limit's window."""
    window = timedelta(seconds=parse(current_app.config["LOGIN_USER_RATE_LIMIT"]).get_expiry())
    names = db.session.scalars(
        sa.select(AuditEvent.object_id)
        .where(AuditEvent.action == "login_locked", AuditEvent.at >= utcnow() - window)
        .distinct()
    )
    return sorted(name for name in names if name and is_locked(name))


def lift_lock(username: str, actor: User) -> None:
    """Let the username try again at once (from every address) and commit."""
    name = normalise(username)
    for item, keys in _limits(name, ""):
        if keys[1] == SLOW:
            limiter.limiter.clear(item, *keys)
    audit.record("login_lock_lifted", object_type="username", object_id=name, actor=actor)
    db.session.commit()
