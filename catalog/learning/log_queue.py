"""The anonymous search log, written off the request path.

A public search used to commit its log row inside the request, taking the database write lock
(on SQLite: the one lock of the whole database) for every search. Now the request only queues
the (already scrubbed) entry in memory and gets a random token for it, which the results page
uses to link opens; the queue is written in one transaction per batch:

- `background` (production): a thread per process writes every FLUSH_SECONDS, sooner once
  BATCH entries wait, and once more at a clean shutdown (atexit; a SIGTERM that would otherwise
  kill the process without it first becomes a normal exit), so no entry is lost then;
- `request` (tests by default): written at the end of the request that queued it;
- `manual`: only `flush()` writes (the queue's own tests).

An open is queued too and applied after the searches of its batch, so an open that arrives
before its search is written is kept; one whose search another worker has not written yet is
tried again for OPEN_RETRY_SECONDS.
"""

import atexit
import logging
import os
import signal
import threading
import time
import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import Flask, current_app

from catalog.search import SearchLog
from catalog.search import forget as forget_cached
from welfare.database import utcnow
from welfare.extensions import db

log = logging.getLogger(__name__)
FLUSH_SECONDS = 1.0
BATCH = 200
MAX_QUEUED = 50_000  # a database down for long: keep the newest, never grow without bound
OPEN_RETRY_SECONDS = 60
OPEN_WINDOW_SECONDS = 6 * 3600  # an open counts only shortly after its search
MODES = ("background", "request", "manual")


@dataclass
class _Open:
    token: str
    service_id: str
    at: object
    queued: float = field(default_factory=time.monotonic)


class SearchLogQueue:
    """Per-process queue of search-log entries and opens for one app."""

    def __init__(self, app: Flask, mode: str):
        self.app, self.mode = app, mode
        self._lock = threading.Lock()
        self._flushing = threading.Lock()
        self._entries: list[dict] = []
        self._opens: list[_Open] = []
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()

    # ---- queueing (request path: memory only) ----

    def add_search(
        self, query: str, query_key: str, filters: str, result_count: int, visitor: str | None = None, at=None
    ) -> str:
        token = uuid.uuid4().hex
        entry = dict(token=token, at=at or utcnow(), query=query, query_key=query_key, filters=filters)
        entry.update(result_count=result_count, visitor=visitor)
        with self._lock:
            self._entries.append(entry)
            if len(self._entries) > MAX_QUEUED:
                del self._entries[: len(self._entries) - MAX_QUEUED]
                log.warning("search log queue full: oldest entries dropped")
            due = len(self._entries) >= BATCH
        self._started(due)
        return token

    def add_open(self, token: str, service_id: str) -> None:
        with self._lock:
            self._opens.append(_Open(token, service_id, utcnow()))
            del self._opens[:-MAX_QUEUED]
        self._started(False)

    def pending(self) -> int:
        with self._lock:
            return len(self._entries) + len(self._opens)

    # ---- writing ----

    def flush(self) -> int:
        """Write what is queued in one transaction; return the number of searches written. On a
        database error everything is put back for the next try."""
        with self._flushing:
            with self._lock:
                entries, self._entries = self._entries, []
                opens, self._opens = self._opens, []
            if not entries and not opens:
                return 0
            try:
                with self.app.app_context():
                    with db.engine.begin() as conn:
                        if entries:
                            conn.execute(sa.insert(SearchLog), entries)
                        applied = [(o, _apply_open(conn, o)) for o in opens]
                    for key in {key for _, key in applied if key}:
                        forget_cached("boosts", key)  # this process's next search sees the open
            except Exception:
                with self._lock:
                    self._entries[:0] = entries
                    self._opens[:0] = opens
                raise
            left = [o for o, key in applied if key is None]
            retry = [o for o in left if time.monotonic() - o.queued < OPEN_RETRY_SECONDS]
            if retry:
                with self._lock:
                    self._opens[:0] = retry
            return len(entries)

    def _started(self, due: bool) -> None:
        if self.mode != "background":
            return
        # After a fork (gunicorn --preload) the parent's thread does not exist in the child.
        if self._thread is None or not self._thread.is_alive() or self._pid != os.getpid():
            with self._lock:
                if self._thread is None or not self._thread.is_alive() or self._pid != os.getpid():
                    self._pid = os.getpid()
                    self._thread = threading.Thread(target=self._run, name="search-log-writer", daemon=True)
                    self._thread.start()
        if due:
            self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(FLUSH_SECONDS)
            self._wake.clear()
            try:
                self.flush()
            except Exception:
                log.exception("search log not written yet; will try again")
                self._stop.wait(FLUSH_SECONDS)

    def close(self) -> None:
        """Stop the writer and write what is left (clean shutdown)."""
        self._stop.set()
        self._wake.set()
        try:
            self.flush()
        except Exception:
            log.exception("search log entries lost at shutdown: %d", self.pending())


def _apply_open(conn, pending: _Open) -> str | None:
    """Note the first open of a search; return its query key once its search row was found
    (empty when the open came too late to count), None while it is not written yet."""
    found = conn.execute(
        sa.select(SearchLog.id, SearchLog.at, SearchLog.query_key).where(SearchLog.token == pending.token)
    ).first()
    if found is None:
        return None
    if (pending.at - found.at).total_seconds() > OPEN_WINDOW_SECONDS:
        return ""
    conn.execute(
        sa.update(SearchLog)
        .where(SearchLog.id == found.id, SearchLog.opened_service_id.is_(None))
        .values(opened_service_id=pending.service_id, opened_at=pending.at)
    )
    return found.query_key


def queue() -> SearchLogQueue:
    return current_app.extensions["search_log_queue"]


def flush() -> int:
    """Write the current app's queued search-log entries now."""
    return queue().flush()


def _exit_on_sigterm(signum, _frame):
    # A normal exit runs the atexit hooks, which write the queue; the default action would not.
    raise SystemExit(128 + signum)


def init_app(app: Flask) -> None:
    mode = app.config["SEARCH_LOG_FLUSH"]
    if mode not in MODES:
        raise ValueError(f"SEARCH_LOG_FLUSH must be one of {', '.join(MODES)}, not {mode!r}")
    log_queue = app.extensions["search_log_queue"] = SearchLogQueue(app, mode)

    @app.teardown_request
    def write_search_log(_exc=None):
        if log_queue.mode != "request":
            return
        try:
            log_queue.flush()
        except Exception:
            log.exception("search log not written")

    if mode == "background":
        atexit.register(log_queue.close)
        # gunicorn and other servers install their own SIGTERM handling: only replace the default.
        if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _exit_on_sigterm)
