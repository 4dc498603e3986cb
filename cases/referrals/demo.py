"""Demo referrals and unmet needs on the demo cases: every state, some answered by the
organization through its link, some overdue for follow-up, unmet needs in several domains.

Loaded once, after the demo cases (an existing referral means it ran before). Random choices
are seeded, so every demo looks the same; dates are relative to today.
"""

import hashlib
import random
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from cases import events
from cases.models import Case, CaseStatus
from cases.needs.models import NeedKind, UnmetNeed
from cases.referrals.models import (
    DeclineReason,
    LinkPurpose,
    NameShown,
    Referral,
    ReferralEvent,
    ReferralLink,
    ReferralOutcome,
    ReferralStatus,
)
from catalog.models import Service
from catalog.services import public_service_filter
from welfare.clock import today
from welfare.extensions import db

SEED = 20268
REFERRALS = 80
NEEDS = 40
# The path each demo referral took, and how often (weights).
PATHS = {
    (ReferralStatus.DRAFT,): 6,
    (ReferralStatus.SENT,): 10,
    (ReferralStatus.SENT, ReferralStatus.ACCEPTED): 10,
    (ReferralStatus.SENT, ReferralStatus.DECLINED): 8,
    (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS): 10,
    (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS, ReferralStatus.COMPLETED): 14,
    (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.DECLINED): 3,
    (ReferralStatus.DRAFT, ReferralStatus.CANCELLED): 3,
    (ReferralStatus.SENT, ReferralStatus.CANCELLED): 3,
}
NOTES = [
    "Gospa potrebuje pomoč čim prej, dosegljiva je dopoldne.",
    "Prosimo za prvi pogovor v naslednjih dveh tednih.",
    "Oseba je že bila pri vas pred dvema letoma.",
    "Dogovorjeno z osebo, da vas pokliče sama.",
    "",
]
NEED_NOTES = [
    "Najbližja storitev je predaleč brez prevoza.",
    "Čakalna doba več kot tri mesece.",
    "Ni storitve v regiji.",
    "",
]


def load_demo_referrals() -> str:
    if db.session.scalar(sa.select(Referral.id).limit(1)) is not None:
        return "Demo referrals: already loaded."
    # Loaded with what the loop reads, so `start` (which seeds before serving) stays quick.
    cases = list(
        db.session.scalars(
            sa.select(Case)
            .where(Case.status != CaseStatus.CLOSED)
            .order_by(Case.id)
            .options(selectinload(Case.consents), selectinload(Case.challenges), selectinload(Case.assignees))
        )
    )
    services = list(
        db.session.scalars(
            sa.select(Service)
            .join(Service.organization)
            .where(public_service_filter())
            .order_by(Service.id)
            .options(selectinload(Service.organization))
        )
    )
    if not cases or not services:
        return "Demo referrals: no open cases or public services, nothing added."
    rng = random.Random(SEED)
    made = 0
    for case in cases:
        if made >= REFERRALS:
            break
        consent = next((c for c in case.consents if c.is_active and c.organization_id), None)
        if consent is None or not case.challenges:
            continue
        options = [s for s in services if s.organization_id == consent.organization_id] or services[:0]
        if not options:
            continue
        _add_referral(rng, case, rng.choice(options), consent.id)
        made += 1
    needs = _add_needs(rng, cases)
    events.many_changed()  # the trend reports derive their rows again
    db.session.commit()
    return f"Demo referrals: {made} referrals and {needs} unmet needs added."


def _at(day, rng) -> datetime:
    return datetime.combine(day, time(rng.randint(7, 15), rng.choice((0, 15, 30, 45))))


def _add_referral(rng: random.Random, case: Case, service: Service, consent_id: int) -> None:
    path = rng.choices(list(PATHS), weights=list(PATHS.values()))[0]
    on = today()
    start = max(case.opened_on, on - timedelta(days=rng.randint(3, 120)))
    actor = case.assignees[0].id if case.assignees else None
    referral = Referral(
        case=case,
        service=service,
        organization_id=service.organization_id,
        consent_id=consent_id,
        status=path[-1],
        note=rng.choice(NOTES),
        name_shown=rng.choice(list(NameShown)),
        to_email=service.email or service.organization.email,
        created_at=_at(start, rng),
        created_by_id=actor,
        challenges=[case.challenges[0]],
    )
    db.session.add(referral)
    via_link = rng.random() < 0.6  # the organization answered through its link
    day, before = start, None
    steps = (ReferralStatus.DRAFT, *path) if path[0] != ReferralStatus.DRAFT else path
    for status in steps:
        by_org = via_link and status in (
            ReferralStatus.ACCEPTED,
            ReferralStatus.DECLINED,
            ReferralStatus.IN_PROGRESS,
            ReferralStatus.COMPLETED,
        )
        note = ""
        if status == ReferralStatus.DECLINED:
            referral.decline_reason = (
                DeclineReason.DID_NOT_COME if before == ReferralStatus.ACCEPTED else rng.choice(list(DeclineReason))
            )
            note = referral.decline_reason.label
        if status == ReferralStatus.COMPLETED:
            referral.outcome = rng.choice(list(ReferralOutcome))
            note = referral.outcome.label
        if status == ReferralStatus.CANCELLED:
            referral.closing_note = note = "Oseba si je premislila."
        if status == ReferralStatus.SENT:
            referral.sent_at = _at(day, rng)
        referral.events.append(
            ReferralEvent(
                at=_at(day, rng),
                from_status=before.value if before else None,
                to_status=status.value,
                actor_id=None if by_org else actor,
                by_organization=by_org,
                note=str(note),
            )
        )
        if by_org:
            secret = f"demo-{case.id}-{service.id}-{status.value}"  # never a working link: only its hash
            purpose = (
                LinkPurpose.ANSWER
                if status in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED)
                else LinkPurpose.OUTCOME
            )
            db.session.add(
                ReferralLink(
                    referral=referral,
                    token_hash=hashlib.sha256(secret.encode()).hexdigest(),
                    purpose=purpose,
                    expires_at=_at(day, rng) + timedelta(days=14),
                    used_at=_at(day, rng),
                )
            )
        before = status
        day = min(on, day + timedelta(days=rng.randint(1, 10)))
    if referral.is_open:
        # Some follow-ups are already overdue, the rest due in the coming weeks.
        referral.follow_up_on = on + timedelta(days=rng.randint(-12, 21))
    if referral.decline_reason == DeclineReason.NO_CAPACITY:
        db.session.flush()
        db.session.add(
            UnmetNeed(
                case_id=case.id,
                domain_id=case.challenges[0].domain_id,
                kind=NeedKind.WAITING_LIST,
                note=f"Ni prostih mest: {service.name}"[:500],
                referral_id=referral.id,
                recorded_by_id=actor,
            )
        )


def _add_needs(rng: random.Random, cases: list[Case]) -> int:
    picked = rng.sample(cases, min(NEEDS, len(cases)))
    count = 0
    for case in picked:
        if not case.challenges:
            continue
        challenge = rng.choice(case.challenges)
        db.session.add(
            UnmetNeed(
                case_id=case.id,
                domain_id=challenge.domain_id,
                kind=rng.choice(list(NeedKind)),
                note=rng.choice(NEED_NOTES),
                recorded_on=_at(max(case.opened_on, today() - timedelta(days=rng.randint(0, 200))), rng),
                recorded_by_id=case.assignees[0].id if case.assignees else None,
            )
        )
        count += 1
    return count
