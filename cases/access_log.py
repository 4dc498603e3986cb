"""The case access log: every view, edit, print and export of a case or person, append-only.

Separate from the audit log (which records administration) because it is what a person's
data-subject request (GDPR Art. 15) extracts, and what retention must keep apart from content.

Tamper-evident: each row carries the SHA-256 of its own content and of the row before it
(`prev_hash`, `row_hash`), computed as the rows are flushed, one writer at a time. A row
deleted, edited or slipped in (after dropping the triggers) breaks the chain at that point;
`flask cases verify-access-log` reports the first broken link, and `flask backup` records the
head in its manifest, so cutting rows off the end shows against a kept backup.
"""

import enum
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, g, has_request_context
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import Mapped, mapped_column

from welfare.database import utcnow, writing_now
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


# What a row is about (`CaseAccess.what`), as the access-log viewer and the person's export name it.
RECORD_LABELS = {
    "case": _l("Case"),
    "person": _l("Person"),
    "person_search": _l("Person search"),
    "duplicate_check": _l("Check for a duplicate person"),
    "challenge": _l("Challenge"),
    "timeline": _l("Timeline"),
    "consent": _l("Consent"),
    "history": _l("Case history"),
    "plan": _l("Plan"),
    "deadline": _l("Legal deadline"),
    "referral": _l("Referral"),
    "referral_link": _l("Referral page of the organization"),
    "partner_referral": _l("Referral in the partner's inbox"),
    "unmet_need": _l("Unmet need"),
    "work_list": _l("My work list"),
    "calendar_feed": _l("Calendar feed"),
    "document": _l("Document"),
    "document_deleted": _l("Document deleted"),
    "person_merge": _l("Persons merged"),
}


def record_label(what: str | None) -> str:
    """The row's record in words; an unknown code is shown as it is rather than hidden."""
    return str(RECORD_LABELS.get(what or "", what or ""))


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
    # What a search was, without what was typed: "n=<results> q=<keyed hash of the query>".
    detail: Mapped[str | None] = mapped_column(sa.String(64))
    # The chain: the previous row's row_hash ("" for the first row) and this row's own hash.
    prev_hash: Mapped[str] = mapped_column(sa.String(64), default="", server_default="")
    row_hash: Mapped[str] = mapped_column(sa.String(64), default="", server_default="")


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
    detail: str | None = None,
) -> CaseAccess | None:
    """Add an access row for the current user to the session; the caller commits with its action.

    A view of the same case or person is written once per request (the loading helper has
    usually written it already: see `log_read`); then this returns None.
    For read-only pages call `welfare.database.begin_write()` first on SQLite so the row can
    be written, then commit.
    """
    if action == AccessAction.VIEW and has_request_context():
        seen = g.setdefault("access_logged", set())
        if (case_id, person_id, what == "person_search") in seen:
            return None
        seen.add((case_id, person_id, what == "person_search"))
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
        detail=detail,
    )
    db.session.add(row)
    return row


def log_read(*, case_id: int | None = None, person_id: int | None = None, what: str = "case", user=None) -> None:
    """Write the access row for a read of a case or person now, before anything is shown (on a
    full disk the page is refused, never shown unlogged). Once per request and record; on a
    read-only request the write lock is taken just for this row."""
    log_reads([(case_id, person_id)], what=what, user=user)


def log_reads(records, *, what: str, user=None) -> None:
    """`log_read` for many (case id, person id) pairs shown on one page, in one transaction."""
    with writing_now():
        added = [
            record_access(AccessAction.VIEW, case_id=case_id, person_id=person_id, what=what, user=user)
            for case_id, person_id in records
        ]
        if any(added):
            db.session.commit()


def query_tag(text: str) -> str:
    """A search's typed text as a keyed hash (HMAC-SHA256 under SECRET_KEY, 16 hex digits): the
    log can show the same search repeated, and an auditor holding the key can test whether a
    given name was searched, but the log never holds a name."""
    normalised = " ".join(text.lower().split())
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()[:16]


