"""The monthly fact table: what each figure counts, how it is refreshed, and how it is read.

Each group of `GROUPS` computes, with the live queries of `facts` and `referral_facts`, one
or more cubes ({category key: {month: count}}) for the months of a span. Every figure is
filed under the month of the date it is counted by (a case's opening or closing, a referral's
sending, an event's day), so the counts of a month depend only on records of that month and
a refresh recomputes just the groups and months the change log names (`changes`: a closure
touches the closing-month figures of its month, a new plan goal the first-plan histogram). Medians are stored as
day histograms (how many cases took n days) and "open at the end of a month" as cases by
opening month and by closing month, so both are exact sums of stored rows.

A refresh takes a lock that only refreshers take (PostgreSQL: a transaction advisory lock;
SQLite: a file lock, the figures computed in a read transaction and written in a short write
one) and deletes exactly the change rows it read, so two refreshers never count a month twice
and a write committed meanwhile stays for the next one. Writers never wait for the
computation (on SQLite they queue behind the short write, as behind any other writer).
"""

import contextlib
import fcntl
import json
import os
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from cases.models import Case, Person, case_assignment
from cases.trends import facts, referral_facts
from cases.trends.changes import EVERY_MONTH, KINDS, PENDING
from cases.trends.facts import Span
from cases.trends.models import TrendChange, TrendFact, TrendState
from cases.trends.periods import month_index, month_start
from welfare.database import READ_ONLY_OPTION, utcnow, writing_now
from welfare.extensions import db
from welfare.models import User

Cube = dict[tuple, dict[int, int]]
EVERYTHING = Span.of(date(1000, 1, 1), date(3000, 1, 1))
# More changed months than this at once (a retention run over years): rebuild everything.
MAX_INCREMENTAL_MONTHS = 36
LOCK_KEY = 7_301_994  # pg_advisory_xact_lock key of the trend refresh
INSERT_BATCH = 5000


def as_cube(monthly: dict) -> Cube:
    """{category: {month: n}} as a one-dimensional cube."""
    return {(key,): dict(months) for key, months in monthly.items()}


def histogram_cube(by_month: dict[int, list[int]]) -> Cube:
    """{month: [days, ...]} as {(days,): {month: how many}}."""
    cube: Cube = {}
    for month, values in by_month.items():
        for days, n in Counter(values).items():
            cube.setdefault((days,), {})[month] = n
    return cube


def per_range(counts: Callable[[date, date], tuple], span: Span) -> tuple[dict, dict]:
    """A demand source's (monthly, totals) for each range of the span, merged (months disjoint)."""
    monthly: dict = {}
    totals: dict = {}
    for since, until in span.ranges:
        part, part_totals = counts(since, until)
        for key, months in part.items():
            monthly.setdefault(key, {}).update(months)
        totals.update(part_totals or {})
    return monthly, totals


def _by_role(date_column, other_month, span: Span) -> Cube:
    """Cases by (assignee role, or "unassigned"[, the month of `other_month`]) and the month of
    `date_column`, each case once per role (outer joins: a case without assignees has no role)."""
    extra = [facts.month_of(other_month)] if other_month is not None else []
    assignees = [
        (case_assignment, case_assignment.c.case_id == Case.id, True),
        (User, User.id == case_assignment.c.user_id, True),
    ]
    cube = facts.grouped([User.role, *extra], date_column, span, distinct=Case.id, joins=assignees)
    return {("unassigned" if role == facts.UNKNOWN else role, *rest): months for (role, *rest), months in cube.items()}


def caseload_cubes(span: Span) -> dict[str, Cube]:
    """The cases open at the end of month m per role are those opened by m ("caseload_opened",
    by opening month) less those of them closed by m ("caseload_closed", by closing month, with
    the opening month as a key): closing a case touches only its closing month."""
    return {
        "caseload_opened": _by_role(Case.opened_on, None, span),
        "caseload_closed": _by_role(Case.closed_on, Case.opened_on, span),
    }


def _people(span: Span) -> dict[str, Cube]:
    joins = [(Person, Person.id == Case.person_id)]
    return {
        "ages": facts.grouped([facts.age_band_expression(), Person.gender], Case.opened_on, span, joins=joins),
        "places": facts.grouped([Person.municipality, Person.settlement], Case.opened_on, span, joins=joins),
        "opened": {(): facts.cases_opened(span)},
    }


