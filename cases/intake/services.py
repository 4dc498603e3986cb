"""Intake rules: opening, editing, closing and reopening cases; challenges, the timeline,
consents and anonymous contacts.

Each function that saves is one user action: it adds its access-log row and commits, or raises
a DomainError (the view rolls back and shows it, keeping the form as typed).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from flask_babel import format_date
from flask_babel import gettext as _

from cases import events
from cases.access_log import AccessAction, record_access
from cases.fields import office_team
from cases.intake.person_services import apply_contacts
from cases.intake.persons import PersonData, new_person
from cases.models import (
    AnonymousContact,
    Case,
    CaseOutcome,
    CaseStatus,
    Challenge,
    Channel,
    Consent,
    ContactAction,
    EntryKind,
    LegalBasis,
    Person,
    TimelineEntry,
    Urgency,
)
from cases.plans.services import cancel_open_steps, open_steps_of
from cases.referrals.cancelling import cancel_for_withdrawn_consent, cancel_open_referrals, open_referrals_of
from cases.services import next_case_number
from catalog.models import TAXONOMY_DOMAINS, TAXONOMY_PROVIDER_TYPES, Organization, TaxonomyTerm
from welfare.clock import to_utc, today
from welfare.database import utcnow
from welfare.errors import ValidationFailed
from welfare.extensions import db
from welfare.models import User
from welfare.versioning import check_version, commit_or_conflict


@dataclass
class ChallengeData:
    domain_id: str
    description: str
    urgency: Urgency


def _check_domain(domain_id: str) -> None:
    term = db.session.get(TaxonomyTerm, domain_id) if domain_id else None
    if term is None or term.taxonomy_id != TAXONOMY_DOMAINS:
        raise ValidationFailed(_("Choose a life domain from the list."), field="domain_id")


def _assignees(user_ids: list[int]) -> list[User]:
    users = [u for u in office_team() if u.id in set(user_ids)]
    if len(users) != len(set(user_ids)):
        raise ValidationFailed(_("Assign the case to members of the office team only."), field="assignees")
    return users


def open_case(
    person: Person | None,
    person_data: PersonData | None,
    legal_basis: LegalBasis | None,
    assignee_ids: list[int],
    challenges: list[ChallengeData],
    actor: User,
    contacts: tuple[str | None, str | None] | None = None,
) -> Case:
    """Open a case for an existing person, or for a new one built from `person_data`; commits.
    `contacts` (phone, e-mail typed at intake) are saved to the existing person in the same
    commit, their old values kept in the person's history.

    :raise ValidationFailed: no legal basis, no challenge, an unknown domain or assignee.
    """
    if legal_basis is None:
        raise ValidationFailed(_("Choose the legal basis for processing the person's data."), field="legal_basis")
    if not challenges:
        raise ValidationFailed(_("Record at least one challenge the person brings."))
    for challenge in challenges:
        _check_domain(challenge.domain_id)
    if person is None:
        person = new_person(person_data, actor)
    elif contacts:
        apply_contacts(person, *contacts, actor)
    opened = today()
    case = Case(
        number=next_case_number(opened.year),
        person=person,
        status=CaseStatus.OPEN,
        legal_basis=legal_basis,
        opened_on=opened,
        created_by_id=actor.id,
        assignees=_assignees(assignee_ids or [actor.id]),
    )
    for challenge in challenges:
        case.challenges.append(
            Challenge(
                domain_id=challenge.domain_id,
                description=challenge.description.strip(),
                urgency=challenge.urgency,
                created_by_id=actor.id,
            )
        )
    db.session.add(case)
    events.case_changed(case)  # flushes
    record_access(AccessAction.CREATE, case_id=case.id, person_id=person.id, what="case")
    db.session.commit()
    return case


def view_case(case: Case) -> None:
    """Log that the current user opened the case page (the caller took the write lock)."""
    record_access(AccessAction.VIEW, case_id=case.id, person_id=case.person_id, what="case")
    db.session.commit()


def _log_edit(case: Case, what: str) -> None:
    record_access(AccessAction.EDIT, case_id=case.id, person_id=case.person_id, what=what)


def update_case(
    case: Case,
    version: str | None,
    *,
    legal_basis: LegalBasis | None,
    status: CaseStatus,
    assignee_ids: list[int],
    follow_up_on: date | None,
) -> None:
    """Save the case's edit form; a closed case is only reopened, never edited here.

    :raise Conflict: the case changed since the form was loaded.
    :raise ValidationFailed: a rule below.
    """
    check_version(case, version)
    if case.is_closed:
        raise ValidationFailed(_("A closed case cannot be edited. Reopen it first."))
    if legal_basis is None:
        raise ValidationFailed(_("Choose the legal basis for processing the person's data."), field="legal_basis")
    if status == CaseStatus.CLOSED:
        raise ValidationFailed(_("Close a case with its outcome on the closing form."), field="status")
    if status == CaseStatus.OPEN and case.status == CaseStatus.ACTIVE:
        raise ValidationFailed(_("An active case does not go back to open."), field="status")
    if follow_up_on is not None and follow_up_on < case.opened_on:
        raise ValidationFailed(_("The follow-up date cannot be before the case was opened."), field="follow_up_on")
    case.legal_basis = legal_basis
    case.status = status
    case.assignees = _assignees(assignee_ids)
    case.follow_up_on = follow_up_on
    _log_edit(case, "case")
    commit_or_conflict()


class OpenWork(str, Enum):
    """What closing does with the plan steps and referrals still open."""

    CANCEL = "cancel"
    KEEP = "keep"


@dataclass
class OpenWorkItems:
    steps: list
    referrals: list

    def __bool__(self) -> bool:
        return bool(self.steps or self.referrals)


def open_work_of(case: Case) -> OpenWorkItems:
    """The plan steps to do and the referrals still open: what the closing form asks about."""
    return OpenWorkItems(steps=open_steps_of(case), referrals=open_referrals_of(case))


def close_case(
    case: Case,
    version: str | None,
    outcome: CaseOutcome | None,
    note: str,
    closed_on: date,
    *,
    actor: User,
    open_work: str | None = None,
    cancel_reason: str = "",
) -> None:
    """Close the case with its outcome; open plan steps and referrals are cancelled with a reason
    or kept, as chosen. The closing goes on the timeline with the outcome.

    :raise ValidationFailed: no outcome, already closed, a date in the future or before opening,
        open work without a choice, cancelling without a reason.
    """
    check_version(case, version)
    if case.is_closed:
        raise ValidationFailed(_("This case is already closed."))
    if outcome is None:
        raise ValidationFailed(_("Choose the outcome to close the case."), field="outcome")
    if closed_on > today():
        raise ValidationFailed(_("The date cannot be in the future."), field="closed_on")
    if closed_on < case.opened_on:
        raise ValidationFailed(_("A case cannot close before it was opened."), field="closed_on")
    work = open_work_of(case)
    reason = cancel_reason.strip()
    if work:
        if open_work not in OpenWork._value2member_map_:
            raise ValidationFailed(_("Choose what happens to the open plan steps and referrals."), field="open_work")
        if open_work == OpenWork.CANCEL and not reason:
            raise ValidationFailed(_("Say why the open steps and referrals are cancelled."), field="cancel_reason")
    lines = [note.strip()]
    if work and open_work == OpenWork.CANCEL:
        steps = cancel_open_steps(case, actor)
        referrals = cancel_open_referrals(case, reason, actor)
        lines.append(
            _(
                "Cancelled with the case (open plan steps: %(steps)d, open referrals: %(referrals)d). Reason: %(reason)s",
                steps=steps,
                referrals=referrals,
                reason=reason,
            )
        )
    elif work:
        lines.append(
            _(
                "Kept open (plan steps: %(steps)d, referrals: %(referrals)d).",
                steps=len(work.steps),
                referrals=len(work.referrals),
            )
        )
    case.status = CaseStatus.CLOSED
    case.outcome = outcome
    case.outcome_note = note.strip()
    case.closed_on = closed_on
    case.follow_up_on = None
    _history_entry(case, EntryKind.CASE_CLOSED, outcome, lines, actor)
    _log_edit(case, "case")
    events.case_changed(case)
    commit_or_conflict()


def reopen_case(case: Case, version: str | None, actor: User) -> None:
    """Back to work: the case becomes active again and its outcome is cleared; the timeline keeps
    the outcome it had.

    :raise ValidationFailed: the case is not closed.
    """
    check_version(case, version)
    if not case.is_closed:
        raise ValidationFailed(_("Only a closed case can be reopened."))
    lines = [_("Closed on %(date)s.", date=format_date(case.closed_on, "medium")) if case.closed_on else ""]
    _history_entry(case, EntryKind.CASE_REOPENED, case.outcome, [*lines, case.outcome_note], actor)
    case.status = CaseStatus.ACTIVE
    case.outcome = None
    case.outcome_note = ""
    case.closed_on = None
    _log_edit(case, "case")
    events.case_changed(case)
    commit_or_conflict()


def _history_entry(case: Case, kind: EntryKind, outcome: CaseOutcome | None, lines: list[str], actor: User) -> None:
    text = "\n".join(line for line in lines if line)
    db.session.add(TimelineEntry(case=case, kind=kind, outcome=outcome, text=text, author_id=actor.id))


def add_challenge(case: Case, data: ChallengeData, actor: User) -> Challenge:
    _check_domain(data.domain_id)
    challenge = Challenge(
        case=case,
        domain_id=data.domain_id,
        description=data.description.strip(),
        urgency=data.urgency,
        created_by_id=actor.id,
    )
    db.session.add(challenge)
    _log_edit(case, "challenge")
    events.case_changed(case)
    db.session.commit()
    return challenge


def update_challenge(challenge: Challenge, version: str | None, data: ChallengeData) -> None:
    """:raise Conflict: the challenge changed since the form was loaded."""
    check_version(challenge, version)
    _check_domain(data.domain_id)
    challenge.domain_id = data.domain_id
    challenge.description = data.description.strip()
    challenge.urgency = data.urgency
    _log_edit(challenge.case, "challenge")
    commit_or_conflict()


def add_timeline_entry(case: Case, kind: EntryKind, occurred_at: datetime, text: str, actor: User) -> TimelineEntry:
    """`occurred_at` is office wall-clock time.

    :raise ValidationFailed: empty text, or a time in the future.
    """
    if not text.strip():
        raise ValidationFailed(_("Write what happened."), field="text")
    stored = to_utc(occurred_at)
    # A few minutes of slack: the clock on the desk and the server's can differ.
    if stored > utcnow() + timedelta(minutes=5):
        raise ValidationFailed(_("The time cannot be in the future."), field="occurred_at")
    entry = TimelineEntry(case=case, kind=kind, occurred_at=stored, text=text.strip(), author_id=actor.id)
    db.session.add(entry)
    _log_edit(case, "timeline")
    db.session.commit()
    return entry


def record_consent(
    case: Case,
    *,
    scope: str,
    organization_id: str | None,
    provider_type_id: str | None,
    text_version: str,
    given_on: date,
    actor: User,
) -> Consent:
    """:raise ValidationFailed: neither or both of organization and kind, an unknown one, a future date."""
    if bool(organization_id) == bool(provider_type_id):
        raise ValidationFailed(_("Choose either one organization or a kind of organization."), field="organization_id")
    if organization_id and db.session.get(Organization, organization_id) is None:
        raise ValidationFailed(_("Choose an organization from the list."), field="organization_id")
    if provider_type_id:
        term = db.session.get(TaxonomyTerm, provider_type_id)
        if term is None or term.taxonomy_id != TAXONOMY_PROVIDER_TYPES:
            raise ValidationFailed(_("Choose a kind of organization from the list."), field="provider_type_id")
    if given_on > today():
        raise ValidationFailed(_("The date cannot be in the future."), field="given_on")
    consent = Consent(
        case=case,
        scope=scope.strip(),
        organization_id=organization_id or None,
        provider_type_id=provider_type_id or None,
        text_version=text_version,
        given_on=given_on,
        recorded_by_id=actor.id,
    )
    db.session.add(consent)
    _log_edit(case, "consent")
    db.session.commit()
    return consent


def withdraw_consent(consent: Consent, version: str | None, withdrawn_on: date, actor: User) -> None:
    """:raise ValidationFailed: already withdrawn, a future date or one before the consent was given."""
    check_version(consent, version)
    if not consent.is_active:
        raise ValidationFailed(_("This consent is already withdrawn."))
    if withdrawn_on > today():
        raise ValidationFailed(_("The date cannot be in the future."), field="withdrawn_on")
    if withdrawn_on < consent.given_on:
        raise ValidationFailed(_("A consent cannot be withdrawn before it was given."), field="withdrawn_on")
    consent.withdrawn_on = withdrawn_on
    consent.withdrawn_recorded_by_id = actor.id
    _log_edit(consent.case, "consent")
    # Open referrals that rest on this consent are cancelled in the same commit (with the reason).
    cancel_for_withdrawn_consent(consent, actor)
    commit_or_conflict()


def record_anonymous_contact(
    domain_ids: list[str], channel: Channel, action: ContactAction, occurred_on: date, actor: User
) -> AnonymousContact:
    """:raise ValidationFailed: no domain or an unknown one, a future date."""
    if not domain_ids:
        raise ValidationFailed(_("Choose at least one life domain."), field="domains")
    terms = [db.session.get(TaxonomyTerm, i) for i in set(domain_ids)]
    if any(t is None or t.taxonomy_id != TAXONOMY_DOMAINS for t in terms):
        raise ValidationFailed(_("Choose a life domain from the list."), field="domains")
    if occurred_on > today():
        raise ValidationFailed(_("The date cannot be in the future."), field="occurred_on")
    contact = AnonymousContact(
        occurred_on=occurred_on, channel=channel, action=action, recorded_by_id=actor.id, domains=terms
    )
    db.session.add(contact)
    db.session.commit()
    return contact
