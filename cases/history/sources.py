"""The built-in sources of the case history: notes and contacts, the case's status, consents,
referrals, the plan and legal deadlines. Each reads its own table by case id (newest first,
capped) and turns its rows into `HistoryEvent`s in the reader's language."""

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from flask import url_for
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cases.history.registry import HistoryEvent, register_source
from cases.models import Case, Consent, Deadline, EntryKind, TimelineEntry
from cases.plans import history as plan_history
from cases.plans.models import PlanChange, PlanGoal, PlanStep
from cases.referrals.models import Referral, ReferralEvent, ReferralStatus
from catalog.models import Organization, TaxonomyTerm
from welfare.clock import OFFICE_TZ
from welfare.database import utcnow
from welfare.extensions import db
from welfare.models import User

STATUS_ENTRIES = (EntryKind.CASE_CLOSED, EntryKind.CASE_REOPENED)


def _names(ids) -> dict[int, str]:
    """Team members by id: full name, else username."""
    ids = {i for i in ids if i}
    if not ids:
        return {}
    rows = db.session.execute(sa.select(User.id, User.full_name, User.username).where(User.id.in_(ids)))
    return {user_id: full_name or username for user_id, full_name, username in rows}


def _day_end(day) -> datetime:
    """Where an event known only by its day sorts (naive UTC): the end of that office day, or
    now when that is earlier, so it follows the day's timed events it was recorded after."""
    local = datetime.combine(day, time.max).replace(tzinfo=OFFICE_TZ)
    return min(local.astimezone(UTC).replace(tzinfo=None), utcnow())


def _lines(*parts) -> str:
    return "\n".join(str(part) for part in parts if part)


# --- notes, contacts and the case's status --------------------------------------------------


def timeline_events(case: Case, limit: int):
    """Notes and contacts (when they happened), and the case opened, closed and reopened."""
    entries = db.session.scalars(
        sa.select(TimelineEntry)
        .where(TimelineEntry.case_id == case.id)
        .order_by(TimelineEntry.occurred_at.desc(), TimelineEntry.id.desc())
        .limit(limit)
    ).all()
    names = _names([entry.author_id for entry in entries] + [case.created_by_id])
    for entry in entries:
        outcome = ""
        if entry.outcome is not None:
            label = _("Outcome") if entry.kind == EntryKind.CASE_CLOSED else _("Outcome before reopening")
            outcome = f"{label}: {entry.outcome.label}"
        yield HistoryEvent(
            kind="status" if entry.kind in STATUS_ENTRIES else "note",
            at=entry.occurred_at,
            title=entry.kind.label,
            who=names.get(entry.author_id, ""),
            detail=_lines(outcome, entry.text),
        )
    yield HistoryEvent(kind="status", at=case.created_at, title=_("Case opened"), who=names.get(case.created_by_id, ""))


# --- consents ---------------------------------------------------------------------------------


def consent_events(case: Case, limit: int):
    """A consent given (when it was recorded) and withdrawn (the day: the record keeps no time)."""
    consents = db.session.scalars(
        sa.select(Consent).where(Consent.case_id == case.id).order_by(Consent.id.desc()).limit(limit)
    ).all()
    names = _names([c.recorded_by_id for c in consents] + [c.withdrawn_recorded_by_id for c in consents])
    orgs = _by_id(Organization, [c.organization_id for c in consents])
    kinds = _by_id(TaxonomyTerm, [c.provider_type_id for c in consents])
    for consent in consents:
        with_whom = orgs.get(consent.organization_id) or _(
            "any organization of the kind: %(kind)s", kind=kinds.get(consent.provider_type_id, "—")
        )
        shared = _("With: %(whom)s", whom=with_whom)
        yield HistoryEvent(
            kind="consent",
            at=consent.recorded_at,
            title=_("Consent given"),
            who=names.get(consent.recorded_by_id, ""),
            detail=_lines(shared, _("Given on %(date)s", date=format_date(consent.given_on, "medium")), consent.scope),
        )
        if consent.withdrawn_on is not None:
            yield HistoryEvent(
                kind="consent",
                at=_day_end(consent.withdrawn_on),
                title=_("Consent withdrawn"),
                who=names.get(consent.withdrawn_recorded_by_id, ""),
                detail=shared,
                day_only=True,
            )


def _by_id(model, ids) -> dict:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(model.id, model.name).where(model.id.in_(ids))).all())


# --- referrals --------------------------------------------------------------------------------

REFERRAL_TITLES = {
    ReferralStatus.DRAFT: _l("Referral prepared"),
    ReferralStatus.SENT: _l("Referral sent"),
    ReferralStatus.ACCEPTED: _l("Referral accepted"),
    ReferralStatus.DECLINED: _l("Referral declined"),
    ReferralStatus.IN_PROGRESS: _l("Work on the referral started"),
    ReferralStatus.COMPLETED: _l("Referral completed"),
    ReferralStatus.CANCELLED: _l("Referral cancelled"),
}


def _referral_title(event: ReferralEvent) -> str:
    if event.from_status == event.to_status:
        return _("Outcome of the referral requested")
    try:
        return str(REFERRAL_TITLES[ReferralStatus(event.to_status)])
    except (KeyError, ValueError):
        return _("Referral changed")


def organization_answer(organization: str, event: ReferralEvent, names: dict[int, str]) -> str:
    """The organization (through its link), or the organization and its partner user (in the inbox)."""
    if event.actor_id and event.actor_id in names:
        return f"{organization} ({names[event.actor_id]})"
    return organization


