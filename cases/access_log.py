"""The case access log: every view, edit, print and export of a case or person, append-only.

Separate from the audit log (which records administration) because it is what a person's
data-subject request (GDPR Art. 15) extracts, and what retention must keep apart from content.
"""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import Mapped, mapped_column

from welfare.database import utcnow
from welfare.extensions import db


class AccessAction(str, enum.Enum):
    VIEW = "view"
    CREATE = "create"
    EDIT = "edit"
    PRINT = "print"
    EXPORT = "export"
    # Data shared with an organization (a referral sent, or its link issued again).
    SEND = "send"


# Why a case is printed or exported; the person may later ask who printed what and why.
PRINT_PURPOSES = {
    "for_person": _l("A copy for the person"),
    "for_organization": _l("For an organization the person consented to"),
    "for_file": _l("For the paper file of the office"),
    "legal": _l("Legal procedure or request of an authority"),
}


class CaseAccess(db.Model):
    __tablename__ = "case_access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    # Kept verbatim so the log stays readable after a user is renamed or disabled.
    username: Mapped[str] = mapped_column(sa.String(64), default="")
    role: Mapped[str] = mapped_column(sa.String(20), default="")
    action: Mapped[AccessAction] = mapped_column(
        sa.Enum(AccessAction, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e])
    )
    # Plain ids, no foreign keys: the log outlives an erased person (GDPR Art. 17) and cannot be
    # rewritten, so it keeps the bare numbers (cases/privacy/erasure.py).
    case_id: Mapped[int | None] = mapped_column(index=True)
    person_id: Mapped[int | None] = mapped_column(index=True)
    what: Mapped[str] = mapped_column(sa.String(40), default="")  # case, person, plan, ...
    purpose: Mapped[str | None] = mapped_column(sa.String(40))


@sa.event.listens_for(CaseAccess, "before_update")
@sa.event.listens_for(CaseAccess, "before_delete")
def _refuse_change(_mapper, _connection, _target):
    raise RuntimeError("the case access log is append-only")


def record_access(
    action: AccessAction,
    *,
    case_id: int | None = None,
    person_id: int | None = None,
    what: str = "case",
    purpose: str | None = None,
    user=None,
) -> CaseAccess:
    """Add an access row for the current user to the session; the caller commits with its action.

    For read-only pages call `welfare.database.begin_write()` first on SQLite so the row can
    be written, then commit.
    """
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    row = CaseAccess(
        user_id=user.id if user else None,
        username=user.username if user else "",
        role=user.role.value if user else "",
        action=action,
        case_id=case_id,
        person_id=person_id,
        what=what,
        purpose=purpose,
    )
    db.session.add(row)
    return row


# The same rule in the database, so no raw SQL or console session can rewrite who saw what.
ACCESS_LOG_TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER case_access_log_no_update BEFORE UPDATE ON case_access_log "
        "BEGIN SELECT RAISE(ABORT, 'the case access log is append-only'); END",
        "CREATE TRIGGER case_access_log_no_delete BEFORE DELETE ON case_access_log "
        "BEGIN SELECT RAISE(ABORT, 'the case access log is append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION case_access_log_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'the case access log is append-only'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER case_access_log_no_change BEFORE UPDATE OR DELETE ON case_access_log "
        "FOR EACH ROW EXECUTE FUNCTION case_access_log_append_only()",
    ],
}

for _dialect, _statements in ACCESS_LOG_TRIGGERS.items():
    for _sql in _statements:
        sa.event.listen(CaseAccess.__table__, "after_create", sa.DDL(_sql).execute_if(dialect=_dialect))
