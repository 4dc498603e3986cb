"""What staff and past searches add to the words: the thesaurus, pins, click feedback, and
which services are open right now."""

import time
from datetime import timedelta

import sqlalchemy as sa

from catalog import hours
from catalog.details import Schedule
from catalog.search import cache as search_cache
from catalog.search import query as search_query
from catalog.search.analysis import fold
from catalog.search.models import SearchLog, SearchPin, SynonymGroup
from welfare.database import utcnow
from welfare.extensions import db

CLICK_HALF_LIFE_DAYS = 30
CLICK_MAX_BOOST = 0.3


@search_cache.cached("thesaurus")  # per-process, a few seconds: see catalog/search/cache.py
def thesaurus() -> search_query.Thesaurus:
    return search_query.Thesaurus([g.term_list for g in db.session.scalars(sa.select(SynonymGroup))])


def query_key(text: str) -> str:
    return " ".join(fold(text).split())[:200]


@search_cache.cached("pins")
def pinned_ids(key: str) -> list[str]:
    return list(
        db.session.scalars(sa.select(SearchPin.service_id).where(SearchPin.query_key == key).order_by(SearchPin.id))
    )


@search_cache.cached("boosts")
def click_boosts(key: str) -> dict[str, float]:
    """Opened results of the same query lift a service a little: bounded, fading with age."""
    since = utcnow() - timedelta(days=CLICK_HALF_LIFE_DAYS * 6)
    rows = db.session.execute(
        sa.select(SearchLog.opened_service_id, SearchLog.opened_at).where(
            SearchLog.query_key == key, SearchLog.opened_service_id.is_not(None), SearchLog.opened_at >= since
        )
    )
    now, weight = utcnow(), {}
    for service_id, opened_at in rows:
        age_days = (now - opened_at).total_seconds() / 86400
        weight[service_id] = weight.get(service_id, 0.0) + 0.5 ** (age_days / CLICK_HALF_LIFE_DAYS)
    return {sid: 1.0 + min(CLICK_MAX_BOOST, 0.05 * w) for sid, w in weight.items()}


_open_cache: dict = {"at": 0.0, "ids": frozenset()}


def open_service_ids() -> frozenset[str]:
    """Services open right now by their schedule (recomputed at most once a minute)."""
    if time.monotonic() - _open_cache["at"] > 60:
        rows = db.session.scalars(sa.select(Schedule).where(Schedule.service_id.is_not(None))).all()
        by_service: dict[str, list] = {}
        for row in rows:
            by_service.setdefault(row.service_id, []).append(row)
        _open_cache.update(
            at=time.monotonic(), ids=frozenset(sid for sid, rs in by_service.items() if hours.is_open(rs))
        )
    return _open_cache["ids"]