def _needs_and_declines(span: Span) -> dict[str, Cube]:
    needs, _none = per_range(referral_facts.unmet_needs_by_domain, span)
    declines, decline_totals = per_range(referral_facts.capacity_declines_by_domain, span)
    return {
        "needs_domain": as_cube(needs),
        "needs_kind": as_cube(referral_facts.unmet_needs_by_kind(span)),
        "capacity_domain": as_cube(declines),
        "capacity_total": {(): decline_totals},
    }


# Groups of figures computed together: name -> (the figures, how to compute them for a span).
# Together they are every figure the reports read; `changes.KINDS` names the groups a write touches.
GROUPS: dict[str, tuple[tuple[str, ...], Callable[[Span], dict[str, Cube]]]] = {
    "people": (("ages", "places", "opened"), _people),
    "cases_domain": (("cases_domain",), lambda s: {"cases_domain": as_cube(facts.cases_by_domain(s))}),
    "challenges_per_case": (
        ("challenges_per_case",),
        lambda s: {"challenges_per_case": as_cube(facts.challenges_per_case(s))},
    ),
    "challenges": (("challenges",), lambda s: {"challenges": facts.challenge_cube(s)}),
    "contacts": (("contacts",), lambda s: {"contacts": facts.contact_cube(s)}),
    "contacts_domain": (("contacts_domain",), lambda s: {"contacts_domain": as_cube(facts.contacts_by_domain(s))}),
    "closed": (("closed",), lambda s: {"closed": as_cube(facts.cases_closed_by_outcome(s))}),
    "caseload": (("caseload_opened", "caseload_closed"), caseload_cubes),
    "first_plan": (("first_plan",), lambda s: {"first_plan": histogram_cube(facts.days_to_first_plan(s))}),
    "closure": (("closure",), lambda s: {"closure": histogram_cube(facts.days_to_closure(s))}),
    "sent": (("sent",), lambda s: {"sent": referral_facts.sent_cube(s)}),
    "sent_domain": (("sent_domain",), lambda s: {"sent_domain": as_cube(referral_facts.sent_by_domain(s))}),
    "answer": (("answer",), lambda s: {"answer": histogram_cube(referral_facts.days_to_answer(s))}),
    "completion": (("completion",), lambda s: {"completion": histogram_cube(referral_facts.days_to_completion(s))}),
    "needs": (("needs_domain", "needs_kind", "capacity_domain", "capacity_total"), _needs_and_declines),
}


def compute(span: Span, groups=None) -> dict[str, Cube]:
    """The figures of the groups (default: all) for the months of the span, from the case tables."""
    cubes: dict[str, Cube] = {}
    for name in groups or GROUPS:
        cubes |= GROUPS[name][1](span)
    return cubes


def figures_of(groups) -> list[str]:
    return [figure for name in groups for figure in GROUPS[name][0]]


def span_of_months(months) -> Span:
    """The days of the months, consecutive months merged into one range."""
    ranges: list[list[int]] = []
    for month in sorted(months):
        if ranges and ranges[-1][1] == month:
            ranges[-1][1] = month + 1
        else:
            ranges.append([month, month + 1])
    return Span(tuple((month_start(a), month_start(b)) for a, b in ranges))


# ---- refreshing -----------------------------------------------------------------------------------


def _is_postgres(session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


@contextlib.contextmanager
def _refresher_lock(session):
    """One refresher at a time, never in a writer's way. PostgreSQL: a transaction advisory
    lock (released by the commit). SQLite: a file lock beside the database, so the figures are
    computed in a read transaction and the write lock is held only while they are written."""
    if _is_postgres(session):
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_KEY)))
        yield
        return
    path = Path(current_app.config["DATA_DIR"] or current_app.instance_path) / "trend-refresh.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _write_facts(session, cubes: dict[str, Cube]) -> int:
    rows = [
        {"figure": figure, "month": month, "key": json.dumps(list(key)), "n": n}
        for figure, cube in cubes.items()
        for key, months in cube.items()
        for month, n in months.items()
        if n
    ]
    for start in range(0, len(rows), INSERT_BATCH):
        session.execute(sa.insert(TrendFact), rows[start : start + INSERT_BATCH])
    return len(rows)