def referral_events(case: Case, limit: int):
    """Every change of the case's referrals: sent, answered (with the appointment), closed."""
    rows = db.session.execute(
        sa.select(ReferralEvent, Referral)
        .join(Referral, ReferralEvent.referral_id == Referral.id)
        .where(Referral.case_id == case.id)
        .order_by(ReferralEvent.at.desc(), ReferralEvent.id.desc())
        .limit(limit)
    ).all()
    names = _names(event.actor_id for event, _referral in rows)
    accepted_first = {}  # the appointment goes with the referral's (first) acceptance
    for event, referral in sorted(rows, key=lambda row: row[0].id):
        if event.to_status == ReferralStatus.ACCEPTED.value:
            accepted_first.setdefault(referral.id, event.id)
    for event, referral in rows:
        appointment = ""
        if accepted_first.get(referral.id) == event.id and referral.appointment_at is not None:
            appointment = _lines(
                _("Appointment: %(when)s", when=format_datetime(referral.appointment_at, "short")),
                referral.appointment_note,
            )
        yield HistoryEvent(
            kind="referral",
            at=event.at,
            title=_referral_title(event),
            who=organization_answer(referral.organization.name, event, names)
            if event.by_organization
            else names.get(event.actor_id, ""),
            detail=_lines(f"{referral.service.name} ({referral.organization.name})", event.note, appointment),
            url=url_for("referrals.detail", number=case.number, referral_id=referral.id),
        )


# --- the plan ---------------------------------------------------------------------------------

PLAN_TITLES = {
    ("goal", "create"): _l("Plan goal added"),
    ("goal", "update"): _l("Plan goal changed"),
    ("step", "create"): _l("Plan step added"),
    ("step", "update"): _l("Plan step changed"),
    ("review", "create"): _l("Plan review scheduled"),
    ("review", "update"): _l("Plan review changed"),
}
# The rows of one save are written a moment apart: within this they are one event.
SAME_SAVE = timedelta(seconds=5)


def plan_events(case: Case, limit: int):
    """Goals, steps and reviews added or changed: one event per save, naming the changed fields.
    The plan page keeps its own field-by-field history."""
    changes = db.session.scalars(
        sa.select(PlanChange)
        .where(PlanChange.case_id == case.id)
        .order_by(PlanChange.at.desc(), PlanChange.id.desc())
        .limit(limit)
    ).all()
    names = _names(c.user_id for c in changes)
    titles = _titles(changes)
    groups: list[list[PlanChange]] = []
    for change in changes:
        last = groups[-1][-1] if groups else None
        same = last is not None and (last.entity, last.entity_id, last.action, last.user_id) == (
            change.entity,
            change.entity_id,
            change.action,
            change.user_id,
        )
        if same and last.at - change.at <= SAME_SAVE:
            groups[-1].append(change)
        else:
            groups.append([change])
    for group in groups:
        first = group[0]
        heading = titles.get((first.entity, first.entity_id), "")
        fields = []
        for change in reversed(group):
            if change.field == "title" and change.new_value == heading and not change.old_value:
                continue  # the heading names it already
            label = plan_history.FIELD_LABELS.get(change.field, change.field)
            old = plan_history.display_value(change.entity, change.field, change.old_value)
            new = plan_history.display_value(change.entity, change.field, change.new_value)
            fields.append(f"{label}: {old} → {new}" if old else f"{label}: {new}")
        yield HistoryEvent(
            kind="plan",
            at=first.at,
            title=str(PLAN_TITLES.get((first.entity, first.action), _("Plan changed"))),
            who=names.get(first.user_id, ""),
            detail=_lines(heading, *fields),
            url=url_for("plans.plan", number=case.number),
        )


def _titles(changes) -> dict[tuple[str, int], str]:
    """The current title of each goal and step the changes are about (a review has none)."""
    goal_ids = {c.entity_id for c in changes if c.entity == "goal"}
    step_ids = {c.entity_id for c in changes if c.entity == "step"}
    titles = {}
    if goal_ids:
        rows = db.session.execute(sa.select(PlanGoal.id, PlanGoal.title).where(PlanGoal.id.in_(goal_ids)))
        titles.update({("goal", i): title for i, title in rows})
    if step_ids:
        rows = db.session.execute(sa.select(PlanStep.id, PlanStep.title).where(PlanStep.id.in_(step_ids)))
        titles.update({("step", i): title for i, title in rows})
    return titles


# --- legal deadlines --------------------------------------------------------------------------


def deadline_events(case: Case, limit: int):
    """A legal deadline added (with its last day) and met (the day it was marked done)."""
    deadlines = db.session.scalars(
        sa.select(Deadline).where(Deadline.case_id == case.id).order_by(Deadline.id.desc()).limit(limit)
    ).all()
    names = _names([d.created_by_id for d in deadlines] + [d.done_by_id for d in deadlines])
    for deadline in deadlines:
        what = f"{deadline.kind.label}: {deadline.title}" if deadline.title else deadline.kind.label
        yield HistoryEvent(
            kind="deadline",
            at=deadline.created_at,
            title=_("Legal deadline added"),
            who=names.get(deadline.created_by_id, ""),
            detail=_lines(what, _("Last day: %(date)s", date=format_date(deadline.due_on, "full"))),
        )
        if deadline.done_on is not None:
            yield HistoryEvent(
                kind="deadline",
                at=deadline.done_at or _day_end(deadline.done_on),
                title=_("Legal deadline met"),
                who=names.get(deadline.done_by_id, ""),
                detail=what,
                day_only=deadline.done_at is None,
            )


register_source(timeline_events, {"note": _l("Notes and contacts"), "status": _l("Case status")})
register_source(consent_events, {"consent": _l("Consents")})
register_source(referral_events, {"referral": _l("Referrals")})
register_source(plan_events, {"plan": _l("Plan")})
register_source(deadline_events, {"deadline": _l("Legal deadlines")})
