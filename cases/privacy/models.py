"""Which cases retention has anonymized, so a second run skips them (the run is resumable)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from welfare.database import utcnow
from welfare.extensions import db


class CaseAnonymization(db.Model):
    """One row per anonymized case, written in the same transaction as the anonymization."""

    __tablename__ = "case_anonymization"

    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id", ondelete="CASCADE"), primary_key=True)
    anonymized_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The retention period the run applied, kept so the figure can be explained later.
    retention_years: Mapped[int]
