"""Case-team roles are given by two administrators, or announced to the team.

A role that opens case files (organizer, lawyer, social worker) takes effect only when a second
administrator confirms it. An office with one administrator cannot do that: there the role
takes effect at once, and the case team is told by e-mail and on their start page, so nobody
gains access to the files unseen. docs/security.md ("Accounts and second factor") says why.
The caller commits, except in the functions named after a user action (confirm, refuse).
"""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from welfare import audit, mail
from welfare.database import utcnow
from welfare.errors import ValidationFailed
from welfare.extensions import db
from welfare.models import STAFF_ROLES, Role, RoleGrant, User, UserSession

PENDING, CONFIRMED, REFUSED, ANNOUNCED = "pending", "confirmed", "refused", "announced"


def administrators() -> int:
    """How many enabled administrators the office has."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(User).where(User.role == Role.ADMIN, User.is_enabled.is_(True))
    )


def pending_for(user: User) -> RoleGrant | None:
    return db.session.scalar(sa.select(RoleGrant).where(RoleGrant.user_id == user.id, RoleGrant.state == PENDING))


def pending_for_role(user: User, role: Role) -> bool:
    """Whether this very grant already waits (saving the form again asks nothing new)."""
    grant = pending_for(user)
    return grant is not None and grant.role == Role(role)


def pending() -> list[RoleGrant]:
    return list(db.session.scalars(sa.select(RoleGrant).where(RoleGrant.state == PENDING).order_by(RoleGrant.id)))


def _revoke_sessions(user: User) -> None:
    # A changed role must not keep the sessions opened under the old one.
    db.session.execute(
        sa.update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason="user_changed")
        .execution_options(synchronize_session=False)
    )


def _announce(grant: RoleGrant, user: User, actor: User) -> None:
    """Tell the case team by e-mail that a colleague has case access now."""
    team = db.session.scalars(
        sa.select(User).where(
            User.role.in_(STAFF_ROLES), User.is_enabled.is_(True), User.role_granted.is_(True), User.email != ""
        )
    ).all()
    office = current_app.config["OFFICE_NAME"]
    for member in team:
        if member.id == user.id:
            continue
        body = "\n".join(
            [
                _("Hello,"),
                "",
                _(
                    "%(admin)s gave %(name)s the role %(role)s at %(office)s. With it, %(name)s can open case files.",
                    admin=actor.full_name or actor.username,
                    name=user.full_name or user.username,
                    role=grant.role.label,
                    office=office,
                ),
                _(
                    "The office has a single administrator, so no second administrator confirmed it. "
                    "If you did not expect this, tell the head of the office."
                ),
            ]
        )
        mail.queue(
            member.email, _("New case-team member at %(office)s", office=office), body, about=f"grant:{grant.id}"
        )


def apply_role(user: User, role: Role, actor: User | None, new_account: bool = False) -> str:
    """Give the user a role, by the rule above; return what happened (for the flash message).
    Roles outside the case team change at once."""
    role = Role(role)
    if role not in STAFF_ROLES:
        if not new_account:
            user.role = role
        user.role_granted = True
        return CONFIRMED
    for old in db.session.scalars(sa.select(RoleGrant).where(RoleGrant.user_id == user.id, RoleGrant.state == PENDING)):
        old.state, old.decided_at, old.decided_by_id = REFUSED, utcnow(), actor.id if actor else None
    grant = RoleGrant(user_id=user.id, role=role, requested_by_id=actor.id if actor else None)
    db.session.add(grant)
    db.session.flush()
    if actor is not None and administrators() >= 2:
        grant.state = PENDING
        if new_account:
            user.role = role
            user.role_granted = False
        audit.record("role_grant_requested", object_type="user", object_id=user.id, actor=actor, detail=role.value)
        return PENDING
    grant.state = ANNOUNCED
    grant.decided_at = utcnow()
    user.role = role
    user.role_granted = True
    if not new_account:
        _revoke_sessions(user)
    audit.record("role_grant_announced", object_type="user", object_id=user.id, actor=actor, detail=role.value)
    if actor is not None:
        _announce(grant, user, actor)
    return ANNOUNCED


def confirm(grant: RoleGrant, actor: User) -> None:
    """A second administrator confirms a pending grant; the role takes effect; commit.

    :raise ValidationFailed: the grant is not pending, or the actor asked for it themselves.
    """
    if grant.state != PENDING:
        raise ValidationFailed(_("This role change was decided already."))
    if grant.requested_by_id == actor.id:
        raise ValidationFailed(_("Another administrator must confirm a role change you asked for."))
    user = db.session.get(User, grant.user_id)
    grant.state, grant.decided_at, grant.decided_by_id = CONFIRMED, utcnow(), actor.id
    user.role = grant.role
    user.role_granted = True
    _revoke_sessions(user)
    audit.record("role_grant_confirmed", object_type="user", object_id=user.id, actor=actor, detail=grant.role.value)
    db.session.commit()


def refuse(grant: RoleGrant, actor: User) -> None:
    """Turn a pending grant down (either administrator may); commit. A new account whose role was
    waiting stays without one until a new grant."""
    if grant.state != PENDING:
        raise ValidationFailed(_("This role change was decided already."))
    grant.state, grant.decided_at, grant.decided_by_id = REFUSED, utcnow(), actor.id
    audit.record(
        "role_grant_refused", object_type="user", object_id=grant.user_id, actor=actor, detail=grant.role.value
    )
    db.session.commit()


def recent_announcements() -> list[RoleGrant]:
    """Grants that took effect without a second administrator, for the team's start page."""
    since = utcnow() - timedelta(days=current_app.config["ROLE_ANNOUNCEMENT_DAYS"])
    return list(
        db.session.scalars(
            sa.select(RoleGrant)
            .where(
                RoleGrant.state == ANNOUNCED, RoleGrant.requested_by_id.is_not(None), RoleGrant.requested_at >= since
            )
            .order_by(RoleGrant.requested_at.desc())
        )
    )
