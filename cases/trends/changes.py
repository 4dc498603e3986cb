"""Note the months (and kinds of figures) a write touches, in the transaction that writes.

The reports read monthly counts (`store`); a write to a case, challenge, plan goal, person,
assignment, anonymous contact, referral, referral event or unmet need changes the counts of
the months its records are filed under (a case's opening and closing months, a referral's
sending month and the months of its events, ...). Session hooks collect those months from the
objects being flushed, old and new values alike (an edit that moves a case to another month
changes both), and from bulk ORM DELETEs (erasure) by reading the rows they are about to
delete; just before commit one `TrendChange` row per month and kind (`KINDS`: which groups
of figures it changes) is inserted in the same transaction. A rolled-back write leaves no
row; writers only ever insert, so no writer waits on another. A write whose months cannot be known (a bulk INSERT or UPDATE, a role or taxonomy
change) marks every month (month None): the next refresh rebuilds the whole table.
"""

from datetime import date, datetime

import sqlalchemy as sa
from flask import has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from cases.models import AnonymousContact, Case, Challenge, Person, anonymous_contact_domain, case_assignment
from cases.needs.models import UnmetNeed
from cases.plans.models import PlanGoal
from cases.referrals.models import Referral, ReferralEvent, referral_challenge
from cases.trends.models import TrendChange
from catalog.models import TaxonomyTerm
from welfare.database import utcnow
from welfare.models import User

PENDING = "trend_changed_months"
EVERY_MONTH = None

# What a change touches, as the groups of figures (`store.GROUPS`) to recompute for its months.
CASE_GROUPS = ("people", "cases_domain", "challenges_per_case", "challenges", "closed", "caseload", "first_plan")
KINDS = {
    "case": (*CASE_GROUPS, "closure"),  # a case opened, deleted, moved to another month
    "closing": ("closed", "closure", "caseload"),  # closed, reopened, outcome
    "assignment": ("caseload",),
    "person": ("people",),
    "challenge": ("cases_domain", "challenges_per_case", "challenges"),
    "plan": ("first_plan",),
    "contact": ("contacts", "contacts_domain"),
    "referral": ("sent", "sent_domain", "answer", "completion", "needs"),
    "need": ("needs",),
}
EVERYTHING_KIND = "all"  # every group (rows deleted in bulk; every month)


def enabled() -> bool:
    return has_app_context()


def month_of_value(value: date | datetime) -> int:
    return value.year * 12 + value.month - 1


def _months_of(rows) -> set[int]:
    return {month_of_value(value) for row in rows for value in row if value is not None}


# ---- months of records already in the database (old values, rows about to be deleted) -----------


def referral_months(session: Session, referral_ids) -> set[int]:
    """Sending months of the referrals and the months of their events (capacity declines)."""
    sent = session.execute(sa.select(Referral.sent_at).where(Referral.id.in_(referral_ids)))
    events = session.execute(sa.select(ReferralEvent.at).where(ReferralEvent.referral_id.in_(referral_ids)))
    return _months_of(sent) | _months_of(events)


def case_months(session: Session, case_ids) -> set[int]:
    """Opening and closing months of the cases, and the months of their referrals and unmet needs
    (a database cascade would take those with the case)."""
    months = _months_of(session.execute(sa.select(Case.opened_on, Case.closed_on).where(Case.id.in_(case_ids))))
    months |= _months_of(session.execute(sa.select(UnmetNeed.recorded_on).where(UnmetNeed.case_id.in_(case_ids))))
    return months | referral_months(session, sa.select(Referral.id).where(Referral.case_id.in_(case_ids)))


def _contact_months(session: Session, contact_ids) -> set[int]:
    rows = session.execute(sa.select(AnonymousContact.occurred_on).where(AnonymousContact.id.in_(contact_ids)))
    return _months_of(rows)


def _rows_months(session: Session, table: sa.Table, where) -> set[int] | None:
    """The months of the rows of `table` matching `where` (None: every month)."""
    selected = table.select().where(where) if where is not None else table.select()
    c = selected.selected_columns
    lookups = {
        Case.__tablename__: lambda: case_months(session, sa.select(c.id)),
        Person.__tablename__: lambda: case_months(
            session, sa.select(Case.id).where(Case.person_id.in_(sa.select(c.id)))
        ),
        Challenge.__tablename__: lambda: case_months(session, sa.select(c.case_id)),
        PlanGoal.__tablename__: lambda: case_months(session, sa.select(c.case_id)),
        case_assignment.name: lambda: case_months(session, sa.select(c.case_id)),
        AnonymousContact.__tablename__: lambda: _contact_months(session, sa.select(c.id)),
        anonymous_contact_domain.name: lambda: _contact_months(session, sa.select(c.contact_id)),
        Referral.__tablename__: lambda: referral_months(session, sa.select(c.id)),
        ReferralEvent.__tablename__: lambda: referral_months(session, sa.select(c.referral_id)),
        referral_challenge.name: lambda: referral_months(session, sa.select(c.referral_id)),
        UnmetNeed.__tablename__: lambda: _months_of(session.execute(sa.select(c.recorded_on))),
    }
    return lookups[table.name]()


