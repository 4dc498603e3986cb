"""The office mails each organization its monthly statement, as a thank-you and a nudge
(`flask partners send-statements`).

Who gets one: the organizations whose statement shows referrals received (judged on the
published figure, as the office's list of statements; `statements.organizations_with_statement`),
at the addresses of their enabled partner accounts, or at the organization's own address in the
catalog when it has no partner with one. Once per organization and month: the sending is
recorded in the audit log (append-only, never pruned) in the same transaction as the queued
mail, one organization at a time, so a second run, or a run after a crash, sends only what is
missing. The mail carries the published figures only, in the mail locale.
"""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import current_app, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _

from cases.plans import office_contact
from cases.trends import export
from cases.trends import statements as statement
from cases.trends.periods import Period
from cases.trends.privacy import display
from cases.trends.tables import Table
from cases.trends.units import WAITING
from catalog.models import Organization
from welfare import audit, mail
from welfare.extensions import db
from welfare.models import Role, User
from welfare.urls import public_url

SENDER = "flask partners send-statements"


@dataclass
class Sending:
    """What happened to one organization's statement in a run."""

    organization: str
    state: str  # "sent", "already_sent", "no_address"
    recipients: list[str] = field(default_factory=list)


def partner_addresses(organization_id: str) -> list[str]:
    """The addresses of the organization's enabled partner accounts."""
    emails = db.session.scalars(
        sa.select(User.email)
        .where(
            User.role == Role.PARTNER,
            User.partner_organization_id == organization_id,
            User.is_enabled.is_(True),
            User.email != "",
        )
        .order_by(User.id)
    )
    return list(dict.fromkeys(e.strip() for e in emails if e and e.strip()))


def _statement_link(period: Period) -> str | None:
    """The partner's statement page for the month; None from the command line when PUBLIC_URL
    is not set (there is no request to take the address from)."""
    if has_request_context():
        return public_url("partners.statement_page", month=statement.month_key(period))
    base = current_app.config.get("PUBLIC_URL")
    if not base:
        return None
    with current_app.test_request_context(base_url=base):
        return public_url("partners.statement_page", month=statement.month_key(period))


def _table_lines(table: Table) -> list[str]:
    """The table's title, its rows that show more than 0 (a short mail; judged on the published
    figures, so leaving a row out says nothing the statement does not), and its total."""
    rows = [row for row in table.rows if row.cells[0].value] + ([table.total] if table.total else [])
    return [table.title, *(f"  {row.label}: {display(row.cells[0])}" for row in rows)]


def _waiting_shown(tables: list[Table]) -> bool:
    state = next((t for t in tables if t.key == "statement_state"), None)
    row = next((r for r in state.rows if r.key == WAITING), None) if state else None
    return bool(row and row.cells[0].value)


def compose(organization: Organization, period: Period, tables: list[Table], link: str | None) -> tuple[str, str]:
    """Subject and plain-text body: thanks, the published figures, a nudge where referrals still
    wait, and where to read it again."""
    office = office_contact()
    subject = _(
        "Thank you: referrals to %(organization)s in %(month)s", organization=organization.name, month=period.label
    )
    lines = [
        _("Hello,"),
        "",
        _(
            "thank you for working with us. Here is what the office sent %(organization)s in %(month)s, and what became of it:",
            organization=organization.name,
            month=period.label,
        ),
        "",
    ]
    for table in tables:
        lines += [*_table_lines(table), ""]
    if _waiting_shown(tables):
        lines += [_("Some of these referrals still wait for your answer: please accept or decline them."), ""]
    lines += [
        _(
            "An answer counts as in time when it came within %(n)d calendar days of sending.",
            n=statement.answer_days(),
        ),
        export.perturbation_note(),
        "",
    ]
    if link:
        lines += [_("Your statement, also as CSV and XLSX, in your partner pages:"), link, ""]
    lines += [_("Kind regards,"), f"{office['name']}, {office['municipality']}"]
    return subject, "\n".join(lines)


def send_statements(period: Period, today: date) -> list[Sending]:
    """Queue the month's statement for every organization that has one and has not been sent it;
    one commit per organization (its mails and the audit row together)."""
    done = statement.sent_on(period)
    results = []
    link = _statement_link(period)
    for organization, _received in statement.organizations_with_statement(period, today):
        if organization.id in done:
            results.append(Sending(organization.name, "already_sent"))
            continue
        partners = partner_addresses(organization.id)
        recipients = partners or ([organization.email.strip()] if (organization.email or "").strip() else [])
        if not recipients:
            results.append(Sending(organization.name, "no_address"))
            continue
        tables = statement.statement_tables(organization.id, period, today)
        with force_locale(current_app.config.get("BABEL_MAIL_LOCALE", "sl")):
            subject, body = compose(organization, period, tables, link if partners else None)
        for address in recipients:
            mail.queue(address, subject, body, about=f"partner_statement:{statement.month_key(period)}")
        audit.record(
            statement.SENT_ACTION,
            object_type="organization",
            object_id=organization.id,
            detail=statement.month_key(period),
            actor_name=SENDER[:64],
        )
        db.session.commit()
        results.append(Sending(organization.name, "sent", recipients))
    return results
