"""Accounts the person sets up themselves: an administrator creates the account without a
password, the system e-mails a one-time enrollment link, and the person chooses the password.
Also: password change (the current one required) and reset by an e-mailed link.

Links carry a random token; only its SHA-256 is stored, it expires, and it works once.
Each function that changes state commits once at its end.
"""

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from welfare import audit, mail
from welfare.accounts import grants
from welfare.auth import services as auth_services
from welfare.database import utcnow
from welfare.errors import Conflict, ValidationFailed
from welfare.extensions import db
from welfare.models import AccountToken, Role, User, UserSession
from welfare.passwords import hash_password, password_problems, verify_password
from welfare.urls import public_url

ENROLL, RESET = "enroll", "reset"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link(endpoint: str, token: str) -> str:
    """The link as the recipient opens it (welfare.urls: under PUBLIC_URL when set)."""
    return public_url(endpoint, token=token)


def _new_token(user: User, purpose: str) -> str:
    """A fresh link for the user; any earlier open link of the same kind stops working."""
    now = utcnow()
    db.session.execute(
        sa.update(AccountToken)
        .where(AccountToken.user_id == user.id, AccountToken.purpose == purpose, AccountToken.closed_at.is_(None))
        .values(closed_at=now, closed_reason="replaced")
        .execution_options(synchronize_session=False)
    )
    hours = current_app.config["ENROLLMENT_LINK_HOURS" if purpose == ENROLL else "RESET_LINK_HOURS"]
    token = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(user_id=user.id, purpose=purpose, token_hash=_hash(token), expires_at=now + timedelta(hours=hours))
    )
    return token


def open_token(token: str, purpose: str) -> AccountToken | None:
    """The open, unexpired link with this token, or None (unknown, used, replaced or expired)."""
    row = db.session.scalar(
        sa.select(AccountToken).where(AccountToken.token_hash == _hash(token), AccountToken.purpose == purpose)
    )
    if row is None or row.closed_at is not None or row.expires_at <= utcnow():
        return None
    user = db.session.get(User, row.user_id)
    return row if user is not None and user.is_enabled else None


def _close(row: AccountToken) -> bool:
    """Mark the link used; False when another request used it first (a double submit)."""
    return bool(
        db.session.execute(
            sa.update(AccountToken)
            .where(AccountToken.id == row.id, AccountToken.closed_at.is_(None))
            .values(closed_at=utcnow(), closed_reason="used")
            .execution_options(synchronize_session=False)
        ).rowcount
    )


def _send_enrollment(user: User) -> None:
    token = _new_token(user, ENROLL)
    office = current_app.config["OFFICE_NAME"]
    hours = current_app.config["ENROLLMENT_LINK_HOURS"]
    body = "\n".join(
        [
            _("Hello,"),
            "",
            _("an account %(name)s was made for you at %(office)s.", name=user.username, office=office),
            _("Open this link to choose your own password and finish setting up the account:"),
            "",
            link("accounts.enroll", token),
            "",
            _("The link works once, for %(hours)d hours. Nobody else knows your password.", hours=hours),
            _("If you did not expect this message, ignore it."),
        ]
    )
    mail.queue(user.email, _("Your account at %(office)s", office=office), body, about=f"user:{user.id}")
    audit.record("enrollment_link_sent", object_type="user", object_id=user.id)


def create_account(
    username: str,
    full_name: str,
    email: str,
    role: Role,
    actor: User,
    is_enabled: bool = True,
    partner_organization_id: str | None = None,
) -> tuple[User, str]:
    """Create an account without a password, e-mail its enrollment link and commit.
    A case-team role follows the second-administrator rule (grants.py), whose outcome is returned.
    A partner account names its organization (the partners feature checks that it exists).

    :raise ValidationFailed: the username is taken, or a partner without an organization.
    """
    username = username.strip()
    if auth_services.get_user_by_username(username):
        raise ValidationFailed(_("This username is already taken."), field="username")
    role = Role(role)
    if (role == Role.PARTNER) != bool(partner_organization_id):
        raise ValidationFailed(_("A partner account belongs to one organization of the catalog."), field="role")
    user = User(
        username=username,
        full_name=full_name.strip(),
        email=email.strip(),
        role=role,
        password_hash="",
        is_enabled=is_enabled,
        partner_organization_id=partner_organization_id,
    )
    db.session.add(user)
    db.session.flush()
    detail = f"role={role.value}" + ("" if is_enabled else "; disabled")
    if partner_organization_id:
        detail += f"; organization={partner_organization_id}"
    audit.record("user_created", object_type="user", object_id=user.id, actor=actor, detail=detail)
    outcome = grants.apply_role(user, role, actor, new_account=True)
    _send_enrollment(user)
    db.session.commit()
    return user, outcome


def resend_enrollment(user: User, actor: User) -> None:
    """A new enrollment link (the old one stops working) and commit.

    :raise ValidationFailed: the account has no e-mail address or is enrolled already.
    """
    if not user.email:
        raise ValidationFailed(_("The account has no e-mail address. Add one first."))
    if user.is_enrolled:
        raise ValidationFailed(_("%(name)s has set a password already.", name=user.username))
    _send_enrollment(user)
    db.session.commit()


