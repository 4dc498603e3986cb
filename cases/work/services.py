"""Moje delo and the office view: what is due, overdue or new on the team's cases.

Each panel is one query over the plan, deadline, case and timeline tables (indexed on
due_on, status and follow_up_on), so the page stays fast with a large case register. A
panel takes `user_id=None` for the whole office, and the user's open case ids (`mine`) when
the caller has them already.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from cases.models import Case, CaseStatus, Challenge, Deadline, TimelineEntry, Urgency, case_assignment
from cases.plans import deadlines as calc
from cases.plans.models import PlanGoal, PlanStep, StepStatus
from welfare.clock import today
from welfare.extensions import db
from welfare.models import User

# Steps and follow-ups due within this many days are listed as "due" (before they are overdue).
DUE_HORIZON_DAYS = 7
PANEL_LIMIT = 100
ACTIVITY_LIMIT = 15
OPEN_STATUSES = (CaseStatus.OPEN, CaseStatus.ACTIVE)


def case_is_open():
    """Open or active. Spelled with a literal so the partial indexes on open cases apply (SQLite
    uses a partial index only when the query repeats its WHERE term)."""
    return Case.status != sa.literal_column("'closed'")


URGENCY_RANK = {Urgency.LOW: 1, Urgency.MEDIUM: 2, Urgency.HIGH: 3, Urgency.CRISIS: 4}
_RANK_URGENCY = {rank: urgency for urgency, rank in URGENCY_RANK.items()}


def deadline_state(due_on: date, on: date) -> str:
    """ "overdue", "warning" (3 working days or fewer left, or due today) or "ok"."""
    if due_on < on:
        return "overdue"
    return "warning" if calc.needs_warning(on, due_on) else "ok"


def my_case_ids(user_id: int) -> list[int]:
    """Ids of the open cases this user is assigned to.

    Read once per page and handed to every panel: a team member collects thousands of closed
    cases over the years, so the panels must not each walk all their assignments again.
    """
    # Driven from the open cases (a partial index, bounded by the office's size) and probing the
    # assignment's primary key, rather than from the user's ever-growing list of assignments.
    assigned = sa.exists().where(case_assignment.c.case_id == Case.id, case_assignment.c.user_id == user_id)
    return list(db.session.scalars(sa.select(Case.id).where(case_is_open(), assigned)))


def my_step_ids(user_id: int, mine: list[int]):
    """Subquery: plan steps on the user's open cases (`mine`) or owned by them."""
    on_my_cases = (
        sa.select(PlanStep.id).join(PlanGoal, PlanGoal.id == PlanStep.goal_id).where(PlanGoal.case_id.in_(mine))
    )
    return sa.union(on_my_cases, sa.select(PlanStep.id).where(PlanStep.owner_user_id == user_id))


def _mine(user_id: int | None, mine: list[int] | None) -> list[int] | None:
    if user_id is None:
        return None
    return my_case_ids(user_id) if mine is None else mine


def _on_team_cases(case_id_column, mine: list[int] | None):
    """Filter: the case is open or active and, for one user, one of theirs."""
    condition = sa.and_(Case.id == case_id_column, case_is_open())
    if mine is not None:
        condition = sa.and_(condition, case_id_column.in_(mine))
    return condition


@dataclass
class CaseRow:
    number: str
    status: CaseStatus
    opened_on: date
    follow_up_on: date | None
    top_urgency: Urgency | None
    assignees: list[str]


def _top_urgency_rank():
    """Correlated subquery: the highest urgency rank among the case's challenges (index on case_id)."""
    rank = sa.case(*[(Challenge.urgency == u, r) for u, r in URGENCY_RANK.items()], else_=0)
    highest = sa.func.coalesce(sa.func.max(rank), 0)
    return sa.select(highest).where(Challenge.case_id == Case.id).scalar_subquery().label("top")


def open_cases(user_id: int | None, mine=None, limit: int = PANEL_LIMIT) -> tuple[list[CaseRow], int]:
    """Open and active cases (of one user, or of everyone), most urgent first; (rows, total)."""
    top = _top_urgency_rank()
    where = [case_is_open()]
    mine = _mine(user_id, mine)
    if mine is not None:
        where.append(Case.id.in_(mine))
    statement = (
        sa.select(Case.id, Case.number, Case.status, Case.opened_on, Case.follow_up_on, top)
        .where(*where)
        .order_by(top.desc(), Case.follow_up_on.is_(None), Case.follow_up_on, Case.number)
        .limit(limit)
    )
    rows = db.session.execute(statement).all()
    total = len(rows)
    if total == limit:
        total = db.session.scalar(sa.select(sa.func.count()).select_from(Case).where(*where))
    names = assignee_names([row.id for row in rows]) if user_id is None else {}
    return [
        CaseRow(r.number, r.status, r.opened_on, r.follow_up_on, _RANK_URGENCY.get(r.top), names.get(r.id, []))
        for r in rows
    ], total


def assignee_names(case_ids: list[int]) -> dict[int, list[str]]:
    """Team members per case, for the office view (one query for the whole panel)."""
    if not case_ids:
        return {}
    rows = db.session.execute(
        sa.select(case_assignment.c.case_id, User.full_name, User.username)
        .join(User, User.id == case_assignment.c.user_id)
        .where(case_assignment.c.case_id.in_(case_ids))
        .order_by(User.full_name)
    )
    names: dict[int, list[str]] = {}
    for case_id, full_name, username in rows:
        names.setdefault(case_id, []).append(full_name or username)
    return names


