"""The de-identified copies of cases and referrals that the trend reports count.

One row per case and per sent referral, holding only what a figure groups or filters by:
month indexes (year * 12 + month - 1), the age band at opening (never a birth date),
gender, municipality and official settlement, outcome, state, whole days between events,
and the record's fixed random key for cell-key perturbation (`privacy`). No name, no free
text, no staff identity. `units` derives them from the case tables whenever a case service
says a case or referral changed (`cases.events`); the rows go with their case (ON DELETE
CASCADE), so erasure leaves nothing behind. Challenges, anonymous contacts and unmet needs
already carry what is counted and are read where they are.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from catalog.models import ID
from welfare.extensions import db


class TrendCase(db.Model):
    __tablename__ = "trend_case"

    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("case_file.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    opened: Mapped[int]  # month index of opening
    closed: Mapped[int | None]  # month index of closing
    outcome: Mapped[str | None] = mapped_column(sa.String(20))
    age_band: Mapped[str] = mapped_column(sa.String(8))
    gender: Mapped[str] = mapped_column(sa.String(20))
    municipality: Mapped[str] = mapped_column(sa.String(100))
    settlement: Mapped[str] = mapped_column(sa.String(100))
    challenges: Mapped[int]  # how many challenges the case records
    first_plan_days: Mapped[int | None]  # opening to the first plan goal
    closure_days: Mapped[int | None]  # opening to closing
    record_key: Mapped[int]

    # Covering indexes: a report reads tens of thousands of rows by month without the table.
    __table_args__ = (
        sa.Index(
            "ix_trend_case_people",
            "opened",
            "age_band",
            "gender",
            "municipality",
            "settlement",
            "challenges",
            "record_key",
        ),
        sa.Index("ix_trend_case_flow", "closed", "outcome", "opened", "record_key"),
    )


class TrendCaseDomain(db.Model):
    """The life domains of a case's challenges, each once (a case with two debt challenges
    counts once for debts)."""

    __tablename__ = "trend_case_domain"

    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trend_case.case_id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    domain_id: Mapped[str] = mapped_column(ID, primary_key=True)
    # The case's opening month and key again, so "new cases by domain" reads this table alone.
    opened: Mapped[int]
    record_key: Mapped[int]

    __table_args__ = (
        sa.Index("ix_trend_case_domain_domain", "domain_id", "case_id"),
        sa.Index("ix_trend_case_domain_opened", "opened", "domain_id", "record_key", "case_id"),
    )


class TrendReferral(db.Model):
    __tablename__ = "trend_referral"

    referral_id: Mapped[int] = mapped_column(
        sa.ForeignKey("referral.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    sent: Mapped[int] = mapped_column(index=True)  # month index of sending
    state: Mapped[str] = mapped_column(sa.String(20))  # `units.STATE_BUCKETS`
    decline_reason: Mapped[str | None] = mapped_column(sa.String(20))
    outcome: Mapped[str | None] = mapped_column(sa.String(20))
    organization_id: Mapped[str] = mapped_column(ID)
    answer_days: Mapped[int | None]  # sending to the first acceptance or decline
    completion_days: Mapped[int | None]  # sending to completion
    capacity_declined: Mapped[int | None] = mapped_column(index=True)  # month of a decline for lack of capacity
    record_key: Mapped[int]