def update_account(
    user: User, *, full_name: str, email: str, role: Role, is_enabled: bool, version_id: int | None, actor: User
) -> str | None:
    """An administrator's edit; a case-team role goes through the grant rule; commit.
    Returns the grant's state when a case-team role was asked for.

    :raise Conflict: the record changed since the form was loaded.
    :raise ValidationFailed: an administrator tried to lock themselves out.
    """
    role = Role(role)
    if role == Role.PARTNER and not user.partner_organization_id:
        raise ValidationFailed(_("Invite partners from the partners page, with their organization."), field="role")
    team_role = role in grants.STAFF_ROLES and (role != user.role or not user.role_granted)
    if team_role and actor.id == user.id:
        raise ValidationFailed(_("You cannot disable your own account or change your own role."))
    try:
        auth_services.update_user(
            user,
            full_name=full_name,
            email=email,
            role=user.role if team_role else role,
            is_enabled=is_enabled,
            version_id=version_id,
            actor=actor,
            commit=False,
        )
        asked = team_role and not grants.pending_for_role(user, role)
        outcome = grants.apply_role(user, role, actor) if asked else None
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(_("Someone else changed this user in the meantime. Reload the page and try again.")) from None
    return outcome


def _set_password(user: User, password: str) -> None:
    problems = password_problems(password, user.username, user.full_name)
    if problems:
        raise ValidationFailed(" ".join(problems), field="password")
    user.password_hash = hash_password(password)


def enroll(row: AccountToken, password: str) -> User:
    """The person sets their first password through the enrollment link; commit.

    :raise ValidationFailed: the password breaks the policy, or the link was used meanwhile.
    """
    user = db.session.get(User, row.user_id)
    _set_password(user, password)
    if not _close(row):
        db.session.rollback()
        raise ValidationFailed(_("This link has already been used."))
    audit.record("enrolled", object_type="user", object_id=user.id, actor=user)
    db.session.commit()
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Change one's own password (the current one required); other sessions end; commit.

    :raise ValidationFailed: the current password is wrong or the new one breaks the policy.
    """
    if not verify_password(user.password_hash, current):
        raise ValidationFailed(_("The current password is not right."), field="current")
    _set_password(user, new)
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(_("Your account was changed in the meantime. Reload the page and try again.")) from None
    keep = user.current_session.id if user.current_session else None
    db.session.execute(
        sa.update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None), UserSession.id != keep)
        .values(revoked_at=utcnow(), revoked_reason="password_changed")
        .execution_options(synchronize_session=False)
    )
    audit.record("password_changed", object_type="user", object_id=user.id, actor=user)
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(_("Your account was changed in the meantime. Reload the page and try again.")) from None


def _account_for(name_or_email: str) -> User | None:
    text = name_or_email.strip().lower()
    if not text:
        return None
    if "@" in text:
        matches = db.session.scalars(sa.select(User).where(sa.func.lower(User.email) == text)).all()
        return matches[0] if len(matches) == 1 else None
    return auth_services.get_user_by_username(text)


def request_reset(name_or_email: str) -> None:
    """E-mail a reset link when an enrolled, enabled account with an address matches; commit.
    The caller answers the same either way."""
    user = _account_for(name_or_email)
    if user is None or not (user.is_enabled and user.email and user.is_enrolled):
        audit.record("password_reset_asked", actor_name="", detail="no matching account")
        db.session.commit()
        return
    token = _new_token(user, RESET)
    office = current_app.config["OFFICE_NAME"]
    body = "\n".join(
        [
            _("Hello,"),
            "",
            _(
                "someone asked to reset the password of your account %(name)s at %(office)s.",
                name=user.username,
                office=office,
            ),
            _("To choose a new password, open this link:"),
            "",
            link("accounts.reset", token),
            "",
            _("The link works once, for %(hours)d hours.", hours=current_app.config["RESET_LINK_HOURS"]),
            _("If it was not you, ignore this message: your password stays as it is."),
        ]
    )
    mail.queue(user.email, _("Password reset at %(office)s", office=office), body, about=f"user:{user.id}")
    audit.record("password_reset_asked", object_type="user", object_id=user.id, actor_name="")
    db.session.commit()


def reset_password(row: AccountToken, password: str) -> User:
    """Set a new password through a reset link; all sessions end, the second factor stays; commit.

    :raise ValidationFailed: the password breaks the policy, or the link was used meanwhile.
    """
    user = db.session.get(User, row.user_id)
    _set_password(user, password)
    if not _close(row):
        db.session.rollback()
        raise ValidationFailed(_("This link has already been used."))
    db.session.execute(
        sa.update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason="password_reset")
        .execution_options(synchronize_session=False)
    )
    audit.record("password_reset_done", object_type="user", object_id=user.id, actor=user)
    db.session.commit()
    return user
