"""The monthly statement of one organization: the referrals it received in a calendar month,
how soon it answered them, what became of them, its declines by reason and the outcomes it
reported. The partner reads and downloads its own (/partner/statement), the office reads every
organization's (/trends/statements) and mails each its statement (`flask partners send-statements`).

Protected exactly as the trend reports, because it is one of them: the referral figures of
the trend reports (`figures`, the de-identified `TrendReferral` rows and their record keys)
narrowed to one organization, each cell published through `privacy` by `count_table`. So
- the statement's total is the very cell the trend report's "Referrals sent by receiving
  organization" row shows for that organization and month (the same records: the same key,
  the same figure), and its "declined" row the same records as the declines-by-reason total:
  comparing the statement with the trend reports, or one statement with itself, adds nothing;
- it covers one whole calendar month that has ended, never a range: no sum of months can be
  set against a quarter it does not already show in the trend reports;
- the export writes `organization=<id>` in the `filters` column, as a filter of the trend
  reports would be, so the CSV reads like any trend report and says what it is narrowed to.
No person, no name, no free text is read: only months, states, reasons, outcomes and whole days.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from cases.referrals.models import DeclineReason, ReferralOutcome
from cases.trends import export, figures, units
from cases.trends.figures import NONE
from cases.trends.models import TrendReferral
from cases.trends.periods import Period, PeriodError, last_reported_month, make_period
from cases.trends.privacy import Count, display, perturb
from cases.trends.referral_report import state_categories
from cases.trends.tables import Table, count_table, enum_categories, min_cell
from catalog.models import Organization
from welfare import params
from welfare.extensions import db
from welfare.models import AuditEvent

SECTION_KEY = "statement"
SENT_ACTION = "partner_statement_sent"  # the audit log's record that a statement was mailed
IN_TIME, LATE, NOT_ANSWERED = "in_time", "late", "not_answered"


@dataclass(frozen=True)
class StatementSection:
    """The export's `section` column for a statement (`export.csv_text` reads `key`)."""

    key: str = SECTION_KEY


@dataclass(frozen=True)
class OrganizationScope:
    """What a statement is narrowed to, for the export's `filters` column."""

    organization_id: str

    def query(self) -> dict[str, str]:
        return {"organization": self.organization_id}


def answer_days() -> int:
    """PARTNER_ANSWER_DAYS: calendar days from sending within which an answer is in time."""
    value = current_app.config.get("PARTNER_ANSWER_DAYS", 7)
    text = str(value).strip()
    return int(text) if text.isascii() and text.isdigit() and int(text) > 0 else 7


def month_period(raw: str | None, today: date) -> Period:
    """The calendar month asked for as YYYY-MM; the last month that has ended when none is.

    :raise PeriodError: a month that is not YYYY-MM or out of range.
    """
    if not raw:
        return Period("month", last_reported_month(today), 1)
    return make_period("month", raw, None, today)


def has_ended(period: Period, today: date) -> bool:
    return period.until(last_reported_month(today)) is not None


def recent_months(today: date, count: int = 24) -> list[Period]:
    """The months a statement is offered for: the last `count` that have ended, newest first."""
    last = last_reported_month(today)
    return [Period("month", last - i, 1) for i in range(count)]


def _answer_category():
    """Each sent referral in one of three: answered within N days, answered later, no answer
    (still waiting, or cancelled by the office before an answer)."""
    days = TrendReferral.answer_days
    return sa.case((days <= answer_days(), IN_TIME), (days.is_not(None), LATE), else_=NOT_ANSWERED)


def _answer_categories() -> list[tuple[str, str]]:
    n = answer_days()
    return [
        (IN_TIME, _("Answered within %(n)d days", n=n)),
        (LATE, _("Answered after more than %(n)d days", n=n)),
        (NOT_ANSWERED, _("Not answered (still waiting, or cancelled by the office first)")),
    ]


