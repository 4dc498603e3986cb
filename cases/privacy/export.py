"""The data-subject export (GDPR Art. 15): everything the office holds about one person, as a
plain dict that is both the JSON download and what the printable page shows.

Redaction: only this person's own records are read (never another person's, even where a
referral or an organization is shared); staff appear by their role, never by name or
username; organizations appear by their public catalog name. Plan history (old and new values
of each edit) is left out: it repeats the plan's own texts, which are included.

Words, not codes: every status, kind and action is its label in the reader's language. Times are
the office's wall clock (Europe/Ljubljana) with their UTC offset, as the office's pages show
them; the export names the zone (`time_zone`).
"""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from cases import places
from cases.access_log import PRINT_PURPOSES, AccessAction, CaseAccess, record_access, record_label
from cases.documents.models import CaseDocument
from cases.intake.models import PersonChange
from cases.models import Case, Person
from cases.needs.models import UnmetNeed
from cases.plans import office_contact
from cases.plans.models import PlanGoal, PlanReview
from cases.privacy.retention import retention_years
from cases.referrals.models import Referral, ReferralStatus
from catalog.models import Organization, TaxonomyTerm
from welfare.clock import OFFICE_TZ, local_time
from welfare.database import utcnow
from welfare.errors import ValidationFailed
from welfare.extensions import db
from welfare.models import ROLE_LABELS, Role, User

# Why an export is made; the keys are the print purposes, so the access-log viewer names them.
EXPORT_PURPOSES = {key: PRINT_PURPOSES[key] for key in ("for_person", "legal")}
ACTION_LABELS = {
    AccessAction.VIEW: _l("Viewed"),
    AccessAction.CREATE: _l("Recorded"),
    AccessAction.EDIT: _l("Changed"),
    AccessAction.PRINT: _l("Printed"),
    AccessAction.EXPORT: _l("Exported"),
    AccessAction.SEND: _l("Shared with an organization"),
}


def record_export(person: Person, purpose: str, user: User) -> None:
    """Log the export with its purpose; the caller commits.

    :raise ValidationFailed: a purpose outside EXPORT_PURPOSES.
    """
    if purpose not in EXPORT_PURPOSES:
        raise ValidationFailed(str(_l("Choose why the data is exported.")), "purpose")
    record_access(AccessAction.EXPORT, person_id=person.id, what="person", purpose=purpose, user=user)


def _role(value: str | Role | None) -> str:
    try:
        return str(ROLE_LABELS[Role(value)])
    except ValueError:
        return str(_l("Office team")) if value else ""


def _when(value: date | datetime | None) -> str | None:
    """A day as ISO; a stored time (naive UTC) as the office's local time with its offset."""
    if isinstance(value, datetime):
        local = value.replace(tzinfo=UTC).astimezone(OFFICE_TZ)
        return local.isoformat(timespec="seconds")
    return value.isoformat() if value else None


def _status_label(value: str | None) -> str:
    try:
        return ReferralStatus(value).label
    except ValueError:
        return value or ""


def _names(model, ids) -> dict:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(model.id, model.name).where(model.id.in_(ids))).all())


