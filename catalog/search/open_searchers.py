"""The open index with its searchers kept open between searches.

Opening a Whoosh searcher reads the index's table of contents and opens every segment file:
a few milliseconds, on every search. A `LiveIndex` keeps one searcher per thread (a gunicorn
sync worker has one) and only checks it is current, which costs a folder listing; when a
writer has committed since, it opens a new one. (Not Whoosh's `searcher.refresh()`: that
reuses the readers of unchanged segment ids, and so misses deletions committed since.)
Everything else is the wrapped index's own.
"""

import contextlib
import threading


class LiveIndex:
    def __init__(self, ix):
        self._ix = ix
        self._local = threading.local()

    def __getattr__(self, name):
        return getattr(self._ix, name)

    def searcher(self, **kwargs):
        """A context manager giving this thread's searcher, up to date; left open on exit.
        With arguments (a scoring model, ...) a new searcher of its own, closed on exit."""
        if kwargs:
            return self._ix.searcher(**kwargs)
        current = getattr(self._local, "searcher", None)
        if current is None or current.reader().generation() != self._ix.latest_generation():
            if current is not None:
                current.close()
            current = self._local.searcher = self._ix.searcher()
        return contextlib.nullcontext(current)
