"""The history of a plan: one PlanChange row per changed field of a goal, step or review.

Values are stored as plain text at the time of the change (enum values, ISO dates, names), so
the history stays readable after a team member or organization is renamed; they are turned
into labels in the reader's language when shown.
"""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from cases.plans.models import GoalStatus, PlanChange, PlanGoal, PlanReview, PlanStep, StepOwner, StepStatus
from catalog.models import TaxonomyTerm
from welfare.extensions import db

ENTITY_LABELS = {"goal": _l("Goal"), "step": _l("Step"), "review": _l("Review")}
ACTION_LABELS = {"create": _l("Added"), "update": _l("Changed"), "delete": _l("Removed")}
FIELD_LABELS = {
    "title": _l("Title"),
    "status": _l("Status"),
    "owner": _l("Who does it"),
    "owner_name": _l("Name of who does it"),
    "due_on": _l("Due date"),
    "target_on": _l("Target date"),
    "challenges": _l("Challenges it answers"),
    "review_on": _l("Review date"),
    "held_on": _l("Held on"),
    "note": _l("Note"),
}
# Which enum turns a stored value back into a label, per entity and field.
_ENUMS = {("goal", "status"): GoalStatus, ("step", "status"): StepStatus, ("step", "owner"): StepOwner}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(getattr(value, "value", value))


def snapshot(record) -> dict[str, str]:
    """The fields of a goal, step or review the history follows, as text."""
    if isinstance(record, PlanGoal):
        values = {
            "title": record.title,
            "status": record.status,
            "target_on": record.target_on,
            "challenges": ", ".join(challenge_names(record.challenges)),
        }
    elif isinstance(record, PlanStep):
        values = {
            "title": record.title,
            "owner": record.owner,
            "owner_name": owner_name(record),
            "due_on": record.due_on,
            "status": record.status,
        }
    elif isinstance(record, PlanReview):
        values = {"review_on": record.review_on, "held_on": record.held_on, "note": record.note}
    else:
        raise TypeError(f"no plan history for {type(record).__name__}")
    return {field: _text(value) for field, value in values.items()}


def challenge_names(challenges) -> list[str]:
    """The life domain of each challenge (never its description, which stays internal)."""
    ids = {c.domain_id for c in challenges}
    names = dict(
        db.session.execute(sa.select(TaxonomyTerm.id, TaxonomyTerm.name).where(TaxonomyTerm.id.in_(ids))).all()
    )
    return [names.get(c.domain_id, "") for c in challenges]


def owner_name(step: PlanStep) -> str:
    """The team member's or organization's name; empty when the person does the step."""
    if step.owner == StepOwner.STAFF and step.owner_user_id:
        from welfare.models import User

        user = step.owner_user or db.session.get(User, step.owner_user_id)
        return (user.full_name or user.username) if user else ""
    if step.owner == StepOwner.ORGANIZATION and step.owner_organization_id:
        from catalog.models import Organization

        org = db.session.get(Organization, step.owner_organization_id)
        return org.name if org else ""
    return ""


def _entity(record) -> str:
    return {PlanGoal: "goal", PlanStep: "step", PlanReview: "review"}[type(record)]


def record_created(case_id: int, record, user) -> None:
    """History rows for a new goal, step or review (flushed, so it has its id)."""
    db.session.flush()
    for field, value in snapshot(record).items():
        if value:
            _add(case_id, record, "create", field, "", value, user)


def record_updated(case_id: int, record, before: dict[str, str], user) -> bool:
    """History rows for each field that differs from `before`; False when nothing changed."""
    changed = False
    for field, value in snapshot(record).items():
        if before.get(field, "") != value:
            _add(case_id, record, "update", field, before.get(field, ""), value, user)
            changed = True
    return changed


def _add(case_id: int, record, action: str, field: str, old: str, new: str, user) -> None:
    db.session.add(
        PlanChange(
            case_id=case_id,
            user_id=user.id if user else None,
            entity=_entity(record),
            entity_id=record.id,
            action=action,
            field=field,
            old_value=old,
            new_value=new,
        )
    )


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    who: str
    entity: str
    entity_id: int
    action: str
    field: str
    old: str
    new: str


def display_value(entity: str, field: str, value: str) -> str:
    """A stored value as the reader sees it: an enum by its label, a date in their format."""
    if not value:
        return ""
    enum_cls = _ENUMS.get((entity, field))
    if enum_cls is not None:
        try:
            return enum_cls(value).label
        except ValueError:
            return value
    if field in ("due_on", "review_on", "held_on", "target_on"):
        try:
            return format_date(date.fromisoformat(value), "short")
        except ValueError:
            return value
    return value


def history_of(case_id: int, limit: int = 200) -> list[HistoryRow]:
    """The plan's changes, newest first, ready to show."""
    changes = db.session.scalars(
        sa.select(PlanChange)
        .where(PlanChange.case_id == case_id)
        .order_by(PlanChange.at.desc(), PlanChange.id.desc())
        .limit(limit)
    )
    return [
        HistoryRow(
            at=c.at,
            who=(c.user.full_name or c.user.username) if c.user else "",
            entity=str(ENTITY_LABELS.get(c.entity, c.entity)),
            entity_id=c.entity_id,
            action=str(ACTION_LABELS.get(c.action, c.action)),
            field=str(FIELD_LABELS.get(c.field, c.field)),
            old=display_value(c.entity, c.field, c.old_value),
            new=display_value(c.entity, c.field, c.new_value),
        )
        for c in changes
    ]
