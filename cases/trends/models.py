"""The monthly fact table the trend reports read, and the change log that keeps it current.

`TrendFact` holds, per figure, category key and month, a count (a few tens of thousands of
rows for the whole register); the reports read it instead of aggregating the case tables.
`TrendChange` is insert-only for writers: the transaction that changes a case, challenge,
referral, contact or unmet need adds one row per month and kind it touched (`changes`), and the
next refresh (`store.refresh`) recomputes those figures for those months and deletes exactly the rows it read. No
row is updated by every write: concurrent writers only insert. `TrendState` says the table
has been built; only refreshers write it.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from welfare.database import utcnow
from welfare.extensions import db


class TrendFact(db.Model):
    """A count of one figure's category in one month (`figure` names a cube of `store.GROUPS`;
    `key` is the JSON list of its category values)."""

    __tablename__ = "trend_fact"

    id: Mapped[int] = mapped_column(primary_key=True)
    figure: Mapped[str] = mapped_column(sa.String(40))
    month: Mapped[int]  # periods.month_index
    key: Mapped[str] = mapped_column(sa.Text)
    n: Mapped[int]

    __table_args__ = (sa.Index("ix_trend_fact_figure_month", "figure", "month"),)


class TrendChange(db.Model):
    """A month whose figures a committed write may have changed (None: every month), and what
    kind of change it was (`changes.KINDS`: which figures to recompute)."""

    __tablename__ = "trend_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[int | None]
    kind: Mapped[str] = mapped_column(sa.String(40))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class TrendState(db.Model):
    """One row once the fact table has been built; written by refreshers only."""

    __tablename__ = "trend_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    built_at: Mapped[datetime]
    refreshed_at: Mapped[datetime]
