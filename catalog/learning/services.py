"""The learning portal: anonymous search log, staff insights, and what staff teach the search."""

import json
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from catalog.models import Service
from catalog.search.engine import query_key
from catalog.search.models import SearchLog, SearchPin, SynonymGroup
from welfare.database import begin_write, utcnow
from welfare.errors import ValidationFailed
from welfare.extensions import db
from welfare.models import User

OPEN_WINDOW = timedelta(hours=6)


def log_search(text: str, filters: dict, result_count: int) -> int:
    """Record a public search without anything that identifies the searcher; return its id."""
    begin_write()
    entry = SearchLog(
        query=text[:200],
        query_key=query_key(text),
        filters=json.dumps({k: v for k, v in filters.items() if v}, sort_keys=True)[:500],
        result_count=result_count,
    )
    db.session.add(entry)
    db.session.commit()
    return entry.id


def record_open(log_id: int, service_id: str) -> None:
    """Note which result a search led to (first open only, shortly after the search)."""
    begin_write()
    db.session.execute(
        sa.update(SearchLog)
        .where(SearchLog.id == log_id, SearchLog.opened_service_id.is_(None), SearchLog.at >= utcnow() - OPEN_WINDOW)
        .values(opened_service_id=service_id, opened_at=utcnow())
    )
    db.session.commit()


def insights(days: int = 90, limit: int = 25) -> dict:
    since = utcnow() - timedelta(days=days)
    base = (
        sa.select(SearchLog.query_key, sa.func.min(SearchLog.query).label("example"), sa.func.count().label("n"))
        .where(SearchLog.at >= since)
        .group_by(SearchLog.query_key)
    )
    top = db.session.execute(base.order_by(sa.desc("n")).limit(limit)).all()
    zero = db.session.execute(base.where(SearchLog.result_count == 0).order_by(sa.desc("n")).limit(limit)).all()
    opened_keys = sa.select(SearchLog.query_key).where(SearchLog.opened_service_id.is_not(None), SearchLog.at >= since)
    never_opened = db.session.execute(
        base.where(SearchLog.result_count > 0, SearchLog.query_key.not_in(opened_keys))
        .order_by(sa.desc("n"))
        .limit(limit)
    ).all()
    week = (
        sa.func.strftime("%Y-%W", SearchLog.at)
        if db.engine.dialect.name == "sqlite"
        else sa.func.to_char(SearchLog.at, "IYYY-IW")
    )
    trend = db.session.execute(
        sa.select(week.label("week"), sa.func.count(), sa.func.sum(sa.case((SearchLog.result_count == 0, 1), else_=0)))
        .where(SearchLog.at >= since)
        .group_by("week")
        .order_by("week")
    ).all()
    return {"top": top, "zero": zero, "never_opened": never_opened, "trend": trend, "days": days}


def zero_result_count(since, until) -> int:
    """Searches with no result in a period: an unmet-needs figure for the trend reports."""
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(SearchLog)
            .where(SearchLog.result_count == 0, SearchLog.at >= since, SearchLog.at < until)
        )
        or 0
    )


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
