"""Erasure of a person (GDPR Art. 17), where the administrator has found it lawful.

Every copy the app holds goes in one transaction: the person, their cases and every row under
them (the documents' files too: they live in their rows), drafts typed about them, and the e-mails about their referrals (the .eml copies of the
development outbox are removed right after the commit). Trend figures that counted these
cases change: that is what erasure means.

Two things remain, by design. The case access log is append-only (the database refuses any
change), so its rows stay with the bare ids they carried and no foreign key to the erased rows;
they name staff and never the person. The audit log records that an erasure happened, who did
it, when and on which legal ground, never what was erased.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from cases.documents.models import CaseDocument
from cases.intake.models import PersonChange
from cases.models import (
    Case,
    Challenge,
    Consent,
    Deadline,
    Person,
    TimelineEntry,
    case_assignment,
)
from cases.needs.models import UnmetNeed
from cases.plans.models import PlanChange, PlanGoal, PlanReview, PlanStep
from cases.privacy import copies
from cases.privacy.models import CaseAnonymization
from cases.referrals.models import Referral, ReferralEvent, ReferralLink, referral_challenge
from welfare import audit
from welfare.errors import ValidationFailed
from welfare.extensions import db
from welfare.models import User

# The legal ground of an erasure (GDPR Art. 17(1)); the audit log keeps the key.
ERASURE_REASONS = {
    "consent_withdrawn": _l("Consent withdrawn and no other legal basis (Art. 17(1)(b))"),
    "objection": _l("The person objected and no overriding grounds remain (Art. 17(1)(c))"),
    "unlawful": _l("The data was processed unlawfully (Art. 17(1)(d))"),
    "legal_obligation": _l("A legal obligation or a court order requires it (Art. 17(1)(e))"),
    "not_necessary": _l("No longer necessary for the purpose (Art. 17(1)(a))"),
}


# How the confirmation page names each kind of row.
ROW_LABELS = {
    "unmet needs": _l("Unmet needs"),
    "referral links": _l("Referral links"),
    "referral events": _l("Referral events"),
    "referral challenges": _l("Referral challenges"),
    "referrals": _l("Referrals"),
    "plan steps": _l("Plan steps"),
    "plan goals": _l("Plan goals"),
    "plan reviews": _l("Plan reviews"),
    "plan history": _l("Plan history"),
    "challenges": _l("Challenges"),
    "timeline entries": _l("Timeline entries"),
    "consents": _l("Consents"),
    "deadlines": _l("Deadlines"),
    "documents": _l("Documents"),
    "team assignments": _l("Team assignments"),
    "retention marks": _l("Retention marks"),
    "cases": _l("Cases"),
    "person history": _l("Person history"),
    "merged records": _l("Records merged into the person"),
    "persons": _l("Persons"),
    "drafts": _l("Drafts"),
    "e-mails": _l("E-mails"),
}


@dataclass
class ErasureSummary:
    """What an erasure would remove: counts and case numbers only, never content."""

    person_id: int
    case_numbers: list[str]
    rows: dict[str, int]  # a ROW_LABELS key -> count

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def merged_into(person_id: int) -> list[int]:
    """The records merged into this person, and those merged into them: the same person, so
    erased with them (they hold no cases: a merge moved those)."""
    found, frontier = [], [person_id]
    while frontier:
        frontier = list(db.session.scalars(sa.select(Person.id).where(Person.merged_into_id.in_(frontier))))
        frontier = [i for i in frontier if i not in found and i != person_id]
        found += frontier
    return found


def _deletions(person_id: int) -> list[tuple[str, sa.Delete]]:
    """(label, DELETE) for every table, children before parents (no cascade is relied on)."""
    merged = merged_into(person_id)
    everyone = [person_id, *merged]
    case_ids = sa.select(Case.id).where(Case.person_id == person_id).scalar_subquery()
    referral_ids = sa.select(Referral.id).where(Referral.case_id.in_(case_ids)).scalar_subquery()
    goal_ids = sa.select(PlanGoal.id).where(PlanGoal.case_id.in_(case_ids)).scalar_subquery()
    return [
        ("unmet needs", sa.delete(UnmetNeed).where(UnmetNeed.case_id.in_(case_ids))),
        ("referral links", sa.delete(ReferralLink).where(ReferralLink.referral_id.in_(referral_ids))),
        ("referral events", sa.delete(ReferralEvent).where(ReferralEvent.referral_id.in_(referral_ids))),
        (
            "referral challenges",
            sa.delete(referral_challenge).where(referral_challenge.c.referral_id.in_(referral_ids)),
        ),
        ("referrals", sa.delete(Referral).where(Referral.case_id.in_(case_ids))),
        ("plan steps", sa.delete(PlanStep).where(PlanStep.goal_id.in_(goal_ids))),
        ("plan goals", sa.delete(PlanGoal).where(PlanGoal.case_id.in_(case_ids))),
        ("plan reviews", sa.delete(PlanReview).where(PlanReview.case_id.in_(case_ids))),
        ("plan history", sa.delete(PlanChange).where(PlanChange.case_id.in_(case_ids))),
        ("challenges", sa.delete(Challenge).where(Challenge.case_id.in_(case_ids))),
        ("timeline entries", sa.delete(TimelineEntry).where(TimelineEntry.case_id.in_(case_ids))),
        ("consents", sa.delete(Consent).where(Consent.case_id.in_(case_ids))),
        ("deadlines", sa.delete(Deadline).where(Deadline.case_id.in_(case_ids))),
        ("documents", sa.delete(CaseDocument).where(CaseDocument.case_id.in_(case_ids))),
        ("team assignments", sa.delete(case_assignment).where(case_assignment.c.case_id.in_(case_ids))),
        ("retention marks", sa.delete(CaseAnonymization).where(CaseAnonymization.case_id.in_(case_ids))),
        ("cases", sa.delete(Case).where(Case.person_id == person_id)),
        ("person history", sa.delete(PersonChange).where(PersonChange.person_id.in_(everyone))),
        # Newest merge first: a record another was merged into goes after that one.
        *[("merged records", sa.delete(Person).where(Person.id == i)) for i in reversed(merged)],
        ("persons", sa.delete(Person).where(Person.id == person_id)),
    ]


def summarize(person: Person) -> ErasureSummary:
    """Counts per kind of row, for the confirmation page; reads only."""
    rows = {}
    for label, statement in _deletions(person.id):
        table = statement.table
        count = sa.select(sa.func.count()).select_from(table).where(statement.whereclause)
        rows[label] = rows.get(label, 0) + (db.session.scalar(count) or 0)
    numbers = [case.number for case in person.cases]
    return ErasureSummary(person.id, sorted(numbers), {k: v for k, v in rows.items() if v})


def check_confirmation(person: Person, typed: str) -> None:
    """:raise ValidationFailed: the typed text is neither the person's id nor one of their case numbers."""
    typed = (typed or "").strip()
    if typed != str(person.id) and typed not in {case.number for case in person.cases}:
        raise ValidationFailed(str(_l("Type the person's number or one of their case numbers exactly.")), "confirm")


