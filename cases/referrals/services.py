"""Referral rules: consent gating, creating, sending, every status change, the organization's
answers through its link, and cancelling when a consent is withdrawn.

Each saving function is one user action: it changes the records, adds a `ReferralEvent` and an
access-log row, queues any e-mail (`welfare.mail.queue`, delivered after the commit), and
commits. Rules say no with a DomainError; the views show it and keep the form.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from cases import events
from cases.access_log import AccessAction, record_access
from cases.models import Case, Challenge
from cases.needs.models import NeedKind, UnmetNeed
from cases.plans.deadlines import next_working_day
from cases.referrals import appointments, links, mails
from cases.referrals.consent import covering_consent, missing_consent_message
from cases.referrals.models import (
    CATALOG_REASONS,
    OPEN_STATUSES,
    TRANSITIONS,
    DeclineReason,
    LinkPurpose,
    NameShown,
    Referral,
    ReferralEvent,
    ReferralLink,
    ReferralOutcome,
    ReferralStatus,
)
from catalog import capacity
from catalog.models import Service
from catalog.services import is_public_service
from catalog.staff.services import submit_change_report
from welfare import mail
from welfare.clock import today
from welfare.database import utcnow
from welfare.errors import Conflict, ValidationFailed
from welfare.extensions import db
from welfare.versioning import check_version, commit_or_conflict, conflict_if_stale

# A follow-up this many days after sending (moved to the next working day) unless staff choose.
DEFAULT_FOLLOW_UP_DAYS = 14

# --- defaults ---------------------------------------------------------------------------------


def default_follow_up(on: date | None = None) -> date:
    """Two weeks on, moved to a working day (the plans' working-day calendar)."""
    return next_working_day((on or today()) + timedelta(days=DEFAULT_FOLLOW_UP_DAYS))


def default_email(service: Service) -> str | None:
    """Where the organization is reached: the service's e-mail, else the organization's."""
    return service.email or service.organization.email or None


def find_existing(case: Case, service_id: str) -> Referral | None:
    return db.session.scalar(
        sa.select(Referral).where(Referral.case_id == case.id, Referral.to_service_id == service_id)
    )


# --- creating and sending ---------------------------------------------------------------------


@dataclass
class ReferralData:
    challenge_ids: list[int] = field(default_factory=list)
    note: str = ""
    follow_up_on: date | None = None
    to_email: str | None = None
    name_shown: str = NameShown.INITIALS.value


# Evaluated when raised (lazy): the decorators below are applied at import time.
_CHANGED = _l("Someone else changed this referral in the meantime. Reload the page.")


def log_referral(referral: Referral, action: AccessAction, user) -> None:
    record_access(action, case_id=referral.case_id, person_id=referral.case.person_id, what="referral", user=user)


def _event(referral: Referral, before, after: ReferralStatus, *, user=None, note: str = "", by_org=None) -> None:
    """`by_org`: the organization answered (through its link: no user; in its inbox: the
    partner user, named next to the organization). Unset: the organization when no user."""
    referral.events.append(
        ReferralEvent(
            from_status=before.value if before else None,
            to_status=after.value,
            actor_id=user.id if user else None,
            by_organization=user is None if by_org is None else by_org,
            note=note[:2000],
        )
    )


def create_referral(case: Case, service: Service, data: ReferralData, user) -> Referral:
    """Refer the case to a public service (a draft until sent).

    :raise ValidationFailed: closed case, service not public, already referred, no consent,
        no or foreign challenge, follow-up in the past.
    """
    if case.is_closed:
        raise ValidationFailed(_("This case is closed. Reopen it to refer the person."))
    if not is_public_service(service.id):
        raise ValidationFailed(_("Only published services of the catalog can be referred to."))
    if find_existing(case, service.id) is not None:
        raise ValidationFailed(_("This case already has a referral to this service."))
    consent = covering_consent(case, service.organization)
    if consent is None:
        raise ValidationFailed(missing_consent_message(service.organization))
    challenges = [c for c in case.challenges if c.id in set(data.challenge_ids)]
    if not challenges or len(challenges) != len(set(data.challenge_ids)):
        raise ValidationFailed(_("Choose the challenges this referral addresses."), field="challenge_ids")
    if data.follow_up_on is not None and data.follow_up_on < today():
        raise ValidationFailed(_("The follow-up date cannot be in the past."), field="follow_up_on")
    referral = Referral(
        case=case,
        service=service,
        organization=service.organization,
        consent_id=consent.id,
        status=ReferralStatus.DRAFT,
        note=data.note.strip(),
        name_shown=NameShown(data.name_shown),
        to_email=(data.to_email or "").strip() or None,
        follow_up_on=data.follow_up_on or default_follow_up(),
        created_by_id=user.id,
        challenges=challenges,
    )
    db.session.add(referral)
    _event(referral, None, ReferralStatus.DRAFT, user=user)
    log_referral(referral, AccessAction.CREATE, user)
    try:
        db.session.commit()
    except IntegrityError:  # the same referral saved by a double submit a moment ago
        db.session.rollback()
        raise ValidationFailed(_("This case already has a referral to this service.")) from None
    return referral


def _refuse(referral: Referral, to: ReferralStatus) -> None:
    if to not in TRANSITIONS[referral.status]:
        raise Conflict(
            _(
                "This referral is %(now)s and cannot become %(to)s. Reload the page to see its current state.",
                now=referral.status.label,
                to=to.label,
            )
        )


def _mail_link(referral: Referral, purpose: LinkPurpose) -> str:
    """Issue a link and, when there is an address, queue the e-mail carrying it. Returns the URL."""
    url = links.url_of(links.issue(referral, purpose))
    if referral.to_email:
        with force_locale(current_app.config.get("BABEL_MAIL_LOCALE", "sl")):
            subject, body = mails.compose(referral, purpose, url)
        mail.queue(referral.to_email, subject, body, about=f"referral:{referral.id}")
    return url


@conflict_if_stale(_CHANGED)
def send_referral(referral: Referral, to_email: str | None, user, version) -> str:
    """Send a draft: issue the answer link, queue the e-mail (when there is an address).

    Returns the link's URL, for staff to print or hand over when there is no e-mail.
    :raise Conflict: stale form, or not a draft. :raise ValidationFailed: the consent is gone.
    """
    check_version(referral, version)
    _refuse(referral, ReferralStatus.SENT)
    if covering_consent(referral.case, referral.organization) is None:
        raise ValidationFailed(missing_consent_message(referral.organization))
    referral.to_email = (to_email or "").strip() or None
    referral.status = ReferralStatus.SENT
    referral.sent_at = utcnow()
    _event(referral, ReferralStatus.DRAFT, ReferralStatus.SENT, user=user)
    events.referral_changed(referral)  # flushes: the referral's id names the mail
    url = _mail_link(referral, LinkPurpose.ANSWER)
    log_referral(referral, AccessAction.SEND, user)
    commit_or_conflict()
    return url


@conflict_if_stale(_CHANGED)
def request_outcome(referral: Referral, user, version) -> str:
    """A fresh outcome link for an accepted referral (earlier unused links stop working).

    :raise Conflict: stale form, or the referral is not accepted or in progress.
    """
    check_version(referral, version)
    if referral.status not in (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS):
        raise Conflict(_("An outcome can be asked for only once the organization has accepted the referral."))
    links.spend_open_links(referral)
    url = _mail_link(referral, LinkPurpose.OUTCOME)
    _event(referral, referral.status, referral.status, user=user, note=_("Outcome requested from the organization."))
    referral.updated_at = utcnow()  # bumps the version: a second click from the same page is stale
    log_referral(referral, AccessAction.SEND, user)
    commit_or_conflict()
    return url


# --- status changes ---------------------------------------------------------------------------


def apply_status(
    referral: Referral, to: ReferralStatus, *, user, reason=None, outcome=None, note: str = "", partner=None
) -> None:
    """Move the referral (checked), record the event and the side effects, without committing.
    `partner`: the organization's own user answering in its inbox (then `user` is None, as
    for an answer through the link, and the event names the partner)."""
    _refuse(referral, to)
    if to == ReferralStatus.DECLINED and reason not in DeclineReason._value2member_map_:
        raise ValidationFailed(_("Choose the reason for the decline."), field="decline_reason")
    if to == ReferralStatus.DECLINED and reason == DeclineReason.OTHER.value and not note.strip():
        raise ValidationFailed(_("Say what the other reason is."), field="note")
    if to == ReferralStatus.COMPLETED and outcome not in ReferralOutcome._value2member_map_:
        raise ValidationFailed(_("Choose the outcome."), field="outcome")
    if to == ReferralStatus.CANCELLED and not note.strip():
        raise ValidationFailed(_("Say why the referral is cancelled."), field="note")
    before = referral.status
    referral.status = to
    if to == ReferralStatus.DECLINED:
        referral.decline_reason = DeclineReason(reason)
    if to == ReferralStatus.COMPLETED:
        referral.outcome = ReferralOutcome(outcome)
    if to in (ReferralStatus.DECLINED, ReferralStatus.CANCELLED):
        referral.closing_note = note.strip()
    if to not in OPEN_STATUSES or before == ReferralStatus.SENT:
        # A referral answered (by link or by phone) or closed: the links out there stop working.
        links.spend_open_links(referral)
    if to not in OPEN_STATUSES:
        referral.follow_up_on = None
    label = referral.decline_reason.label if to == ReferralStatus.DECLINED else ""
    if to == ReferralStatus.COMPLETED:
        label = referral.outcome.label
    words = " – ".join(p for p in (str(label), note.strip()) if p)
    _event(referral, before, to, user=user or partner, note=words, by_org=user is None)
    if to == ReferralStatus.DECLINED and referral.decline_reason == DeclineReason.NO_CAPACITY:
        _capacity_need(referral, user)
        # Whoever says so (the organization, or staff after a phone call), the service is full today.
        capacity.mark_full(referral.to_service_id, today())
    events.referral_changed(referral)


def _capacity_need(referral: Referral, user) -> None:
    """A capacity decline is an unmet need of kind WAITING_LIST in the referral's first domain."""
    challenge: Challenge | None = referral.challenges[0] if referral.challenges else None
    challenge = challenge or (referral.case.challenges[0] if referral.case.challenges else None)
    if challenge is None:
        return
    db.session.add(
        UnmetNeed(
            case_id=referral.case_id,
            domain_id=challenge.domain_id,
            kind=NeedKind.WAITING_LIST,
            note=_("No capacity at %(service)s.", service=referral.service.name)[:500],
            referral_id=referral.id,
            recorded_by_id=user.id if user else None,
        )
    )


def finish_answer(referral: Referral, contact: str | None) -> None:
    """Commit; a decline saying the catalog is wrong also files a change report (its commit is ours).

    The report carries the reason only: the organization's note may name the person, so it stays
    on the referral (encrypted, erased with the person, in their Art. 15 export)."""
    with conflict_if_stale(_CHANGED):
        if referral.status == ReferralStatus.DECLINED and referral.decline_reason in CATALOG_REASONS:
            message = _("A referral was declined: %(reason)s.", reason=referral.decline_reason.label)
            submit_change_report(referral.service, message, contact)
        else:
            db.session.commit()


@conflict_if_stale(_CHANGED)
def change_status(referral: Referral, to: str, user, version, *, reason=None, outcome=None, note: str = "") -> None:
    """A team member records a change (e.g. what the organization said on the phone).

    :raise Conflict: stale form or a transition the lifecycle does not allow.
    :raise ValidationFailed: a decline without reason, a completion without outcome, ...
    """
    check_version(referral, version)
    try:
        target = ReferralStatus(to)
    except ValueError:
        raise ValidationFailed(_("Choose the new state."), field="status") from None
    if target == ReferralStatus.SENT:
        raise ValidationFailed(_("Use the send button to send a referral."), field="status")
    apply_status(referral, target, user=user, reason=reason, outcome=outcome, note=note)
    log_referral(referral, AccessAction.EDIT, user)
    finish_answer(referral, user.username)


# What the organization may do through each kind of link.
LINK_ACTIONS = {
    LinkPurpose.ANSWER: (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED),
    LinkPurpose.OUTCOME: (ReferralStatus.IN_PROGRESS, ReferralStatus.COMPLETED),
}


@conflict_if_stale(_CHANGED)
def answer_via_link(
    link: ReferralLink,
    to: str,
    *,
    reason=None,
    outcome=None,
    note: str = "",
    appointment: appointments.Appointment | None = None,
) -> str | None:
    """The organization answers through its link; the link is spent. Accepting (or reporting
    that work started) sends a fresh outcome link; an acceptance may propose an appointment.

    :raise links.LinkRefused: the referral is no longer waiting for this answer (410).
    :raise ValidationFailed: a decline without reason, an outcome missing, a bad appointment.
    """
    referral = link.referral
    target = organization_target(to, link.purpose)
    if target not in TRANSITIONS[referral.status]:
        raise links.LinkRefused(410, "answered")
    organization_answer(referral, target, None, reason=reason, outcome=outcome, note=note, appointment=appointment)
    link.used_at = utcnow()
    url = None
    if target in (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS):
        url = _mail_link(referral, LinkPurpose.OUTCOME)
    finish_answer(referral, referral.to_email)
    return url


def organization_target(to: str, purpose: LinkPurpose) -> ReferralStatus:
    """:raise ValidationFailed: not an answer this kind of question allows."""
    try:
        target = ReferralStatus(to)
    except ValueError:
        raise ValidationFailed(_("Choose your answer."), field="action") from None
    if target not in LINK_ACTIONS[purpose]:
        raise ValidationFailed(_("Choose your answer."), field="action")
    return target


def organization_answer(referral: Referral, target: ReferralStatus, partner, *, reason, outcome, note, appointment):
    """The organization's answer, the same through its link and in its inbox (no commit)."""
    if target == ReferralStatus.ACCEPTED and appointment is not None and appointment.given:
        appointments.propose(referral, appointment)
    apply_status(referral, target, user=None, reason=reason, outcome=outcome, note=note, partner=partner)
