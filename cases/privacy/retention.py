"""Retention: cases closed more than CASE_RETENTION_YEARS ago lose identity and free text.

What stays is exactly what the trend reports read (cases/trends/units.py and figures.py):
dates, statuses, outcomes, life domains, urgency, decline reasons, the receiving
organization, the roles on the team, record keys, and of the person gender, birth year,
municipality and settlement. Municipality and settlement stay on purpose: the reports count
by place and perturb every figure, so they never single a person out; the settlement stays
only as an official settlement's name, "other" or "" (cases.places), never a typed street. Everything typed
(descriptions, notes, plan texts, consent scope, deadline titles, plan history values) is
blanked; documents, drafts, organization links and e-mails about the case's referrals are deleted.
Drafts of any form expire after DRAFT_RETENTION_DAYS (`expire_drafts`).

A person keeps their identity while any of their cases is not yet anonymized (still open, or
closed within the period). Each case is one transaction, marked in `case_anonymization`, so a
run interrupted anywhere resumes where it stopped and a second run changes nothing.
"""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import current_app

from cases import events, places
from cases.documents.models import CaseDocument
from cases.drafts import Draft
from cases.intake.models import PersonChange
from cases.models import Case, CaseStatus, Person
from cases.needs.models import UnmetNeed
from cases.plans.models import PlanChange, PlanGoal, PlanReview, PlanStep
from cases.privacy import copies
from cases.privacy.models import CaseAnonymization
from cases.referrals.models import Referral, ReferralEvent, ReferralLink
from welfare.extensions import db
from welfare.faults import pause_point

# What an anonymized person is called wherever a name is shown (the list of cases, a search).
ANONYMIZED_NAME = "—"


@dataclass
class CasePlan:
    """What anonymizing one case changes: blanked texts and deleted rows, per kind."""

    number: str
    counts: dict[str, int] = field(default_factory=dict)
    person_identity: bool = False  # the person's identity goes too (no other case keeps it)


def retention_years() -> int:
    """CASE_RETENTION_YEARS (default 10; WELFARE_CASE_RETENTION_YEARS in the environment)."""
    return int(current_app.config["CASE_RETENTION_YEARS"])


