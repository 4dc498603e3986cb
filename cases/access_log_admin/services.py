"""Queries over the case access log for administrators: filters, page rows, CSV."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from cases.access_log import PRINT_PURPOSES, CaseAccess, record_label
from cases.access_log_admin.forms import ACTION_LABELS
from cases.models import Case
from welfare.clock import to_utc
from welfare.extensions import db
from welfare.models import Role

CSV_LIMIT = 100_000  # a year of a busy office; narrow the filter for more


@dataclass(frozen=True)
class AccessFilter:
    user: str = ""
    case: str = ""
    date_from: date | None = None
    date_to: date | None = None
    action: str = ""


def filtered(f: AccessFilter) -> sa.Select:
    """The matching rows, newest first. Dates are office days (Europe/Ljubljana), stored times UTC."""
    query = sa.select(CaseAccess).order_by(CaseAccess.at.desc(), CaseAccess.id.desc())
    if f.user:
        query = query.where(sa.func.lower(CaseAccess.username) == f.user.strip().lower())
    if f.case:
        case_id = sa.select(Case.id).where(Case.number == f.case.strip()).scalar_subquery()
        query = query.where(CaseAccess.case_id == case_id)
    if f.date_from:
        query = query.where(CaseAccess.at >= to_utc(datetime.combine(f.date_from, time.min)))
    if f.date_to:
        query = query.where(CaseAccess.at < to_utc(datetime.combine(f.date_to + timedelta(days=1), time.min)))
    if f.action:
        query = query.where(CaseAccess.action == f.action)
    return query


def case_numbers(rows) -> dict[int, str]:
    """Case numbers of the rows' cases, in one query (the number is all the viewer shows of a case)."""
    ids = {row.case_id for row in rows if row.case_id}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(Case.id, Case.number).where(Case.id.in_(ids))).all())


def purpose_label(row: CaseAccess) -> str:
    return str(PRINT_PURPOSES.get(row.purpose, row.purpose or ""))


def action_label(row: CaseAccess) -> str:
    return str(ACTION_LABELS.get(row.action, row.action))


def role_label(row: CaseAccess) -> str:
    """The role the user had then, in words ("" for a row written without a user)."""
    try:
        return Role(row.role).label
    except ValueError:
        return row.role or ""


def labels() -> dict:
    """What the page's table turns codes into words with."""
    return {
        "purpose_label": purpose_label,
        "action_label": action_label,
        "role_label": role_label,
        "record_label": record_label,
    }


CSV_HEADER = ["time_utc", "username", "role", "action", "case_number", "person_id", "record", "purpose"]


def _cell(value) -> str:
    # A spreadsheet runs a cell starting with = + - @ as a formula: never from the log.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_text(f: AccessFilter) -> tuple[str, int]:
    """The filtered log as CSV (UTF-8 with BOM, so spreadsheet programs read č/š/ž) and its row count."""
    rows = db.session.scalars(filtered(f).limit(CSV_LIMIT)).all()
    numbers = case_numbers(rows)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(
            _cell(value)
            for value in (
                row.at.isoformat(timespec="seconds") + "Z",
                row.username,
                row.role,
                row.action.value,
                numbers.get(row.case_id, ""),
                row.person_id or "",
                row.what,
                row.purpose or "",
            )
        )
    return out.getvalue(), len(rows)
