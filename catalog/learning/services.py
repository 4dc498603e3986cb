"""The learning portal: anonymous search log, staff insights, and what staff teach the search."""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from catalog.learning import log_queue
from catalog.learning.scrub import scrub
from catalog.models import Service
from catalog.search import SearchLog, SearchPin, SearchQueryCount, SynonymGroup, query_key
from welfare.database import utcnow
from welfare.errors import ValidationFailed
from welfare.extensions import db
from welfare.models import User


def log_search(text: str, filters: dict, result_count: int, client_address: str | None = None) -> str:
    """Record a public search without anything that identifies the searcher (not even what they
    typed about themselves: e-mail, phone, EMŠO, tax and other long numbers); return the token
    that links later opens to it. Queued: written off the request path (log_queue).

    `client_address` (the request's address as ProxyFix leaves it) is never stored: only its
    per-day visitor tag is, so demand figures count visitors rather than requests."""
    text = scrub(text)
    at = utcnow()
    return log_queue.queue().add_search(
        query=text[:200],
        query_key=query_key(text),
        filters=json.dumps({k: v for k, v in filters.items() if v}, sort_keys=True)[:500],
        result_count=result_count,
        visitor=visitor_tag(at.date(), client_address),
        at=at,
    )


def _keyed_digest(purpose: str, message: str) -> bytes:
    """HMAC-SHA256 under the app's secret key; `purpose` keeps the uses of the key apart."""
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(secret, f"{purpose}|{message}".encode(), hashlib.sha256).digest()


def visitor_tag(day: date, client_address: str | None) -> str:
    """An unlinkable per-day tag for a searcher: the first 16 hex digits of a keyed hash of the
    UTC day and the client address. Never the address itself.

    Acceptable to store because it only tells visitors apart within one day: the day is part of
    the hashed text, so the same address gets an unrelated tag tomorrow and no one can follow a
    visitor across days; without the secret key it cannot be recomputed from a guessed address;
    and it is deleted with its raw row at retention (`flask catalog prune-log`), the kept counts
    carry none. A missing address (a misconfigured proxy) counts as one visitor: it can lower the
    figure, never inflate it."""
    return _keyed_digest("search-visitor", f"{day.isoformat()}|{client_address or 'unknown'}").hex()[:16]


def record_open(token: str, service_id: str) -> None:
    """Note which result a search led to (first open only, shortly after the search); queued
    like the search, and kept even when it arrives before its search is written."""
    log_queue.queue().add_open(token, service_id)


def min_sightings() -> int:
    """A query is shown (and kept past retention) only once seen this often: the trend reports' k."""
    return int(current_app.config["TREND_MIN_CELL"])


def _sightings(since):
    """Recent raw searches and the kept counts of older ones, as one table of per-query figures."""
    raw = sa.select(
        SearchLog.query_key.label("query_key"),
        SearchLog.query.label("example"),
        sa.literal(1).label("searches"),
        sa.case((SearchLog.result_count == 0, 1), else_=0).label("zero_results"),
        sa.case((SearchLog.result_count > 0, 1), else_=0).label("with_results"),
        sa.case((SearchLog.opened_service_id.is_not(None), 1), else_=0).label("opened"),
    ).where(SearchLog.at >= since)
    kept = sa.select(
        SearchQueryCount.query_key,
        SearchQueryCount.example,
        SearchQueryCount.searches,
        SearchQueryCount.zero_results,
        SearchQueryCount.with_results,
        SearchQueryCount.opened,
    ).where(SearchQueryCount.day >= since.date())
    return sa.union_all(raw, kept).subquery()


def insights(days: int = 90, limit: int = 25) -> dict:
    """Top searches, searches with no result and searches never opened, each only for queries
    seen at least k times (a rare query may be someone's own words)."""
    since = utcnow() - timedelta(days=days)
    both = _sightings(since)
    searches, zero, with_results, opened = (
        sa.func.sum(both.c.searches),
        sa.func.sum(both.c.zero_results),
        sa.func.sum(both.c.with_results),
        sa.func.sum(both.c.opened),
    )

    def rows(count, *having):
        statement = (
            sa.select(both.c.query_key, sa.func.min(both.c.example), count.label("n"))
            .group_by(both.c.query_key)
            .having(searches >= min_sightings(), *having)
            .order_by(sa.desc("n"), both.c.query_key)
            .limit(limit)
        )
        return db.session.execute(statement).all()

    return {
        "top": rows(searches),
        "zero": rows(zero, zero > 0),
        "never_opened": rows(with_results, with_results > 0, opened == 0),
        "trend": _weekly(since),
        "days": days,
    }


def _week(column):
    if db.engine.dialect.name == "sqlite":
        return sa.func.strftime("%Y-%W", column)
    return sa.func.to_char(column, "IYYY-IW")


def _weekly(since) -> list:
    raw = sa.select(
        _week(SearchLog.at).label("week"),
        sa.literal(1).label("searches"),
        sa.case((SearchLog.result_count == 0, 1), else_=0).label("zero_results"),
    ).where(SearchLog.at >= since)
    kept = sa.select(
        _week(SearchQueryCount.day).label("week"), SearchQueryCount.searches, SearchQueryCount.zero_results
    ).where(SearchQueryCount.day >= since.date())
    both = sa.union_all(raw, kept).subquery()
    return db.session.execute(
        sa.select(both.c.week, sa.func.sum(both.c.searches), sa.func.sum(both.c.zero_results))
        .group_by(both.c.week)
        .order_by(both.c.week)
    ).all()