def erase_person(person: Person, reason: str, confirm: str, actor: User) -> ErasureSummary:
    """Delete the person and every copy of their data; one transaction, commits.

    :raise ValidationFailed: no lawful reason chosen, or the confirmation does not match.
    """
    if reason not in ERASURE_REASONS:
        raise ValidationFailed(str(_l("Choose the legal ground of the erasure.")), "reason")
    check_confirmation(person, confirm)
    summary = summarize(person)
    person_id, cases = person.id, list(person.cases)
    referral_ids = list(db.session.scalars(sa.select(Referral.id).where(Referral.case_id.in_([c.id for c in cases]))))
    summary.rows["drafts"] = copies.delete_drafts(person_id, cases)
    mail_ids = copies.delete_referral_mail(referral_ids)
    summary.rows["e-mails"] = len(mail_ids)
    # Another person's history may name this one as the record merged in: the link goes, the row stays.
    gone = [person_id, *merged_into(person_id)]
    db.session.execute(
        sa.update(PersonChange)
        .where(PersonChange.other_person_id.in_(gone))
        .values(other_person_id=None)
        .execution_options(synchronize_session=False)
    )
    for _label, statement in _deletions(person_id):
        db.session.execute(statement.execution_options(synchronize_session=False))
    audit.record("case.person_erased", object_type="person", object_id=person_id, purpose=reason, actor=actor)
    db.session.commit()
    copies.remove_outbox_files(mail_ids)
    return summary