def _user_roles(ids) -> dict[int, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    rows = db.session.execute(sa.select(User.id, User.role).where(User.id.in_(ids))).all()
    return {user_id: _role(role) for user_id, role in rows}


def build_export(person: Person) -> dict:
    """The person's data, case by case, and who (by role) accessed it; no other person's data."""
    years = retention_years()
    cases = list(db.session.scalars(sa.select(Case).where(Case.person_id == person.id).order_by(Case.opened_on)))
    return {
        "generated_at": _when(utcnow()),
        "time_zone": str(OFFICE_TZ),
        "controller": office_contact()["name"],
        "retention_years": years,
        "person": {
            "id": person.id,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "birth_date": _when(person.birth_date),
            "birth_year": person.birth_year,
            "gender": person.gender.label,
            "municipality": person.municipality,
            "settlement": places.settlement_label(person.settlement),
            "phone": person.phone or "",
            "email": person.email or "",
            "recorded_on": _when(local_time(person.created_at).date()),
        },
        "cases": [_case(case, years) for case in cases],
        "corrections": _corrections(person),
        "access_log": access_extract(person, cases),
    }


def _corrections(person: Person) -> list[dict]:
    """The person's recorded data as it changed (Art. 16 corrections, contacts from intake,
    merges), oldest first, with the records merged into them; who changed it by role only."""
    merged = set(db.session.scalars(sa.select(Person.id).where(Person.merged_into_id == person.id)))
    changes = db.session.scalars(
        sa.select(PersonChange)
        .where(PersonChange.person_id.in_({person.id} | merged))
        .order_by(PersonChange.at, PersonChange.id)
    ).all()
    roles = _user_roles(c.user_id for c in changes)
    return [
        {
            "at": _when(change.at),
            "by": roles.get(change.user_id, ""),
            "what": change.kind.label,
            "field": change.field_label if change.field else "",
            "old": change.old_value,
            "new": change.new_value,
        }
        for change in changes
    ]


def _retention(case: Case, years: int) -> dict:
    if case.closed_on is None:
        return {"years": years, "anonymized_on": None}
    try:
        due = case.closed_on.replace(year=case.closed_on.year + years)
    except ValueError:  # closed on 29 February
        due = case.closed_on.replace(year=case.closed_on.year + years, day=28)
    return {"years": years, "anonymized_on": _when(due)}


def _case(case: Case, years: int) -> dict:
    terms = _names(TaxonomyTerm, [c.domain_id for c in case.challenges] + [c.provider_type_id for c in case.consents])
    organizations = _names(Organization, [c.organization_id for c in case.consents])
    authors = _user_roles(entry.author_id for entry in case.timeline)
    return {
        "number": case.number,
        "status": case.status.label,
        "opened_on": _when(case.opened_on),
        "closed_on": _when(case.closed_on),
        "outcome": case.outcome.label if case.outcome else None,
        "outcome_note": case.outcome_note,
        "legal_basis": case.legal_basis.label,
        "retention": _retention(case, years),
        "team": sorted({_role(user.role) for user in case.assignees}),
        "challenges": [
            {
                "domain": terms.get(c.domain_id, ""),
                "urgency": c.urgency.label,
                "description": c.description,
                "recorded_on": _when(local_time(c.created_at).date()),
            }
            for c in case.challenges
        ],
        "timeline": [
            {
                # A closing or reopening names the case's outcome at that time.
                "kind": f"{e.kind.label} ({e.outcome.label})" if e.outcome else e.kind.label,
                "at": _when(e.occurred_at),
                "by": authors.get(e.author_id, ""),
                "text": e.text,
            }
            for e in reversed(case.timeline)
        ],
        "consents": [
            {
                "scope": c.scope,
                "shared_with": organizations.get(c.organization_id) or terms.get(c.provider_type_id, ""),
                "text_version": c.text_version,
                "given_on": _when(c.given_on),
                "withdrawn_on": _when(c.withdrawn_on),
            }
            for c in case.consents
        ],
        "deadlines": [
            {"kind": d.kind.label, "title": d.title, "due_on": _when(d.due_on), "done_on": _when(d.done_on)}
            for d in case.deadlines
        ],
        "plan": _plan(case),
        "referrals": _referrals(case),
        "unmet_needs": _needs(case),
        "documents": _documents(case),
    }


def _plan(case: Case) -> dict:
    goals = db.session.scalars(sa.select(PlanGoal).where(PlanGoal.case_id == case.id).order_by(PlanGoal.id))
    reviews = db.session.scalars(sa.select(PlanReview).where(PlanReview.case_id == case.id).order_by(PlanReview.id))
    goal_rows = []
    for goal in goals:
        organizations = _names(Organization, [s.owner_organization_id for s in goal.steps])
        steps = [
            {
                "title": s.title,
                # A team member by role; an organization by its public name.
                "who": organizations.get(s.owner_organization_id)
                or (_role(s.owner_user.role) if s.owner_user else s.owner.label),
                "due_on": _when(s.due_on),
                "status": s.status.label,
                "done_on": _when(s.done_on),
            }
            for s in goal.steps
        ]
        goal_rows.append({"title": goal.title, "status": goal.status.label, "steps": steps})
    review_rows = [{"review_on": _when(r.review_on), "held_on": _when(r.held_on), "note": r.note} for r in reviews]
    return {"goals": goal_rows, "reviews": review_rows}


def _referrals(case: Case) -> list[dict]:
    rows = []
    for r in db.session.scalars(sa.select(Referral).where(Referral.case_id == case.id).order_by(Referral.id)):
        actors = _user_roles(e.actor_id for e in r.events)
        rows.append(
            {
                "service": r.service.name,
                "organization": r.organization.name,
                "status": r.status.label,
                "sent_at": _when(r.sent_at),
                "note": r.note,
                "decline_reason": r.decline_reason.label if r.decline_reason else None,
                "outcome": r.outcome.label if r.outcome else None,
                "closing_note": r.closing_note,
                "history": [
                    {
                        "at": _when(e.at),
                        "status": _status_label(e.to_status),
                        "by": r.organization.name if e.by_organization else actors.get(e.actor_id, ""),
                        "note": e.note,
                    }
                    for e in r.events
                ],
            }
        )
    return rows


def _needs(case: Case) -> list[dict]:
    needs = list(db.session.scalars(sa.select(UnmetNeed).where(UnmetNeed.case_id == case.id).order_by(UnmetNeed.id)))
    terms = _names(TaxonomyTerm, [n.domain_id for n in needs])
    return [
        {
            "domain": terms.get(n.domain_id, ""),
            "kind": n.kind.label,
            "note": n.note,
            "recorded_on": _when(n.recorded_on),
        }
        for n in needs
    ]


def document_path(case: Case, document: CaseDocument) -> str:
    """Where a document's file is inside the export's ZIP archive."""
    return f"documents/{case.number}-document-{document.id}.{document.extension}"


def _documents(case: Case) -> list[dict]:
    documents = list(
        db.session.scalars(sa.select(CaseDocument).where(CaseDocument.case_id == case.id).order_by(CaseDocument.id))
    )
    roles = _user_roles(d.uploaded_by_id for d in documents)
    return [
        {
            "title": d.title,
            "note": d.note,
            "type": d.content_type,
            "size": d.size,
            "added_on": _when(local_time(d.uploaded_at).date()),
            "by": roles.get(d.uploaded_by_id, ""),
            "file": document_path(case, d),  # in the ZIP download
        }
        for d in documents
    ]


def document_files(person: Person):
    """(path in the archive, file bytes) of every document on the person's cases, one at a time."""
    cases = db.session.scalars(sa.select(Case).where(Case.person_id == person.id).order_by(Case.opened_on))
    for case in cases:
        ids = db.session.scalars(
            sa.select(CaseDocument.id).where(CaseDocument.case_id == case.id).order_by(CaseDocument.id)
        )
        for document_id in list(ids):
            document = db.session.get(CaseDocument, document_id)
            yield document_path(case, document), document.file
            db.session.expire(document, ["content"])  # one file in memory at a time


def access_extract(person: Person, cases: list[Case]) -> list[dict]:
    """Who accessed the person's data, by role only (never a name or username), oldest first.

    Rows before the person was recorded are left out: the log keeps bare ids after an erasure,
    and SQLite may hand a freed id to a new person.
    """
    numbers = {case.id: case.number for case in cases}
    about_person = CaseAccess.person_id == person.id
    if numbers:
        about_person = sa.or_(about_person, CaseAccess.case_id.in_(numbers))
    rows = db.session.scalars(
        sa.select(CaseAccess).where(about_person, CaseAccess.at >= person.created_at).order_by(CaseAccess.id)
    )
    return [
        {
            "at": _when(row.at),
            "role": _role(row.role),
            "action": str(ACTION_LABELS.get(row.action, row.action)),
            "what": record_label(row.what),
            "case": numbers.get(row.case_id, ""),
            "purpose": str(PRINT_PURPOSES.get(row.purpose, row.purpose or "")),
        }
        for row in rows
    ]