def refresh(full: bool = False) -> int:
    """Recompute the months the change log names (everything when the table was never built,
    when `full`, or when a change marked every month); commits (this session's own pending
    changes first). Returns how many months were recomputed, -1 for a full rebuild.

    The change rows are read in the same snapshot as the figures, and only those are deleted:
    a write committed meanwhile keeps its row for the next refresh."""
    session = db.session
    session.commit()
    with _refresher_lock(session):
        if not _is_postgres(session):  # (a commit would release PostgreSQL's lock)
            session.commit()  # a snapshot taken after the previous refresher finished,
            session.connection(execution_options={READ_ONLY_OPTION: True})  # without the write lock
        changes = session.execute(sa.select(TrendChange.id, TrendChange.month, TrendChange.kind)).all()
        months = {month for _id, month, _kind in changes}
        state = session.get(TrendState, 1)
        rebuild = full or state is None or EVERY_MONTH in months or len(months) > MAX_INCREMENTAL_MONTHS
        if not rebuild and not months:
            session.commit()
            return 0
        work = {None: None} if rebuild else _work(changes)  # {groups: months}, None: everything
        cubes = [
            (groups, ms, compute(EVERYTHING if ms is None else span_of_months(ms), groups))
            for groups, ms in work.items()
        ]
        with contextlib.nullcontext() if _is_postgres(session) else writing_now():
            for groups, ms, cube in cubes:
                stale = sa.delete(TrendFact)
                if ms is not None:
                    stale = stale.where(TrendFact.figure.in_(figures_of(groups)), TrendFact.month.in_(sorted(ms)))
                session.execute(stale)
                _write_facts(session, cube)
            ids = [change_id for change_id, _month, _kind in changes]
            for start in range(0, len(ids), 500):
                session.execute(sa.delete(TrendChange).where(TrendChange.id.in_(ids[start : start + 500])))
            _record_state(session, state is None, rebuild)
            session.commit()
    return -1 if rebuild else len(months)


def _work(changes) -> dict[tuple[str, ...], frozenset[int]]:
    """The change rows as {groups of figures: the months to recompute them for}, groups that
    share the same months together (one span, one pass)."""
    by_group: dict[str, set[int]] = {}
    for _id, month, kind in changes:
        for group in KINDS.get(kind, tuple(GROUPS)):  # an unknown kind: every group
            by_group.setdefault(group, set()).add(month)
    work: dict[frozenset[int], list[str]] = {}
    for group, months in by_group.items():
        work.setdefault(frozenset(months), []).append(group)
    return {tuple(groups): months for months, groups in work.items()}


def _record_state(session, first: bool, rebuild: bool) -> None:
    now = utcnow()
    if first:
        session.execute(sa.insert(TrendState).values(id=1, built_at=now, refreshed_at=now))
    else:
        values = {"refreshed_at": now} | ({"built_at": now} if rebuild else {})
        session.execute(sa.update(TrendState).where(TrendState.id == 1).values(**values))


def ensure_fresh() -> None:
    """Bring the fact table up to date before a report reads it: two cheap lookups when
    nothing changed; otherwise this session's own changes are committed and the changed months
    recomputed (the first report after a deploy builds the whole table)."""
    session = db.session
    own_changes = session.new or session.dirty or session.deleted or session.info.get(PENDING)
    if not own_changes:
        built = session.scalar(sa.select(TrendState.id).limit(1))
        changed = session.scalar(sa.select(TrendChange.id).limit(1))
        if built is not None and changed is None:
            return
    refresh()


# ---- reading ----------------------------------------------------------------------------------------


def month_ranges(span: Span) -> list[tuple[int, int]] | None:
    """The span as half-open ranges of month indexes, or None if it does not fall on whole months."""
    if any(a.day != 1 or b.day != 1 for a, b in span.ranges):
        return None
    return [(month_index(a), month_index(b)) for a, b in span.ranges]


def read(figure: str, ranges: list[tuple[int, int]] | None = None, through: int | None = None) -> Cube:
    """A stored cube for the month ranges (or every month up to and including `through`)."""
    query = sa.select(TrendFact.key, TrendFact.month, TrendFact.n).where(TrendFact.figure == figure)
    if ranges is not None:
        query = query.where(sa.or_(*(TrendFact.month.between(a, b - 1) for a, b in ranges)))
    if through is not None:
        query = query.where(TrendFact.month <= through)
    cube: Cube = {}
    keys: dict[str, tuple] = {}
    for key, month, n in db.session.execute(query):
        if key not in keys:
            keys[key] = tuple(json.loads(key))
        cube.setdefault(keys[key], {})[month] = n
    return cube
