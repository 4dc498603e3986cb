"""Raw search queries are kept for a short period (SEARCH_LOG_RETENTION_DAYS, 90 by default).
After that only counts per normalised query and day remain, and only for queries seen at
least k times (the trend reports' k), so the insights keep their figures for frequent queries
and a rare query, which may be someone's own words, is gone for good."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app

from catalog.learning.services import min_sightings
from catalog.search import SearchLog, SearchQueryCount
from welfare.database import utcnow
from welfare.extensions import db


@dataclass
class PrunePlan:
    cutoff: object
    old_rows: int = 0
    kept_queries: int = 0
    dropped_queries: int = 0


def _frequent_keys(keys: set[str]) -> set[str]:
    """Of these query keys, those seen at least k times in all (raw rows and kept counts)."""
    raw = dict(
        db.session.execute(
            sa.select(SearchLog.query_key, sa.func.count())
            .where(SearchLog.query_key.in_(keys))
            .group_by(SearchLog.query_key)
        ).all()
    )
    kept = dict(
        db.session.execute(
            sa.select(SearchQueryCount.query_key, sa.func.sum(SearchQueryCount.searches))
            .where(SearchQueryCount.query_key.in_(keys))
            .group_by(SearchQueryCount.query_key)
        ).all()
    )
    return {key for key in keys if raw.get(key, 0) + (kept.get(key) or 0) >= min_sightings()}


def prune_search_log(apply: bool = False) -> PrunePlan:
    """Fold raw searches older than the retention period into counts and delete them; with
    apply=False only report what would happen. Commits once when applying."""
    # Whole UTC days: a day is either all raw rows or all kept counts, so the demand figures
    # (visitor-days from raw rows, query-days from counts) never count one day both ways.
    oldest = (utcnow() - timedelta(days=int(current_app.config["SEARCH_LOG_RETENTION_DAYS"]))).date()
    cutoff = datetime.combine(oldest, time.min)
    old = db.session.execute(
        sa.select(
            SearchLog.query_key, SearchLog.query, SearchLog.at, SearchLog.result_count, SearchLog.opened_service_id
        )
        .where(SearchLog.at < cutoff)
        .order_by(SearchLog.id)
    ).all()
    plan = PrunePlan(cutoff=cutoff, old_rows=len(old))
    keys = {row.query_key for row in old}
    frequent = _frequent_keys(keys) if keys else set()
    plan.kept_queries, plan.dropped_queries = len(frequent), len(keys - frequent)
    if not apply or not old:
        return plan
    counts: dict[tuple, SearchQueryCount] = {}
    for row in old:
        if row.query_key not in frequent:
            continue
        slot = (row.query_key, row.at.date())
        count = counts.get(slot)
        if count is None:
            count = db.session.get(SearchQueryCount, slot) or SearchQueryCount(
                query_key=row.query_key,
                day=row.at.date(),
                example=row.query,
                searches=0,
                zero_results=0,
                with_results=0,
                opened=0,
            )
            db.session.add(count)
            counts[slot] = count
        count.searches += 1
        count.zero_results += row.result_count == 0
        count.with_results += row.result_count > 0
        count.opened += row.opened_service_id is not None
    db.session.execute(sa.delete(SearchLog).where(SearchLog.at < cutoff))
    db.session.commit()
    return plan