TRACKED_TABLES = frozenset(
    [Case.__tablename__, Person.__tablename__, Challenge.__tablename__, PlanGoal.__tablename__, case_assignment.name]
    + [AnonymousContact.__tablename__, anonymous_contact_domain.name, Referral.__tablename__]
    + [ReferralEvent.__tablename__, referral_challenge.name, UnmetNeed.__tablename__]
)
EVERY_MONTH_TABLES = frozenset({User.__tablename__, TaxonomyTerm.__tablename__})


# ---- collecting -----------------------------------------------------------------------------------


def _mark(session: Session, months, kind: str) -> None:
    pending = session.info.setdefault(PENDING, set())
    pending.update((month, kind) for month in months)


def _values(obj, *names, default_now: bool = True) -> list:
    """Current and previous values of the attributes; now for a new object's unset date whose
    column default (utcnow) fills it at insert, unless `default_now` is off (ids)."""
    state = sa.inspect(obj)
    values = []
    for name in names:
        history = state.attrs[name].history
        values += [*history.added, *history.unchanged, *history.deleted]
        column = state.mapper.columns.get(name)
        has_default = column is not None and column.default is not None
        if default_now and has_default and state.pending and state.dict.get(name) is None:
            values.append(utcnow())
    return values


# The attributes the figures read, per kind of record: a change to any other (a note, a
# phone number, a blanked description) touches no month.
READ = {
    Case: {"opened_on", "closed_on", "outcome", "person_id", "person", "assignees"},
    Person: {"birth_year", "birth_date", "gender", "municipality", "settlement"},
    Challenge: {"case_id", "case", "domain_id", "urgency"},
    PlanGoal: {"case_id", "case", "created_at"},
    UnmetNeed: {"case_id", "case", "recorded_on", "domain_id", "kind"},
    AnonymousContact: {"occurred_on", "channel", "domains"},
    Referral: {"sent_at", "status", "decline_reason", "outcome", "organization_id", "challenges"},
    ReferralEvent: {"referral_id", "referral", "at", "to_status"},
}


def _changed(obj) -> set[str]:
    return {attr.key for attr in sa.inspect(obj).attrs if attr.history.has_changes()}


class _Touched:
    """What one flush touches: (date, kind) pairs in hand, and ids whose months the database knows."""

    def __init__(self) -> None:
        self.dates: list[tuple[date | datetime, str]] = []
        self.case_ids: set = set()  # deleted cases: every month of theirs, every figure
        self.opened: dict[str, set] = {}  # kind -> ids of cases whose opening month it touches
        self.person_ids: set = set()
        self.referral_ids: set = set()  # sending and event months
        self.challenge_ids: set = set()  # the referrals that address the challenge
        self.every_month = False

    def add(self, kind: str, obj, *names) -> None:
        self.dates += [(value, kind) for value in _values(obj, *names)]

    def case(self, kind: str, obj) -> None:
        """The opening month of the case an object hangs on: by id, or the new case itself."""
        parent = sa.inspect(obj).dict.get("case")
        ids = self.opened.setdefault(kind, set())
        ids.update(i for i in _values(obj, "case_id", default_now=False) if i is not None)
        if parent is not None:
            if parent.id is not None:
                ids.add(parent.id)
            self.add(kind, parent, "opened_on")

    def referral(self, obj) -> None:
        parent = sa.inspect(obj).dict.get("referral")
        self.referral_ids.update(i for i in _values(obj, "referral_id", default_now=False) if i is not None)
        if parent is not None:
            if parent.id is not None:
                self.referral_ids.add(parent.id)
            self.add("referral", parent, "sent_at")

    def marks(self, session: Session) -> set[tuple[int, str]]:
        marks = {(month_of_value(value), kind) for value, kind in self.dates if value is not None}
        with session.no_autoflush:
            if self.person_ids:
                people = sa.select(Case.id).where(Case.person_id.in_(self.person_ids))
                self.opened.setdefault("person", set()).update(session.scalars(people))
            for kind, ids in self.opened.items():
                if ids:
                    rows = session.execute(sa.select(Case.opened_on).where(Case.id.in_(ids)))
                    marks |= {(month, kind) for month in _months_of(rows)}
            referral_ids = set(self.referral_ids)
            if self.challenge_ids:
                addressing = sa.select(referral_challenge.c.referral_id)
                addressing = addressing.where(referral_challenge.c.challenge_id.in_(self.challenge_ids))
                referral_ids |= set(session.scalars(addressing))
            if referral_ids:
                marks |= {(month, "referral") for month in referral_months(session, list(referral_ids))}
            if self.case_ids:
                marks |= {(month, EVERYTHING_KIND) for month in case_months(session, list(self.case_ids))}
        return marks


