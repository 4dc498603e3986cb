"""Accounts and server-side sessions as plain functions.

Each function that changes state commits once at its end: one commit per user action.
"""

import hashlib
import logging
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from welfare import audit
from welfare.database import utcnow, writing_now
from welfare.errors import Conflict, InvalidCredentials, ValidationFailed, is_disk_full
from welfare.extensions import db
from welfare.models import Role, User, UserSession
from welfare.passwords import hash_password, needs_rehash, password_problems, verify_password

log = logging.getLogger(__name__)
_dummy_hashes: dict[str, str] = {}


def _dummy_hash() -> str:
    """A hash verified against when the username is unknown, so both failures cost the same time."""
    profile = current_app.config.get("PASSWORD_HASH_PROFILE", "")
    if profile not in _dummy_hashes:
        _dummy_hashes[profile] = hash_password(secrets.token_hex(16))
    return _dummy_hashes[profile]


# Touching last_seen on every request would turn each page view into a write.
TOUCH_INTERVAL = timedelta(seconds=60)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def get_user_by_username(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(sa.func.lower(User.username) == username.strip().lower()))


def authenticate(username: str, password: str) -> User:
    """Return the enabled user with these credentials.

    :raise InvalidCredentials: same message for unknown user, wrong password and disabled account.
    """
    user = get_user_by_username(username)
    # An account not enrolled yet has no password: it costs the same time as an unknown one.
    ok = verify_password(user.password_hash if user and user.password_hash else _dummy_hash(), password)
    ok = ok and bool(user and user.password_hash)
    if not (user and ok and user.is_enabled):
        audit.record(
            "login_failed", object_type="user", object_id=user.id if user else None, actor_name=username.strip()[:64]
        )
        db.session.commit()
        raise InvalidCredentials(_("Invalid username or password."))
    return user


def rehash_if_needed(user: User, password: str) -> None:
    """Store the password under the current hashing cost (commits only when it changed)."""
    if needs_rehash(user.password_hash):
        db.session.execute(sa.update(User).where(User.id == user.id).values(password_hash=hash_password(password)))
        db.session.commit()


def start_session(user: User, password: str | None = None) -> UserSession:
    """Open a new server-side session for a freshly authenticated user and commit."""
    # A plain UPDATE, not the versioned ORM row: two logins of one user at once (two devices, a
    # double click) would otherwise make the second a StaleDataError, a 500 on PostgreSQL. These
    # columns are not in any form, so there is no edit for the version to protect.
    stamp = {"last_login_at": utcnow()}
    if password and needs_rehash(user.password_hash):
        stamp["password_hash"] = hash_password(password)
    db.session.execute(sa.update(User).where(User.id == user.id).values(**stamp))
    token = secrets.token_urlsafe(32)
    user_session = UserSession(token_hash=_token_hash(token), user=user)
    user_session.token = token
    db.session.add(user_session)
    audit.record("login", object_type="user", object_id=user.id, actor=user)
    db.session.commit()
    user_session.token = token
    user.current_session = user_session
    return user_session


def session_expiry_reason(user_session: UserSession) -> str | None:
    """Why this session can no longer be used, or None while it is valid."""
    config = current_app.config
    now = utcnow()
    if user_session.revoked_at is not None:
        return "revoked"
    if not user_session.user.is_enabled:
        return "disabled"
    if now - user_session.created_at > timedelta(hours=config["ABSOLUTE_TIMEOUT_HOURS"]):
        return "absolute_timeout"
    if now - user_session.last_seen_at > timedelta(minutes=config["IDLE_TIMEOUT_MINUTES"]):
        return "idle_timeout"
    return None


def load_session(token: str) -> tuple[User | None, str | None]:
    """Resolve a cookie token to its user, or (None, reason) when the session is no longer valid."""
    if not token:
        return None, None
    user_session = db.session.scalar(sa.select(UserSession).where(UserSession.token_hash == _token_hash(token)))
    if user_session is None:
        return None, "unknown"
    reason = session_expiry_reason(user_session)
    if reason:
        if user_session.revoked_at is None:
            with writing_now():
                user_session.revoked_at = utcnow()
                user_session.revoked_reason = reason
                db.session.commit()
        return None, reason
    if utcnow() - user_session.last_seen_at > TOUCH_INTERVAL:
        _touch(user_session)
    user_session.token = token
    user = user_session.user
    user.current_session = user_session
    return user, None