def statement_tables(organization_id: str, period: Period, today: date) -> list[Table]:
    """The statement's tables for one organization and one calendar month (none before the
    month has ended). Referrals count in the month they were sent; what became of them is as
    of today."""
    if not has_ended(period, today):
        return []
    units.ensure_built()
    months = list(period.month_indexes)

    def by(category) -> dict:
        return figures.organization_referrals_by(category, months, organization_id)

    answered = count_table(
        "statement_answer",
        _("Referrals received, by how soon they were answered"),
        _("Answer"),
        _answer_categories(),
        by(_answer_category()),
        [period],
        note=_(
            "Days are calendar days from the day the office sent the referral to the day of the first acceptance or decline."
        ),
    )
    answered.total.label = _("Referrals received")
    state = count_table(
        "statement_state",
        _("Referrals received, by what became of them"),
        _("State today"),
        state_categories(),
        by(TrendReferral.state),
        [period],
    )
    state.total.label = _("Referrals received")
    declined = count_table(
        "statement_declined",
        _("Declined referrals by reason"),
        _("Reason"),
        enum_categories(DeclineReason),
        by(TrendReferral.decline_reason),
        [period],
    )
    outcome = count_table(
        "statement_outcome",
        _("Completed referrals by the outcome reported"),
        _("Outcome"),
        enum_categories(ReferralOutcome),
        by(TrendReferral.outcome),
        [period],
    )
    return [answered, state, declined, outcome]


def received(tables: list[Table]) -> int:
    """The statement's published number of referrals received (0 when it has no tables)."""
    return int(tables[0].total.cells[0].value or 0) if tables else 0


def organizations_with_statement(period: Period, today: date) -> list[tuple[Organization, int]]:
    """The organizations whose statement for the month shows referrals received, by name, with
    that figure. Judged on the published figure only (the trend reports' organization row):
    which organizations are listed, or mailed, says no more than the trend reports do."""
    if not has_ended(period, today):
        return []
    units.ensure_built()
    k = min_cell()
    figure = figures.referrals_by(TrendReferral.organization_id, list(period.month_indexes), NONE)
    shown = {org_id: perturb(sum(months.values(), Count()), k) for org_id, months in figure.items()}
    shown = {org_id: value for org_id, value in shown.items() if value > 0}
    if not shown:
        return []
    organizations = db.session.scalars(sa.select(Organization).where(Organization.id.in_(list(shown))))
    return sorted(((org, shown[org.id]) for org in organizations), key=lambda pair: pair[0].name.casefold())


# ---- pages and downloads ----------------------------------------------------------------------

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def requested_month(today: date) -> Period:
    """The month in the query string (`month=YYYY-MM`; default: the last that has ended).

    :raise params.BadParameter: a month that cannot be read (a translated 400).
    """
    try:
        return month_period(params.text("month", 10) or None, today)
    except PeriodError as error:
        if str(error) == "range":
            message = _("“%(name)s” must be a month between 2000-01 and 2100-12.", name="month")
        else:
            message = _("“%(name)s” must be a month written as YYYY-MM.", name="month")
        raise params.BadParameter("month", message) from None


def sent_on(period: Period) -> dict[str, datetime]:
    """Organization id -> when its statement for the month was mailed (the audit log keeps the
    sending: `cases.partners.statement_mail`)."""
    rows = db.session.execute(
        sa.select(AuditEvent.object_id, sa.func.min(AuditEvent.at))
        .where(
            AuditEvent.action == SENT_ACTION,
            AuditEvent.object_type == "organization",
            AuditEvent.detail == month_key(period),
        )
        .group_by(AuditEvent.object_id)
    )
    return {org_id: at for org_id, at in rows}


def month_key(period: Period) -> str:
    return f"{period.start:%Y-%m}"


def page_context(period: Period, today: date) -> dict:
    """What the statement's template needs besides the tables (`_statement.html`)."""
    months = recent_months(today)
    if period not in months:
        months = sorted([*months, period], key=lambda p: p.first, reverse=True)
    return {
        "period": period,
        "months": months,
        "ended": has_ended(period, today),
        "answer_days": answer_days(),
        "display": display,
        "perturbation_note": export.perturbation_note,
    }


def _pairs(tables: list[Table]) -> list[tuple]:
    return [(StatementSection(), table) for table in tables]


def csv_text(tables: list[Table], organization_id: str) -> str:
    """The statement as the trend reports' long CSV (with the BOM that lets Excel read č/š/ž)."""
    return "\ufeff" + export.csv_text(_pairs(tables), OrganizationScope(organization_id))


def xlsx_bytes(tables: list[Table], organization_name: str, period: Period) -> bytes:
    title = _("Monthly statement of %(organization)s, %(month)s", organization=organization_name, month=period.label)
    return export.xlsx_bytes(_pairs(tables), title)


def attachment(organization_id: str, period: Period, extension: str) -> str:
    """The Content-Disposition of a download: the id made safe for a file name."""
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", organization_id)[:40].strip("-") or "organization"
    return f"attachment; filename=statement-{safe}-{period.start:%Y-%m}.{extension}"
