"""Keep every node's search index in step with the database, the one source of truth.

Several app servers may share one PostgreSQL database while each keeps its own Whoosh index
folder. So a change is not handed to the local index only: the transaction that changes a
service also writes a `search_index_change` row (before commit, in the same transaction), and
each node's indexer applies the rows it has not seen yet:

- at once after the commit, on the node that made the change;
- at most once a second at the start of a search request, on every node (one cheap
  `SELECT min(id), max(id)`), so a change made elsewhere is searchable within a second or two;
- on the first search after a node starts, which is how a node that was down catches up.

Gunicorn workers of one node share its index folder: a file lock lets one of them apply the
changes while the others keep serving from the index as it is. Rows older than a week are
pruned; a node whose last applied change is older than that rebuilds its index instead.
"""

import contextlib
import errno
import fcntl
import logging
import os
import threading
import time
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, has_app_context, request
from sqlalchemy.orm import Session
from whoosh.writing import LockError

from catalog.models import Attribute, Organization, Service
from catalog.search import index as search_index
from catalog.search.models import SearchIndexChange
from welfare.database import read_only_engine, utcnow
from welfare.extensions import db

log = logging.getLogger(__name__)
POLL_SECONDS = 1.0
LOCK_TIMEOUT = 30.0
KEEP_DAYS = 7
# More changed services than this at once (a node back after a long time): rebuild instead.
MAX_INCREMENTAL = 2000
PRUNE_EVERY_SECONDS = 3600
SEARCH_ENDPOINTS = frozenset({"catalog.search_page", "hsds_api.services", "hsds_api.service_at_locations"})


def enabled() -> bool:
    return has_app_context() and current_app.config.get("SEARCH_INDEX_ENABLED", True)


# ---- writing the change feed, in the transaction that makes the change -------------------------

PENDING = "search_pending_service_ids"
CHANGED = "search_changed_service_ids"


def _service_ids_of(obj) -> set[str]:
    if isinstance(obj, Service):
        return {obj.id}
    if isinstance(obj, Attribute):
        return {obj.link_id} if obj.link_entity == "service" else set()
    service_id = getattr(obj, "service_id", None)
    return {service_id} if service_id else set()


def _collect(session, _flush_context=None) -> None:
    # Only note ids here: loading relationships inside a flush event is not allowed.
    pending = session.info.setdefault(PENDING, {"services": set(), "organizations": set()})
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, Organization):
            pending["organizations"].add(obj.id)
        else:
            pending["services"] |= {i for i in _service_ids_of(obj) if i}


def record_changes(session, service_ids: set[str] | None) -> None:
    """Add change rows to the session's transaction (None: every node rebuilds its index, for
    bulk writes that bypass the ORM); the index follows once the transaction commits."""
    if not enabled():
        return
    now = utcnow()
    rows = [{"service_id": None, "changed_at": now}] if service_ids is None else []
    rows += [{"service_id": i, "changed_at": now} for i in sorted(service_ids or ())]
    if rows:
        session.execute(sa.insert(SearchIndexChange), rows)
        session.info[CHANGED] = True


def _before_commit(session) -> None:
    if not enabled() or not (session.new or session.dirty or session.deleted or session.info.get(PENDING)):
        return
    session.flush()  # the last changes' flush fills the pending ids
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    ids = set(pending["services"])
    if pending["organizations"]:
        ids |= set(session.scalars(sa.select(Service.id).where(Service.organization_id.in_(pending["organizations"]))))
    record_changes(session, ids)


def _after_commit(session) -> None:
    if not session.info.pop(CHANGED, False) or not enabled():
        return
    try:
        catch_up(blocking=True)
    except Exception as exc:
        # The database change stands and its row stays: the next catch-up or a reindex repairs it.
        # Any failure here (Whoosh also raises bare AssertionErrors) must not turn a saved change
        # into an error page whose rollback then fails on the committed session.
        log.error("Search index not brought up to date after a commit: %r", exc)
        search_index.mark_stale()
    _prune_now_and_then()


def _after_rollback(session) -> None:
    session.info.pop(PENDING, None)
    session.info.pop(CHANGED, None)