def _touch(user_session: UserSession) -> None:
    """Note that the session is in use. Bookkeeping only: on a full disk the page is still served
    (the idle timeout then counts from the last use that could be written)."""
    try:
        with writing_now():
            user_session.last_seen_at = utcnow()
            db.session.commit()
    except sa.exc.OperationalError as exc:
        if not is_disk_full(exc):
            raise
        db.session.rollback()
        log.warning("Session use not recorded: the disk is full")


def session_user_id(token: str) -> int | None:
    """The user a (possibly expired) session token belonged to."""
    return db.session.scalar(sa.select(UserSession.user_id).where(UserSession.token_hash == _token_hash(token)))


def end_session(user: User, reason: str = "logout") -> None:
    """Revoke the session the user is logged in with and commit."""
    user_session = user.current_session
    if user_session is not None and user_session.revoked_at is None:
        user_session.revoked_at = utcnow()
        user_session.revoked_reason = reason
    audit.record("logout", object_type="user", object_id=user.id, actor=user)
    db.session.commit()


def _revoke_all(user: User, reason: str) -> None:
    db.session.execute(
        sa.update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason)
    )


def _check_password(password: str, username: str, full_name: str = "") -> None:
    problems = password_problems(password, username, full_name)
    if problems:
        raise ValidationFailed(" ".join(problems), field="password")


def _commit_or_conflict() -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(_("Someone else changed this user in the meantime. Reload the page and try again.")) from None


def create_user(
    username: str,
    role: Role,
    password: str,
    full_name: str = "",
    actor: User | None = None,
    is_enabled: bool = True,
    email: str = "",
) -> User:
    """Create an account and commit.

    :raise ValidationFailed: the username is taken or the password breaks the policy.
    """
    username = username.strip()
    if get_user_by_username(username):
        raise ValidationFailed(_("This username is already taken."), field="username")
    _check_password(password, username, full_name)
    user = User(
        username=username,
        role=Role(role),
        full_name=full_name.strip(),
        password_hash=hash_password(password),
        is_enabled=is_enabled,
        email=email.strip(),
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        "user_created",
        object_type="user",
        object_id=user.id,
        actor=actor,
        actor_name=None if actor else "cli",
        detail=f"role={user.role.value}" + ("" if is_enabled else "; disabled"),
    )
    db.session.commit()
    return user


def update_user(
    user: User,
    *,
    full_name: str,
    role: Role,
    is_enabled: bool,
    version_id: int | None,
    actor: User | None = None,
    email: str | None = None,
    commit: bool = True,
) -> User:
    """Change a user's name, e-mail, role or status and commit (unless the caller goes on with
    the same action); disabling ends their sessions.

    :raise Conflict: the record changed since the form was loaded.
    :raise ValidationFailed: an administrator tried to lock themselves out.
    """
    if user.version_id != version_id:
        raise Conflict(_("Someone else changed this user in the meantime. Reload the page and try again."))
    if actor is not None and actor.id == user.id and (not is_enabled or Role(role) != user.role):
        raise ValidationFailed(_("You cannot disable your own account or change your own role."))
    changes = []
    if user.full_name != full_name.strip():
        changes.append("full_name")
        user.full_name = full_name.strip()
    if email is not None and user.email != email.strip():
        changes.append("email")
        user.email = email.strip()
    if user.role != Role(role):
        changes.append(f"role {user.role.value}->{Role(role).value}")
        user.role = Role(role)
        user.role_granted = True
    if user.is_enabled != is_enabled:
        changes.append("enabled" if is_enabled else "disabled")
        user.is_enabled = is_enabled
    if not changes:
        return user
    if not is_enabled or any(c.startswith("role") for c in changes):
        # A changed role or a disabled account must not keep its old sessions.
        _revoke_all(user, "user_changed")
    audit.record(
        "user_updated",
        object_type="user",
        object_id=user.id,
        actor=actor,
        actor_name=None if actor else "cli",
        detail="; ".join(changes),
    )
    if commit:
        _commit_or_conflict()
    return user


def set_enabled(user: User, enabled: bool, actor: User | None = None) -> User:
    return update_user(
        user, full_name=user.full_name, role=user.role, is_enabled=enabled, version_id=user.version_id, actor=actor
    )


def set_password(user: User, password: str, actor: User | None = None) -> None:
    """Replace a user's password, end all their sessions and commit.

    :raise ValidationFailed: the password breaks the policy.
    """
    _check_password(password, user.username, user.full_name)
    user.password_hash = hash_password(password)
    _revoke_all(user, "password_changed")
    audit.record(
        "password_set", object_type="user", object_id=user.id, actor=actor, actor_name=None if actor else "cli"
    )
    _commit_or_conflict()
