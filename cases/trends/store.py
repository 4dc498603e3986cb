"""The monthly fact table: what each figure counts, how it is refreshed, and how it is read.

Each entry of `FIGURES` computes, with the live queries of `facts` and `referral_facts`, one
or more cubes ({category key: {month: count}}) for the months of a span. Every figure is
filed under the month of the date it is counted by (a case's opening or closing, a referral's
sending, an event's day), so the counts of a month depend only on records of that month and
a refresh recomputes just the months the change log names (`changes`). Medians are stored as
day histograms (how many cases took n days) and "open at the end of a month" as cases by
opening month and by closing month, so both are exact sums of stored rows.

A refresh takes a lock that only refreshers take (PostgreSQL: a transaction advisory lock;
SQLite: the write lock every writing transaction takes) and deletes exactly the change rows
it read, so two refreshers never count a month twice and a write committed meanwhile stays
for the next one. Writers never wait for it.
"""

import json
from collections import Counter
from collections.abc import Callable
from datetime import date

import sqlalchemy as sa

from cases.models import Case, Person, case_assignment
from cases.trends import facts, referral_facts
from cases.trends.changes import EVERY_MONTH, PENDING
from cases.trends.facts import Span
from cases.trends.models import TrendChange, TrendFact, TrendState
from cases.trends.periods import month_index, month_start
from welfare.database import utcnow, writing_now
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
    `date_column`, each case once per role."""
    extra = [facts.month_of(other_month)] if other_month is not None else []
    assignees = [(case_assignment, case_assignment.c.case_id == Case.id), (User, User.id == case_assignment.c.user_id)]
    cube = dict(facts.grouped([User.role, *extra], date_column, span, distinct=Case.id, joins=assignees))
    assigned = sa.case((Case.id.in_(sa.select(case_assignment.c.case_id)), "assigned"), else_="unassigned")
    for (flag, *rest), months in facts.grouped([assigned, *extra], date_column, span).items():
        if flag == "unassigned":
            cube[("unassigned", *rest)] = months
    return cube


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


# Each computes some figures for a span; together they are every figure the reports read.
FIGURES: list[Callable[[Span], dict[str, Cube]]] = [
    _people,
    lambda s: {"cases_domain": as_cube(facts.cases_by_domain(s))},
    lambda s: {"challenges_per_case": as_cube(facts.challenges_per_case(s))},
    lambda s: {"challenges": facts.challenge_cube(s)},
    lambda s: {"contacts": facts.contact_cube(s)},
    lambda s: {"contacts_domain": as_cube(facts.contacts_by_domain(s))},
    lambda s: {"closed": as_cube(facts.cases_closed_by_outcome(s))},
    caseload_cubes,
    lambda s: {"first_plan": histogram_cube(facts.days_to_first_plan(s))},
    lambda s: {"closure": histogram_cube(facts.days_to_closure(s))},
    lambda s: {"sent": referral_facts.sent_cube(s)},
    lambda s: {"sent_domain": as_cube(referral_facts.sent_by_domain(s))},
    lambda s: {"answer": histogram_cube(referral_facts.days_to_answer(s))},
    lambda s: {"completion": histogram_cube(referral_facts.days_to_completion(s))},
    _needs_and_declines,
]


def compute(span: Span) -> dict[str, Cube]:
    """Every figure for the months of the span, from the case tables."""
    cubes: dict[str, Cube] = {}
    for figures in FIGURES:
        cubes |= figures(span)
    return cubes


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


def _lock(session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_KEY)))
    # SQLite: this transaction began with BEGIN IMMEDIATE (a CLI command, or `writing_now`).


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
    when `full`, or when a change marked every month); commits. Returns how many months were
    recomputed, -1 for a full rebuild."""
    session = db.session
    _lock(session)
    changes = session.execute(sa.select(TrendChange.id, TrendChange.month)).all()
    months = {month for _id, month in changes}
    state = session.get(TrendState, 1)
    now = utcnow()
    if full or state is None or EVERY_MONTH in months or len(months) > MAX_INCREMENTAL_MONTHS:
        session.execute(sa.delete(TrendFact))
        _write_facts(session, compute(EVERYTHING))
        result = -1
    elif months:
        session.execute(sa.delete(TrendFact).where(TrendFact.month.in_(months)))
        _write_facts(session, compute(span_of_months(months)))
        result = len(months)
    else:
        session.commit()
        return 0
    ids = [change_id for change_id, _month in changes]
    for start in range(0, len(ids), 500):
        session.execute(sa.delete(TrendChange).where(TrendChange.id.in_(ids[start : start + 500])))
    if state is None:
        session.execute(sa.insert(TrendState).values(id=1, built_at=now, refreshed_at=now))
    else:
        values = {"refreshed_at": now} | ({"built_at": now} if result == -1 else {})
        session.execute(sa.update(TrendState).where(TrendState.id == 1).values(**values))
    session.commit()
    return result


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
    with writing_now():
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