def log_search(text: str, person_ids: list[int], *, what: str = "person_search") -> None:
    """A search that listed persons: one row for the search (how many, and the query's keyed
    hash, never the text), and one per person shown, so each appears in their Art. 15 extract."""
    with writing_now():
        record_access(AccessAction.VIEW, what=what, detail=f"n={len(person_ids)} q={query_tag(text)}")
        for person_id in person_ids:
            record_access(AccessAction.VIEW, person_id=person_id, what=what)
        db.session.commit()


# --- the hash chain -----------------------------------------------------------------------------

# Any constant: PostgreSQL's transaction-scoped lock that lets one writer at a time extend the
# chain (SQLite's writers queue on BEGIN IMMEDIATE already).
CHAIN_LOCK = 2_104_21


def row_digest(
    prev_hash: str, at: datetime, user_id, username, role, action, case_id, person_id, what, purpose, detail
) -> str:
    """The hash a row must carry: its content and its predecessor's hash, in a fixed encoding."""
    action = action.value if isinstance(action, AccessAction) else action
    content = [prev_hash, at.isoformat(timespec="microseconds"), user_id, username or "", role or ""]
    content += [action, case_id, person_id, what or "", purpose, detail]
    return hashlib.sha256(json.dumps(content, separators=(",", ":")).encode()).hexdigest()


def _head(connection) -> str:
    return connection.scalar(sa.select(CaseAccess.row_hash).order_by(CaseAccess.id.desc()).limit(1)) or ""


@sa.event.listens_for(sa.orm.Session, "before_flush")
def _chain_new_rows(session, _context, _instances):
    rows = [obj for obj in session.new if isinstance(obj, CaseAccess)]
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    head = _head(connection)
    # The order the unit of work inserts them in, so ids follow the chain.
    for row in sorted(rows, key=lambda obj: sa.inspect(obj).insert_order):
        row.at = row.at or utcnow()
        row.prev_hash = head
        row.row_hash = head = row_digest(
            head, row.at, row.user_id, row.username, row.role, row.action, row.case_id, row.person_id,
            row.what, row.purpose, row.detail,
        )  # fmt: skip


@dataclass(frozen=True)
class ChainReport:
    rows: int
    head: str
    broken_at: int | None = None  # the id of the first row that does not follow
    problem: str = ""


def verify_chain(session, expect_head: str | None = None) -> ChainReport:
    """Walk the log in id order and report the first row whose hash or link does not hold.
    With `expect_head` (from a backup manifest), also require that hash to be in the chain."""
    table = CaseAccess.__table__
    head, count, seen_expected = "", 0, expect_head is None
    result = session.execute(sa.select(table).order_by(table.c.id).execution_options(yield_per=1000))
    for row in result.mappings():
        count += 1
        if row["prev_hash"] != head:
            return ChainReport(count, head, row["id"], "does not follow the row before it (a row was deleted or added)")
        digest = row_digest(
            head, row["at"], row["user_id"], row["username"], row["role"], row["action"], row["case_id"],
            row["person_id"], row["what"], row["purpose"], row["detail"],
        )  # fmt: skip
        if row["row_hash"] != digest:
            return ChainReport(count, head, row["id"], "was changed after it was written")
        head = digest
        seen_expected = seen_expected or digest == expect_head
    if not seen_expected:
        return ChainReport(count, head, None, "the expected head is not in the log (rows were cut off the end)")
    return ChainReport(count, head)


def chain_head(connection) -> dict:
    """The last row's id and hash, for a backup's manifest."""
    table = CaseAccess.__table__
    if not sa.inspect(connection).has_table(table.name):
        return {}
    row = connection.execute(sa.select(table.c.id, table.c.row_hash).order_by(table.c.id.desc()).limit(1)).first()
    return {"access_log_head": {"id": row.id, "hash": row.row_hash} if row else {"id": None, "hash": ""}}


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