def install_session_hooks() -> None:
    """Follow the ORM session: collect ids on flush, write change rows before commit, apply them
    after commit, forget them on rollback."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session as OrmSession

    if getattr(install_session_hooks, "done", False):
        return
    event.listen(OrmSession, "after_flush", _collect)
    event.listen(OrmSession, "before_commit", _before_commit)
    event.listen(OrmSession, "after_commit", _after_commit)
    event.listen(OrmSession, "after_soft_rollback", lambda s, _t: _after_rollback(s))
    install_session_hooks.done = True


# ---- applying the feed to this node's index ------------------------------------------------------


@contextlib.contextmanager
def _node_lock(blocking: bool):
    """One applier per index folder (gunicorn workers share it); yields whether it got the lock."""
    search_index.root().mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(search_index.root() / "follow.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + (LOCK_TIMEOUT if blocking else 0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() >= deadline:
                    if blocking:
                        raise LockError("the search index is busy") from exc
                    yield False
                    return
                time.sleep(0.05)
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def catch_up(blocking: bool = True, repair: bool = True) -> int | None:
    """Apply the changes this node's index has not seen; return how many services were
    re-indexed (-1 for a full rebuild), or None when another process holds the lock.

    An index that does not say what it has applied (built before the change feed existed) is
    rebuilt. So is a missing or unreadable one when `repair` is set; without it that raises, and
    search falls back to the database while staff see the rebuild banner."""
    with _node_lock(blocking) as got:
        if not got:
            return None
        directory = search_index.current_dir()
        state = search_index.read_followed(directory)
        if state is None:
            if not repair:
                search_index.open_index().doc_count()  # raises for a missing or broken index
            search_index.rebuild()
            return -1
        with Session(read_only_engine()) as session:
            lowest, newest = session.execute(
                sa.select(sa.func.min(SearchIndexChange.id), sa.func.max(SearchIndexChange.id))
            ).one()
            if (newest or 0) <= state.change_id and not state.gaps:
                return 0
            if _missed_pruned_changes(state, lowest):
                search_index.rebuild()
                return -1
            wanted = SearchIndexChange.id > state.change_id
            if state.gaps:
                wanted = sa.or_(wanted, SearchIndexChange.id.in_(state.gaps))
            rows = session.execute(sa.select(SearchIndexChange.id, SearchIndexChange.service_id).where(wanted)).all()
        return _apply(directory, state, rows)


def _missed_pruned_changes(state: search_index.FollowState, lowest: int | None) -> bool:
    """Rows after this node's last change may have been pruned only if that is older than the
    retention (a gap in ids alone may just be a rolled-back transaction)."""
    if lowest is None or lowest <= state.change_id + 1:
        return False
    return state.at < time.time() - KEEP_DAYS * 86400 + 3600


def _apply(directory, state: search_index.FollowState, rows) -> int:
    ids = {service_id for _, service_id in rows}
    if None in ids or len(ids) > MAX_INCREMENTAL:
        search_index.rebuild()
        return -1
    search_index.update_services(ids)
    seen = {change_id for change_id, _ in rows}
    newest = max(seen | {state.change_id})
    now = time.time()
    # Ids skipped between the old and the new high-water mark: maybe a transaction still open.
    gaps = {i: at for i, at in state.gaps.items() if i not in seen and at > now - search_index.GAP_SECONDS}
    gaps.update({i: now for i in range(state.change_id + 1, newest) if i not in seen})
    if len(gaps) > search_index.GAP_LOOKBACK:
        gaps = dict(sorted(gaps.items())[-search_index.GAP_LOOKBACK :])
    search_index.write_followed(directory, search_index.FollowState(change_id=newest, at=now, gaps=gaps))
    return len(ids)


_last_check: dict[str, float] = {}
_check_guard = threading.Lock()


def refresh_if_due() -> None:
    """At most once a second per process and index folder: pick up changes made elsewhere.
    Never blocks a search: when another worker is applying, this one serves the index as is."""
    if not enabled():
        return
    key = str(search_index.root())
    with _check_guard:
        now = time.monotonic()
        if now - _last_check.get(key, -POLL_SECONDS) < POLL_SECONDS:
            return
        _last_check[key] = now
    try:
        catch_up(blocking=False, repair=False)
    except Exception:  # a search must still be answered (the engine falls back to the database)
        log.exception("search index could not follow the database")
        search_index.mark_stale()


def before_search_request() -> None:
    if request.endpoint in SEARCH_ENDPOINTS:
        refresh_if_due()


# ---- pruning ------------------------------------------------------------------------------------

_last_prune: dict[str, float] = {}


def prune_changes() -> int:
    """Delete change rows older than KEEP_DAYS, always keeping the newest (it tells a returning
    node how far the feed has gone); commits in its own transaction."""
    cutoff = utcnow() - timedelta(days=KEEP_DAYS)
    newest = sa.select(sa.func.max(SearchIndexChange.id)).scalar_subquery()
    with db.engine.begin() as conn:
        result = conn.execute(
            sa.delete(SearchIndexChange).where(SearchIndexChange.changed_at < cutoff, SearchIndexChange.id < newest)
        )
    return result.rowcount


def _prune_now_and_then() -> None:
    key = str(search_index.root())
    if time.monotonic() - _last_prune.get(key, -PRUNE_EVERY_SECONDS) < PRUNE_EVERY_SECONDS:
        return
    _last_prune[key] = time.monotonic()
    try:
        prune_changes()
    except sa.exc.SQLAlchemyError as exc:
        log.warning("old search index changes not pruned: %s", exc)
