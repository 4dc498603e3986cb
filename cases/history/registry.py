"""The case history as a union of its sources, read when the page is shown.

Why a read-time union and not an event table written by the services:

- Every record the history shows already keeps its own who and when: a timeline entry (notes,
  contacts, closing, reopening), a consent (given, withdrawn), a referral event (sent, answered,
  closed), a plan change, a deadline. A second copy in an event table would have to be written
  by every path that changes them (the form services, the organization's link, closing a case
  that cancels referrals and steps, the demo loader, a restore), and a path that forgot would
  leave the history silently short; the union cannot drift from the records it reads.
- Erasure and retention (cases/privacy) already anonymize exactly these records; an event table
  holding names of organizations, reasons or notes would be one more copy of personal data for
  them to find. The union holds nothing of its own.
- No migration or backfill: cases opened years ago show their whole history at once.

The cost: one indexed query per source (by case id, each capped at PER_SOURCE newest rows), and
where a source keeps only a day (a consent withdrawn, a deadline met) the history shows the
day, not the time. A change that leaves no row of its own (the edit form moving a case from
"open" to "active") is not in the history until its service writes one.

A new kind of record joins with one call to `register_source`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from cases.models import Case

# Each source reads at most this many of its newest rows: a case with more is read in parts.
PER_SOURCE = 500


@dataclass(frozen=True)
class HistoryEvent:
    """One event of a case, ready to show (texts already in the reader's language)."""

    kind: str  # the filter it belongs to, a key of a source's kinds
    at: datetime  # stored (naive UTC); for `day_only` where that day sorts (sources._day_end)
    title: str  # what happened: "Referral accepted", "Consent withdrawn"
    who: str = ""  # a team member's name, or the organization that answered
    detail: str = ""  # what else the record says (the note, the reason, the new value)
    day_only: bool = False  # the source keeps the day, not the time
    url: str | None = None  # the record's own page, when it has one


Source = Callable[[Case, int], Iterable[HistoryEvent]]

_sources: list[Source] = []
_kinds: dict = {}  # kind -> lazy label, in the order the filter offers them


def register_source(events_of: Source, kinds: dict) -> None:
    """Add a source: `events_of(case, limit)` yields the case's events of `kinds` (kind -> label)."""
    if events_of not in _sources:
        _sources.append(events_of)
    _kinds.update(kinds)


def kind_choices() -> list[tuple[str, str]]:
    """The kinds a reader may filter by, with their labels in the request's language."""
    return [(kind, str(label)) for kind, label in _kinds.items()]


def history_of(case: Case, kind: str | None = None) -> list[HistoryEvent]:
    """Every event of the case (or only those of `kind`), newest first."""
    events = [event for source in _sources for event in source(case, PER_SOURCE)]
    if kind:
        events = [event for event in events if event.kind == kind]
    # Stable sort: events of one moment keep their source's order (the earlier source first).
    return sorted(events, key=lambda event: event.at, reverse=True)
