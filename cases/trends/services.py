"""Anonymized trend figures for supervisors. Counts only: no names, no free text, and any
count below the suppression threshold is shown as "fewer than N"."""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from catalog.learning import services as learning
from welfare.database import utcnow


@dataclass
class Figure:
    label_days: int
    value: int | None  # None: suppressed (a small cell)


def suppress(count: int) -> int | None:
    return count if count >= current_app.config["TREND_MIN_CELL"] else None


def unmet_search_needs(periods=(30, 90, 365)) -> list[Figure]:
    """Public catalog searches that found nothing: a first unmet-needs figure."""
    now = utcnow()
    return [Figure(days, suppress(learning.zero_result_count(now - timedelta(days=days), now))) for days in periods]
