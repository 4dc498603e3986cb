"""Shared models: users, their server-side sessions and the append-only audit log."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from welfare.database import utcnow
from welfare.extensions import db


class Role(str, enum.Enum):
    ORGANIZER = "organizer"
    LAWYER = "lawyer"
    SOCIAL_WORKER = "social_worker"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

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
}

# The three-person office team; they handle walk-ins and curate the catalog.
STAFF_ROLES = frozenset({Role.ORGANIZER, Role.LAWYER, Role.SOCIAL_WORKER})


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(120), default="")
    role: Mapped[Role] = mapped_column(
        sa.Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    is_enabled: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(sa.String(5))
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
        return self.role in STAFF_ROLES

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
