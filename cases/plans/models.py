"""The individual plan (individualni načrt): goals agreed with the person, steps under each
goal, review dates, and the history of every change to them."""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cases.models import Case, Challenge, LabelledEnum, enum_column
from catalog.models import ID
from welfare.crypto import EncryptedText
from welfare.database import utcnow
from welfare.extensions import db
from welfare.models import User


class GoalStatus(LabelledEnum):
    OPEN = "open"
    ACHIEVED = "achieved"
    DROPPED = "dropped"

    @classmethod
    def labels(cls):
        return {cls.OPEN: _l("Open"), cls.ACHIEVED: _l("Achieved"), cls.DROPPED: _l("Dropped")}


class StepStatus(LabelledEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"

    @classmethod
    def labels(cls):
        return {cls.OPEN: _l("To do"), cls.DONE: _l("Done"), cls.CANCELLED: _l("Cancelled")}


class StepOwner(LabelledEnum):
    """Who carries a step out."""

    PERSON = "person"
    STAFF = "staff"
    ORGANIZATION = "organization"

    @classmethod
    def labels(cls):
        return {cls.PERSON: _l("The person"), cls.STAFF: _l("A team member"), cls.ORGANIZATION: _l("An organization")}


# Which of the case's challenges a goal answers (a goal may answer several, or none yet).
plan_goal_challenge = sa.Table(
    "plan_goal_challenge",
    db.metadata,
    sa.Column("goal_id", sa.ForeignKey("plan_goal.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("challenge_id", sa.ForeignKey("case_challenge.id", ondelete="CASCADE"), primary_key=True),
)


class PlanGoal(db.Model):
    __tablename__ = "plan_goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    status: Mapped[GoalStatus] = mapped_column(enum_column(GoalStatus), default=GoalStatus.OPEN)
    target_on: Mapped[date | None]  # by when the person and the worker hope to reach it
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    version_id: Mapped[int] = mapped_column(default=1)

    case: Mapped[Case] = relationship()
    challenges: Mapped[list[Challenge]] = relationship(secondary=plan_goal_challenge, order_by=Challenge.id)
    steps: Mapped[list["PlanStep"]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", order_by="(PlanStep.due_on, PlanStep.id)"
    )

    __mapper_args__ = {"version_id_col": version_id}


class PlanStep(db.Model):
    __tablename__ = "plan_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_goal.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    owner: Mapped[StepOwner] = mapped_column(enum_column(StepOwner), default=StepOwner.PERSON)
    owner_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    owner_organization_id: Mapped[str | None] = mapped_column(ID, sa.ForeignKey("organization.id"))
    due_on: Mapped[date | None] = mapped_column(index=True)
    status: Mapped[StepStatus] = mapped_column(enum_column(StepStatus), default=StepStatus.OPEN, index=True)
    done_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    goal: Mapped[PlanGoal] = relationship(back_populates="steps")
    owner_user: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version_id}
    # Moje delo asks for open steps due by a date: done steps (most of them) stay out of the range.
    __table_args__ = (sa.Index("ix_plan_step_status_due_on", "status", "due_on"),)


class PlanReview(db.Model):
    """A date on which the plan is reviewed with the person."""

    __tablename__ = "plan_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    review_on: Mapped[date] = mapped_column(index=True)
    held_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(EncryptedText("plan_review.note"), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))


class PlanChange(db.Model):
    """History of the plan: one row per changed field of a goal, step or review."""

    __tablename__ = "plan_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    entity: Mapped[str] = mapped_column(sa.String(20))  # goal, step, review
    entity_id: Mapped[int]
    action: Mapped[str] = mapped_column(sa.String(20))  # create, update, delete
    field: Mapped[str] = mapped_column(sa.String(40), default="")
    old_value: Mapped[str] = mapped_column(EncryptedText("plan_change.old_value"), default="")
    new_value: Mapped[str] = mapped_column(EncryptedText("plan_change.new_value"), default="")

    user: Mapped[User | None] = relationship()