def unassigned_cases(limit: int = PANEL_LIMIT) -> list:
    """Open and active cases nobody is assigned to, oldest first."""
    assigned = sa.select(case_assignment.c.case_id).where(case_assignment.c.case_id == Case.id).exists()
    return db.session.execute(
        sa.select(Case.number, Case.status, Case.opened_on, Case.follow_up_on)
        .where(case_is_open(), ~assigned)
        .order_by(Case.opened_on, Case.number)
        .limit(limit)
    ).all()


def due_steps(user_id: int | None, on: date | None = None, mine=None, limit: int = PANEL_LIMIT) -> list:
    """Open plan steps due within the horizon or overdue: owned by the user or on their cases.

    Rows carry number, step_id, title, due_on, owner, owner_name, overdue.
    """
    on = on or today()
    where = [
        PlanStep.status == StepStatus.OPEN,
        PlanStep.due_on.is_not(None),
        PlanStep.due_on <= on + timedelta(days=DUE_HORIZON_DAYS),
        case_is_open(),
    ]
    if user_id is not None:
        where.append(PlanStep.id.in_(my_step_ids(user_id, _mine(user_id, mine))))
    rows = db.session.execute(
        sa.select(
            Case.number,
            PlanStep.id.label("step_id"),
            PlanStep.title,
            PlanStep.due_on,
            PlanStep.owner,
            sa.func.coalesce(User.full_name, User.username).label("owner_name"),
        )
        .select_from(PlanStep)
        .join(PlanGoal, PlanGoal.id == PlanStep.goal_id)
        .join(Case, Case.id == PlanGoal.case_id)
        .outerjoin(User, User.id == PlanStep.owner_user_id)
        .where(*where)
        .order_by(PlanStep.due_on, Case.number, PlanStep.id)
        .limit(limit)
    ).all()
    return [_with(row, overdue=row.due_on < on) for row in rows]


def open_deadlines(user_id: int | None, on: date | None = None, mine=None, limit: int = PANEL_LIMIT) -> list:
    """Legal deadlines not yet met on open cases, soonest first, each with its state
    ("overdue", "warning", "ok") and the working days left."""
    on = on or today()
    rows = db.session.execute(
        sa.select(Case.number, Deadline.id.label("deadline_id"), Deadline.kind, Deadline.title, Deadline.due_on)
        .select_from(Deadline)
        .join(Case, _on_team_cases(Deadline.case_id, _mine(user_id, mine)))
        .where(Deadline.done_on.is_(None))
        .order_by(Deadline.due_on, Case.number)
        .limit(limit)
    ).all()
    return [
        _with(
            row,
            state=deadline_state(row.due_on, on),
            working_days_left=max(calc.working_days_until(on, row.due_on), 0),
        )
        for row in rows
    ]


def due_follow_ups(user_id: int | None, on: date | None = None, mine=None, limit: int = PANEL_LIMIT) -> list:
    """Open cases whose follow-up date is within the horizon or past, earliest first."""
    on = on or today()
    where = [
        case_is_open(),
        Case.follow_up_on.is_not(None),
        Case.follow_up_on <= on + timedelta(days=DUE_HORIZON_DAYS),
    ]
    mine = _mine(user_id, mine)
    if mine is not None:
        where.append(Case.id.in_(mine))
    rows = db.session.execute(
        sa.select(Case.number, Case.follow_up_on).where(*where).order_by(Case.follow_up_on, Case.number).limit(limit)
    ).all()
    return [_with(row, overdue=row.follow_up_on < on) for row in rows]


def recent_activity(user_id: int | None, mine=None, limit: int = ACTIVITY_LIMIT) -> list:
    """The newest timeline entries on the user's (or the office's) open cases."""
    rows = db.session.execute(
        sa.select(
            Case.number,
            TimelineEntry.kind,
            TimelineEntry.occurred_at,
            TimelineEntry.text,
            sa.func.coalesce(User.full_name, User.username).label("author_name"),
        )
        .select_from(TimelineEntry)
        .join(Case, _on_team_cases(TimelineEntry.case_id, _mine(user_id, mine)))
        .outerjoin(User, User.id == TimelineEntry.author_id)
        .order_by(TimelineEntry.occurred_at.desc(), TimelineEntry.id.desc())
        .limit(limit)
    ).all()
    return [_with(row, excerpt=_excerpt(row.text)) for row in rows]


def work_view(user_id: int | None) -> dict:
    """Everything Moje delo (one user) or the office view (None) shows."""
    on = today()
    mine = _mine(user_id, None)
    cases, total = open_cases(user_id, mine)
    view = {
        "today": on,
        "cases": cases,
        "case_total": total,
        "steps": due_steps(user_id, on, mine),
        "deadlines": open_deadlines(user_id, on, mine),
        "follow_ups": due_follow_ups(user_id, on, mine),
        "activity": recent_activity(user_id, mine),
        "horizon": DUE_HORIZON_DAYS,
    }
    if user_id is None:
        view["unassigned"] = unassigned_cases()
    return view


def _excerpt(text: str, length: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _with(row, **extra) -> SimpleNamespace:
    """A query row plus computed fields."""
    return SimpleNamespace(**row._asdict(), **extra)
