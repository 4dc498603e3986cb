"""A partner's proposed change to its own catalog entry, and the reminders to confirm entries.

A proposal names its entry (the organization itself, or one of its services) and keeps, per
field, the value the partner saw and the value it proposes: approval compares the first with
the entry as it is now, so a change made in the meantime is shown, never silently overwritten.
"""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.models import ID, Organization, Service
from welfare.database import utcnow
from welfare.enums import LabelledEnum, enum_column
from welfare.extensions import db


class ProposalStatus(LabelledEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"

    @classmethod
    def labels(cls) -> dict:
        return {cls.PENDING: _l("Waiting for the office"), cls.APPROVED: _l("Applied"), cls.REJECTED: _l("Not applied")}


class CatalogProposal(db.Model):
    __tablename__ = "catalog_proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The organization whose partner proposed it: the entry is this organization or its service.
    organization_id: Mapped[str] = mapped_column(sa.ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    # Set for a service's entry, None for the organization's own. Not named `service_id` in
    # Python: the search index re-indexes the service of any changed row with that attribute.
    of_service_id: Mapped[str | None] = mapped_column(
        "service_id", ID, sa.ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    # {field: {"before": value the partner saw, "after": value proposed}}, JSON-safe values.
    changes: Mapped[dict] = mapped_column(sa.JSON)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[ProposalStatus] = mapped_column(
        enum_column(ProposalStatus, length=10), default=ProposalStatus.PENDING, index=True
    )
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    proposed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    # Names as they were: kept when an account is renamed or removed.
    proposed_by_name: Mapped[str] = mapped_column(sa.String(120), default="")
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    decided_by_name: Mapped[str] = mapped_column(sa.String(120), default="")
    reason: Mapped[str] = mapped_column(sa.Text, default="")  # why it was not applied
    version_id: Mapped[int] = mapped_column(default=1)

    organization: Mapped[Organization] = relationship()
    service: Mapped[Service | None] = relationship()

    # Two curators deciding the same proposal at once: the second gets a conflict.
    __mapper_args__ = {"version_id_col": version_id}

    @property
    def entry(self) -> Service | Organization:
        return self.service if self.of_service_id else self.organization

    @property
    def entry_name(self) -> str:
        return self.entry.name


class ConfirmReminder(db.Model):
    """One reminder e-mail to an organization's partners to confirm an entry: at most one per
    entry per period (CATALOG_CONFIRM_MONTHS), so the command can run every day."""

    __tablename__ = "catalog_confirm_reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[str] = mapped_column(sa.ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    # As on CatalogProposal: None for the organization's own entry.
    of_service_id: Mapped[str | None] = mapped_column(
        "service_id", ID, sa.ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    sent_on: Mapped[date]
    verified_on: Mapped[date | None]  # the entry's verified date when reminded (None: never)
    recipients: Mapped[int] = mapped_column(default=0)