def _note_case(touched: _Touched, session: Session, obj, changed: set[str] | None) -> None:
    if changed is None or changed & {"opened_on", "person_id", "person"}:
        touched.add("case", obj, "opened_on", "closed_on")
        if obj in session.deleted:
            touched.case_ids.add(obj.id)
        return
    if changed & {"closed_on", "outcome"}:
        touched.add("closing", obj, "closed_on")
    if "assignees" in changed:  # caseload by opening month and by closing month
        touched.add("assignment", obj, "opened_on", "closed_on")


def _note(touched: _Touched, session: Session, obj) -> None:
    state = sa.inspect(obj)
    model = next((m for m in READ if isinstance(obj, m)), None)
    if model is None:
        if isinstance(obj, User) and obj.id is not None and not state.pending:
            touched.every_month |= obj in session.deleted or "role" in _changed(obj)
        elif isinstance(obj, TaxonomyTerm) and not state.pending:
            touched.every_month |= "parent_id" in _changed(obj)
        return
    whole = state.pending or obj in session.deleted
    changed = None if whole else _changed(obj) & READ[model]
    if changed is not None and not changed:
        return
    if model is Case:
        _note_case(touched, session, obj, changed)
    elif model is Person:
        if obj.id is not None:
            touched.person_ids.add(obj.id)
    elif model is Challenge:
        touched.case("challenge", obj)
        if obj.id is not None and (whole or "domain_id" in changed):
            touched.challenge_ids.add(obj.id)  # referrals count by their challenges' domains
    elif model is PlanGoal:
        touched.case("plan", obj)
    elif model is UnmetNeed:
        touched.add("need", obj, "recorded_on")
    elif model is AnonymousContact:
        touched.add("contact", obj, "occurred_on")
    elif model is Referral:
        touched.add("referral", obj, "sent_at")
        if obj.id is not None and (whole or changed & {"status", "decline_reason", "challenges"}):
            touched.referral_ids.add(obj.id)  # capacity declines count in the months of events
    elif model is ReferralEvent:
        touched.add("referral", obj, "at")
        touched.referral(obj)


def _before_flush(session: Session, _context, _instances) -> None:
    if not enabled():
        return
    touched = _Touched()
    for obj in [*session.new, *session.dirty, *session.deleted]:
        _note(touched, session, obj)
    pending = session.info.setdefault(PENDING, set())
    pending |= touched.marks(session)
    if touched.every_month:
        _mark(session, [EVERY_MONTH], EVERYTHING_KIND)


def _bulk_statement(state) -> None:
    """An ORM-executed INSERT, UPDATE or DELETE on a tracked table (erasure deletes in bulk)."""
    if not (state.is_delete or state.is_update or state.is_insert) or not enabled():
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name in EVERY_MONTH_TABLES and not state.is_insert:
        _mark(state.session, [EVERY_MONTH], EVERYTHING_KIND)
    if name not in TRACKED_TABLES:
        return
    if not state.is_delete or not isinstance(table, sa.Table):
        # New values are not known here (and a bulk INSERT has no rows before it): every month.
        _mark(state.session, [EVERY_MONTH], EVERYTHING_KIND)
        return
    with state.session.no_autoflush:
        months = _rows_months(state.session, table, state.statement.whereclause)
        _mark(state.session, months, EVERYTHING_KIND)


def _before_commit(session: Session) -> None:
    if not enabled():
        return
    if session.new or session.dirty or session.deleted:
        session.flush()  # the last changes' flush notes their months
    pending = session.info.pop(PENDING, None)
    if pending:
        now = utcnow()
        rows = [{"month": month, "kind": kind, "changed_at": now} for month, kind in sorted(pending, key=str)]
        session.execute(sa.insert(TrendChange), rows)


def _after_rollback(session: Session, _previous) -> None:
    session.info.pop(PENDING, None)


def install_session_hooks() -> None:
    """Follow the ORM session (idempotent): note months on flush and on bulk statements, write
    them before commit, forget them on rollback."""
    if getattr(install_session_hooks, "done", False):
        return
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "do_orm_execute", _bulk_statement)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_soft_rollback", _after_rollback)
    install_session_hooks.done = True
