"""Reminders to partners: an entry (the organization's own, or a service's) not confirmed for
CATALOG_CONFIRM_MONTHS gets one e-mail to its organization's partner accounts, and then no
other until that many months have passed again. Each reminder is recorded per entry, so the
command is safe to run every day; entries stay on the staff's list of stale entries as before.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from catalog.models import Organization, Service, ServiceStatus
from catalog.proposals.models import ConfirmReminder
from welfare import audit, mail
from welfare.clock import today
from welfare.extensions import db
from welfare.models import Role, User
from welfare.urls import public_url


@dataclass
class Due:
    organization: Organization
    entries: list[Service | Organization] = field(default_factory=list)
    partners: list[User] = field(default_factory=list)


def cutoff(on: date, months: int) -> date:
    return on - timedelta(days=round(months * 30.44))


def _reminded_since(since: date) -> set[tuple[str, str | None]]:
    rows = db.session.execute(
        sa.select(ConfirmReminder.organization_id, ConfirmReminder.of_service_id).where(
            ConfirmReminder.sent_on >= since
        )
    )
    return {(org_id, service_id) for org_id, service_id in rows}


def _not_confirmed(column, since: date):
    return sa.or_(column.is_(None), column < since)


def due(on: date | None = None, months: int | None = None) -> list[Due]:
    """Organizations with partner accounts and entries to remind of, by organization name."""
    on = on or today()
    since = cutoff(on, months or current_app.config["CATALOG_CONFIRM_MONTHS"])
    partners = defaultdict(list)
    for user in db.session.scalars(
        sa.select(User)
        .where(
            User.role == Role.PARTNER,
            User.is_enabled.is_(True),
            User.partner_organization_id.is_not(None),
            User.email != "",
        )
        .order_by(User.username)
    ):
        partners[user.partner_organization_id].append(user)
    if not partners:
        return []
    reminded = _reminded_since(since)
    found: dict[str, Due] = {}
    orgs = db.session.scalars(
        sa.select(Organization)
        .where(Organization.id.in_(list(partners)), Organization.archived_at.is_(None))
        .order_by(Organization.name)
    )
    for org in orgs:
        found[org.id] = Due(org, partners=partners[org.id])
        if (org.assured_date is None or org.assured_date < since) and (org.id, None) not in reminded:
            found[org.id].entries.append(org)
    services = db.session.scalars(
        sa.select(Service)
        .where(
            Service.organization_id.in_(list(found)),
            Service.archived_at.is_(None),
            Service.status != ServiceStatus.DEFUNCT,
            _not_confirmed(Service.assured_date, since),
        )
        .order_by(Service.name)
    )
    for service in services:
        if (service.organization_id, service.id) not in reminded:
            found[service.organization_id].entries.append(service)
    return [d for d in found.values() if d.entries]


def send_reminders(on: date | None = None) -> tuple[int, int]:
    """E-mail every due organization's partners once and record each entry reminded; one commit.
    Returns (entries reminded, e-mails queued)."""
    on = on or today()
    entries = mails = 0
    # Built in a request context of its own: the command runs outside any request (cron).
    with current_app.test_request_context():
        link = public_url("catalog_partner.entries")
    for item in due(on):
        for partner in item.partners:
            _queue(item, partner, link)
            mails += 1
        for entry in item.entries:
            is_service = isinstance(entry, Service)
            db.session.add(
                ConfirmReminder(
                    organization_id=item.organization.id,
                    of_service_id=entry.id if is_service else None,
                    sent_on=on,
                    verified_on=entry.assured_date,
                    recipients=len(item.partners),
                )
            )
            entries += 1
        audit.record(
            "catalog_confirm_reminded",
            object_type="organization",
            object_id=item.organization.id,
            actor_name="flask catalog remind-partners",
            detail=str(len(item.entries)),
        )
    db.session.commit()
    return entries, mails


def _queue(item: Due, partner: User, link: str) -> None:
    office = current_app.config["OFFICE_NAME"]
    months = current_app.config["CATALOG_CONFIRM_MONTHS"]
    with force_locale(partner.locale or current_app.config.get("BABEL_MAIL_LOCALE", "sl")):
        lines = [
            _("Hello,"),
            "",
            _(
                "%(office)s keeps a catalog of help for residents. These entries of %(org)s have not been "
                "confirmed for %(months)d months or more:",
                office=office,
                org=item.organization.name,
                months=months,
            ),
            "",
        ]
        for entry in item.entries:
            when = entry.assured_date.isoformat() if entry.assured_date else _("never")
            lines.append("- " + _("%(entry)s (last confirmed: %(day)s)", entry=entry.name, day=when))
        lines += [
            "",
            _("Please check them: confirm what is still accurate, or propose a correction, here:"),
            link,
        ]
        subject = _("Is your entry in the catalog still accurate?")
    mail.queue(partner.email, subject, "\n".join(lines), about=f"catalog_reminder:{item.organization.id}"[:64])


def last_reminders(service_ids) -> dict[str, date]:
    """The day each of these services was last reminded of (the staff's stale list)."""
    ids = list({i for i in service_ids if i})
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(ConfirmReminder.of_service_id, sa.func.max(ConfirmReminder.sent_on))
        .where(ConfirmReminder.of_service_id.in_(ids))
        .group_by(ConfirmReminder.of_service_id)
    )
    return dict(rows.all())
