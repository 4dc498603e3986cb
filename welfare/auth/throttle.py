"""Login throttling on the limiter's shared store (Redis in production).

Two limits on failed logins: per username from one address, quick to trip and soon over; and
per username from anywhere, slow, so that a spread-out attack still stops. Neither can be
turned against a colleague on a device they have logged in from before: a login from a
browser carrying that username's device cookie (`devices.py`) is counted per device instead,
so the slow lock only holds for new devices. An administrator is alerted (audit log, a notice
on the users page) and can lift the lock. Counting on the limiter's store means every worker
sees the same count.

With limits switched off (RATELIMIT_ENABLED = false, as the benches do) nothing is counted. When
the store stops answering, counting goes on in this process (fail safe: guesses are still slowed,
logins still work) with a warning in the log, and the store is tried again after a while.
"""

import logging
import time
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from limits import parse
from limits.errors import StorageError
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter

from welfare import audit
from welfare.database import utcnow
from welfare.extensions import db, limiter
from welfare.models import AuditEvent, User

FAST, SLOW, DEVICE = "login-user-address", "login-user", "login-device"
log = logging.getLogger(__name__)
STORE_RETRY_SECONDS = 30


class _StoreOutage:
    """Per app: this process's own count while the shared store is down, and when to try it again."""

    def __init__(self) -> None:
        self.fallback = FixedWindowRateLimiter(MemoryStorage())
        self.retry_at = 0.0


def _outage() -> _StoreOutage:
    return current_app.extensions.setdefault("login_throttle", _StoreOutage())


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _counting(method: str, *args):
    """Call the limiter's strategy on the shared store, or on this process's count while the
    store does not answer."""
    outage = _outage()
    if time.time() >= outage.retry_at:
        try:
            return getattr(limiter.limiter, method)(*args)
        except StorageError as exc:
            outage.retry_at = time.time() + STORE_RETRY_SECONDS
            log.warning(
                "Rate-limit store unreachable (%s): login throttling counts in this process until it is back",
                type(exc.storage_error).__name__,
            )
    return getattr(outage.fallback, method)(*args)


def normalise(username: str) -> str:
    return username.strip().lower()[:64]


def _limits(username: str, address: str, device: str | None = None):
    config = current_app.config
    prefix = config.get("RATELIMIT_KEY_PREFIX") or "welfare"
    if device:
        return ((parse(config["LOGIN_DEVICE_RATE_LIMIT"]), (prefix, DEVICE, normalise(username), device)),)
    return (
        (parse(config["LOGIN_RATE_LIMIT"]), (prefix, FAST, normalise(username), address)),
        (parse(config["LOGIN_USER_RATE_LIMIT"]), (prefix, SLOW, normalise(username))),
    )


def retry_after(username: str, address: str, device: str | None = None) -> int | None:
    """Seconds until this username may try again from this address (or this known device);
    None when it may now."""
    if not _enabled():
        return None
    for item, keys in _limits(username, address, device):
        if not _counting("test", item, *keys):
            reset_at, _remaining = _counting("get_window_stats", item, *keys)
            return max(1, int(reset_at - time.time()))
    return None


def is_locked(username: str) -> bool:
    """Whether the slow, per-username lock holds for new devices (an administrator or time lifts it)."""
    if not _enabled():
        return False
    item, keys = _limits(username, "")[1]
    return not _counting("test", item, *keys)


def record_failure(username: str, address: str, device: str | None = None) -> None:
    """Count a failed login; when it locks the username, say so in the audit log (caller commits)."""
    if not _enabled():
        return
    was_locked = is_locked(username)
    for item, keys in _limits(username, address, device):
        _counting("hit", item, *keys)
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
        if keys[1] == SLOW and _enabled():
            _counting("clear", item, *keys)
    audit.record("login_lock_lifted", object_type="username", object_id=name, actor=actor)
    db.session.commit()