def zero_result_count(since, until) -> int:
    """Searches with no result in a period (raw rows and kept counts): an unmet-needs figure."""
    raw = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(SearchLog)
        .where(SearchLog.result_count == 0, SearchLog.at >= since, SearchLog.at < until)
    )
    kept = db.session.scalar(
        sa.select(sa.func.sum(SearchQueryCount.zero_results)).where(
            SearchQueryCount.day >= since.date(), SearchQueryCount.day < until.date()
        )
    )
    return (raw or 0) + (kept or 0)


@dataclass(frozen=True)
class DemandUnit:
    """One visitor-day with at least one zero-result search: the domains filtered by that
    visitor that day (empty when none), and a stable pseudo-random `key` in [0, 2**32) the trend
    reports use for cell-key perturbation."""

    day: date
    domains: frozenset[str]
    key: int


def _filter_domains(filters: str | None) -> set[str]:
    try:
        codes = json.loads(filters or "{}").get("domain") or []
    except (ValueError, AttributeError):
        return set()  # an old or odd row: still a unit, with no domain
    return {str(code) for code in (codes if isinstance(codes, list) else [codes])}


def _unit_key(day: date, identity: str) -> int:
    return int.from_bytes(_keyed_digest("search-demand-unit", f"{day.isoformat()}|{identity}")[:4], "big")


def zero_result_demand(since: date, until: date) -> list[DemandUnit]:
    """Zero-result catalog searches in [since, until) counted from people, not requests: one
    unit per (UTC day, visitor tag), so one visitor or one script's address moves a figure by
    at most one a day. Rows logged before visitor tags (no tag) and the kept counts past
    retention (no tag, no filters) give one unit per (day, normalised query) instead; a raw
    untagged row and a kept count of the same day and query are the same unit."""
    day = sa.func.date(SearchLog.at, type_=sa.Date)
    rows = db.session.execute(
        sa.select(day, SearchLog.visitor, SearchLog.query_key, SearchLog.filters)
        .where(
            SearchLog.result_count == 0,
            SearchLog.at >= datetime.combine(since, time.min),
            SearchLog.at < datetime.combine(until, time.min),
        )
        .distinct()
    )
    units: dict[tuple[date, str], set[str]] = {}
    for on, visitor, key, filters in rows:
        on = on if isinstance(on, date) else date.fromisoformat(str(on))
        identity = f"v|{visitor}" if visitor else f"q|{key}"
        units.setdefault((on, identity), set()).update(_filter_domains(filters))
    kept = db.session.execute(
        sa.select(SearchQueryCount.day, SearchQueryCount.query_key).where(
            SearchQueryCount.day >= since, SearchQueryCount.day < until, SearchQueryCount.zero_results > 0
        )
    )
    for on, key in kept:
        units.setdefault((on, f"q|{key}"), set())
    return [
        DemandUnit(day=on, domains=frozenset(domains), key=_unit_key(on, identity))
        for (on, identity), domains in sorted(units.items())
    ]


def zero_result_searches_by_domain(since: date, until: date) -> tuple[dict, dict]:
    """Visitor-days with a zero-result search per month (`zero_result_demand`), for the trend
    reports' demand-and-supply table: (per life-domain filter code -> {month index: units},
    {month index: all units}).

    A month index is year * 12 + month - 1. A unit with two domains counts in both; one with
    none counts only in the total."""
    by_domain: dict[str, dict[int, int]] = {}
    totals: dict[int, int] = {}
    for unit in zero_result_demand(since, until):
        month = unit.day.year * 12 + unit.day.month - 1
        totals[month] = totals.get(month, 0) + 1
        for code in unit.domains:
            counts = by_domain.setdefault(code, {})
            counts[month] = counts.get(month, 0) + 1
    return by_domain, totals


def add_to_synonyms(words: str, group_id: int | None, actor: User) -> SynonymGroup:
    """Teach the search that `words` means the same as an existing group (or start a new group)."""
    words = " ".join(words.split())[:200]
    if not words:
        raise ValidationFailed(_("Enter the words to add."))
    group = db.session.get(SynonymGroup, group_id) if group_id else None
    if group_id and group is None:
        raise ValidationFailed(_("That synonym group no longer exists."))
    if group is None:
        group = SynonymGroup(terms=words, note=_("from search insights"), updated_by=actor.username)
        db.session.add(group)
    elif query_key(words) not in {query_key(t) for t in group.term_list}:
        group.terms = "\n".join(group.term_list + [words])
        group.updated_by = actor.username
    db.session.commit()
    return group


def save_group(group: SynonymGroup | None, terms: str, note: str, actor: User) -> SynonymGroup | None:
    """Create, change or (with no terms left) delete a synonym group."""
    lines = [" ".join(t.split()) for t in terms.splitlines() if t.strip()]
    if group is not None and not lines:
        db.session.delete(group)
        db.session.commit()
        return None
    if len(lines) < 2:
        raise ValidationFailed(_("A synonym group needs at least two words or phrases, one per line."), field="terms")
    if group is None:
        group = SynonymGroup()
        db.session.add(group)
    group.terms, group.note, group.updated_by = "\n".join(lines), note.strip()[:200], actor.username
    db.session.commit()
    return group


def pin(words: str, service_id: str, actor: User) -> None:
    """Show this service first whenever someone searches for exactly these words."""
    key = query_key(words)
    if not key:
        raise ValidationFailed(_("Enter the words to add."))
    if db.session.get(Service, service_id) is None:
        raise ValidationFailed(_("Choose an existing service."))
    exists = db.session.scalar(
        sa.select(SearchPin).where(SearchPin.query_key == key, SearchPin.service_id == service_id)
    )
    if exists is None:
        db.session.add(SearchPin(query_key=key, service_id=service_id, created_by=actor.username))
        db.session.commit()


def unpin(pin_id: int) -> None:
    found = db.session.get(SearchPin, pin_id)
    if found is not None:
        db.session.delete(found)
        db.session.commit()
