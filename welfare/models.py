"""Shared models: users, their server-side sessions and the append-only audit log."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from welfare.crypto import EncryptedText
from welfare.database import utcnow
from welfare.extensions import db


class Role(str, enum.Enum):
    ORGANIZER = "organizer"
    LAWYER = "lawyer"
    SOCIAL_WORKER = "social_worker"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    # Someone at an organization of the catalog: sees the referrals sent to it, nothing else.
    PARTNER = "partner"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(role.value, role.label) for role in cls]


ROLE_LABELS = {
    Role.ORGANIZER: _l("Organizer and informant"),
    Role.LAWYER: _l("Lawyer"),
    Role.SOCIAL_WORKER: _l("Social worker"),
    Role.SUPERVISOR: _l("Supervisor"),
    Role.ADMIN: _l("Administrator"),
    Role.PARTNER: _l("Partner organization"),
}

# The three-person office team; they handle walk-ins and curate the catalog.
STAFF_ROLES = frozenset({Role.ORGANIZER, Role.LAWYER, Role.SOCIAL_WORKER})
# Who must have a second factor (TOTP): everyone who can read cases, and whoever manages accounts.
# Partners are people outside the office reading referrals of its cases: they need one too.
TOTP_ROLES = STAFF_ROLES | {Role.ADMIN, Role.PARTNER}


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(120), default="")
    role: Mapped[Role] = mapped_column(
        sa.Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    # Empty until the person sets their own password through the enrollment link.
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    # The TOTP secret (base32), encrypted at rest; usable once confirmed with a first code.
    totp_secret: Mapped[str | None] = mapped_column(EncryptedText("user.totp_secret"))
    totp_confirmed_at: Mapped[datetime | None]
    # The last time step whose code was accepted: a code is good once, never replayed.
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    # False while a case-team role given to a new account waits for a second administrator:
    # the account then opens nothing but its own account pages.
    role_granted: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    is_enabled: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    # A partner's organization (a catalog row, named by its table only: the core imports no
    # feature). Set for role partner, which sees that organization's referrals and nothing else.
    partner_organization_id: Mapped[str | None] = mapped_column(
        sa.String(64), sa.ForeignKey("organization.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Optimistic locking: two admins editing the same user cannot silently overwrite each other.
    version_id: Mapped[int] = mapped_column(default=1)

    sessions: Mapped[list["UserSession"]] = relationship(back_populates="user")

    __mapper_args__ = {"version_id_col": version_id}

    # Set by the user loader: the server-side session this request runs under.
    current_session = None

    def get_id(self) -> str:
        # Flask-Login stores this in the cookie; it names the server-side session, not the user,
        # so logging out (revoking the session) makes a replayed cookie worthless.
        return self.current_session.token if self.current_session else ""

    @property
    def is_active(self) -> bool:
        return self.is_enabled

    @property
    def is_staff(self) -> bool:
        return self.role_granted and self.role in STAFF_ROLES

    @property
    def has_totp(self) -> bool:
        return self.totp_confirmed_at is not None

    @property
    def is_enrolled(self) -> bool:
        return bool(self.password_hash)

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role.value}>"


class UserSession(db.Model):
    """A server-side login session; the cookie carries only its random token."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(sa.String(40))

    user: Mapped[User] = relationship(back_populates="sessions")

    # The raw token exists only in memory right after login and in the user's cookie.
    token = ""


class AccountToken(db.Model):
    """A one-time link for enrollment or a password reset; only the token's hash is kept."""

    __tablename__ = "account_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(10))  # "enroll" or "reset"
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    # Set when the link was used, or replaced by a newer one: either way it opens nothing more.
    closed_at: Mapped[datetime | None]
    closed_reason: Mapped[str | None] = mapped_column(sa.String(10))


class RecoveryCode(db.Model):
    """A single-use code that stands in for a TOTP code; stored as an argon2 hash."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(255))
    used_at: Mapped[datetime | None]


class RoleGrant(db.Model):
    """A case-team role given to an account: pending until a second administrator confirms it,
    or announced to the team when the office has a single administrator."""

    __tablename__ = "role_grant"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(
        sa.Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # pending -> confirmed | refused; "announced": taken effect at once (single administrator).
    state: Mapped[str] = mapped_column(sa.String(10), default="pending", index=True)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    decided_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])


class AuditEvent(db.Model):
    """Append-only record of who did what, when and why. Never updated or deleted."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    # Kept verbatim so the trail stays readable after a user is renamed.
    actor_name: Mapped[str] = mapped_column(sa.String(64), default="")
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(sa.String(40))
    object_id: Mapped[str | None] = mapped_column(sa.String(64))
    purpose: Mapped[str | None] = mapped_column(sa.String(200))
    detail: Mapped[str | None] = mapped_column(sa.Text)


@sa.event.listens_for(AuditEvent, "before_update")
@sa.event.listens_for(AuditEvent, "before_delete")
def _refuse_audit_change(_mapper, _connection, _target):
    raise RuntimeError("audit events are append-only")


# The same rule in the database itself, so no raw SQL or console session can rewrite history.
AUDIT_TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
        "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
    ],
}

for _dialect, _statements in AUDIT_TRIGGERS.items():
    for _sql in _statements:
        sa.event.listen(AuditEvent.__table__, "after_create", sa.DDL(_sql).execute_if(dialect=_dialect))