def cutoff(today: date, years: int) -> date:
    """Cases closed before this day are due."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def due_case_ids(today: date, years: int) -> list[int]:
    """Closed cases past retention and not anonymized yet, oldest first."""
    done = sa.select(CaseAnonymization.case_id)
    return list(
        db.session.scalars(
            sa.select(Case.id)
            .where(
                Case.status == CaseStatus.CLOSED,
                Case.closed_on < cutoff(today, years),
                Case.id.not_in(done),
            )
            .order_by(Case.closed_on, Case.id)
        )
    )


def _texts(rows, *names) -> int:
    return sum(1 for row in rows for name in names if getattr(row, name))


def _keeps_identity(case: Case) -> bool:
    """Another case of the person is not anonymized yet (open, or closed within retention)."""
    others = sa.select(sa.func.count(Case.id)).where(
        Case.person_id == case.person_id,
        Case.id != case.id,
        Case.id.not_in(sa.select(CaseAnonymization.case_id)),
    )
    return bool(db.session.scalar(others))


def _records(case: Case) -> dict[str, list]:
    def rows(model, *where):
        return list(db.session.scalars(sa.select(model).where(*where)))

    goals = rows(PlanGoal, PlanGoal.case_id == case.id)
    referrals = rows(Referral, Referral.case_id == case.id)
    referral_ids = [r.id for r in referrals]
    return {
        "goals": goals,
        "steps": rows(PlanStep, PlanStep.goal_id.in_([g.id for g in goals])),
        "reviews": rows(PlanReview, PlanReview.case_id == case.id),
        "changes": rows(PlanChange, PlanChange.case_id == case.id),
        "referrals": referrals,
        "events": rows(ReferralEvent, ReferralEvent.referral_id.in_(referral_ids)),
        "links": rows(ReferralLink, ReferralLink.referral_id.in_(referral_ids)),
        "needs": rows(UnmetNeed, UnmetNeed.case_id == case.id),
        "documents": list(db.session.scalars(sa.select(CaseDocument.id).where(CaseDocument.case_id == case.id))),
    }


def inspect(case: Case) -> CasePlan:
    """What `anonymize` would change on this case (the dry run); reads only."""
    r = _records(case)
    counts = {
        "outcome note": 1 if case.outcome_note else 0,
        "challenge descriptions": _texts(case.challenges, "description"),
        "timeline texts": _texts(case.timeline, "text"),
        "consent texts": _texts(case.consents, "scope"),
        "deadline titles": _texts(case.deadlines, "title"),
        "plan texts": _texts(r["goals"], "title") + _texts(r["steps"], "title") + _texts(r["reviews"], "note"),
        "plan history values": _texts(r["changes"], "old_value", "new_value"),
        "referral notes": _texts(r["referrals"], "note", "closing_note", "appointment_note")
        + _texts(r["events"], "note"),
        "unmet need notes": _texts(r["needs"], "note"),
        "referral links": len(r["links"]),
        "documents": len(r["documents"]),
    }
    return CasePlan(case.number, {k: v for k, v in counts.items() if v}, not _keeps_identity(case))


def _blank(rows, *names) -> None:
    for row in rows:
        for name in names:
            if getattr(row, name):
                setattr(row, name, "")


def anonymize_person(person: Person) -> None:
    """Identity out, the facts the reports read in place (birth year, gender, place)."""
    if person.birth_year is None and person.birth_date is not None:
        person.birth_year = person.birth_date.year
    person.first_name = ANONYMIZED_NAME
    person.last_name = ""
    person.name_key = ""
    person.birth_date = None
    person.phone = None
    person.email = None
    # Settlements were free text once: nothing typed (a street, a flat) outlives the identity.
    person.settlement = places.normalize(person.municipality, person.settlement)
    # The old values of corrections, and the duplicates merged into the person, are identity too.
    merged = list(db.session.scalars(sa.select(Person).where(Person.merged_into_id == person.id)))
    changes = db.session.scalars(
        sa.select(PersonChange).where(PersonChange.person_id.in_([person.id] + [m.id for m in merged]))
    )
    _blank(changes, "old_value", "new_value")
    for record in merged:
        anonymize_person(record)


def anonymize(case_id: int, years: int) -> CasePlan | None:
    """Anonymize one due case in its own transaction (commits); None when it is no longer due
    (anonymized meanwhile by another run, or reopened)."""
    case = db.session.get(Case, case_id, with_for_update=True)
    if case is None or case.status != CaseStatus.CLOSED or db.session.get(CaseAnonymization, case_id):
        db.session.rollback()
        return None
    plan = inspect(case)
    r = _records(case)
    case.outcome_note = ""
    _blank(case.challenges, "description")
    _blank(case.timeline, "text")
    _blank(case.consents, "scope")
    _blank(case.deadlines, "title")
    _blank(r["goals"], "title")
    _blank(r["steps"], "title")
    _blank(r["reviews"], "note")
    _blank(r["changes"], "old_value", "new_value")
    _blank(r["referrals"], "note", "closing_note", "appointment_note")
    _blank(r["events"], "note")
    _blank(r["needs"], "note")
    for link in r["links"]:
        db.session.delete(link)
    # A document is all content (a decision, a letter): nothing of it is left for the reports.
    db.session.execute(sa.delete(CaseDocument).where(CaseDocument.case_id == case.id))
    referral_ids = [referral.id for referral in r["referrals"]]
    mail_ids = copies.delete_referral_mail(referral_ids)
    if plan.person_identity:
        copies.delete_drafts(case.person_id, [case])
        anonymize_person(case.person)
        events.case_changed(*case.person.cases)  # the settlement may have been mapped
    else:
        _delete_case_drafts(case)
    db.session.add(CaseAnonymization(case_id=case.id, retention_years=years))
    pause_point("retention.case")  # fault tests kill the run here, inside a case's transaction
    db.session.commit()
    pause_point("retention.committed")
    copies.remove_outbox_files(mail_ids)
    return plan


def _delete_case_drafts(case: Case) -> None:
    """Drafts on this case's pages only: the person's own pages stay with their other cases."""
    db.session.execute(
        sa.delete(Draft).where(
            sa.or_(Draft.form_key == f"/cases/{case.number}", Draft.form_key.startswith(f"/cases/{case.number}/"))
        )
    )
