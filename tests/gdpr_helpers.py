"""A person with a case that has a row in every table under it (every text carries the person's
tag), for the export, retention and erasure tests; and row counts of every table."""

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from cases.documents.models import CaseDocument, seal
from cases.drafts import Draft
from cases.models import CaseOutcome, CaseStatus, Deadline, EntryKind, TimelineEntry
from cases.needs.models import NeedKind, UnmetNeed
from cases.plans.models import PlanChange, PlanGoal, PlanReview, PlanStep, StepOwner
from cases.referrals.models import LinkPurpose, Referral, ReferralEvent, ReferralLink, ReferralStatus
from catalog.models import TAXONOMY_DOMAINS
from catalog.seed import term_id
from tests.document_helpers import png_bytes
from tests.factories import make_org, make_service
from tests.intake_factories import make_case, make_consent, make_person
from welfare.auth import services as accounts
from welfare.extensions import db
from welfare.mail import OutgoingMail
from welfare.models import Role, User

PASSWORD = "correct horse battery staple 42"


def staff_member(username: str, full_name: str, role: Role = Role.SOCIAL_WORKER) -> User:
    user = db.session.scalar(sa.select(User).where(User.username == username))
    return user or accounts.create_user(username, role, PASSWORD, full_name=full_name)


def rich_case(tag: str, *, first_name: str, last_name: str, opened_on: date, closed_on: date | None, person=None):
    """A case of a (new or given) person with every kind of child row; texts contain `tag`.

    Returns (person, case, referral). Commits."""
    worker = staff_member("ana.kovac", "Ana Kovač")
    org = make_org(f"Društvo {tag}", email=f"info@{tag.lower()}.si")
    service = make_service(org, name=f"Svetovanje {tag}")
    person = person or make_person(
        first_name,
        last_name,
        birth_date=date(1979, 5, 4),
        phone="041 123 456",
        email=f"{tag.lower()}@mail.si",
        municipality="Novo mesto",
        settlement="Otočec",
    )
    person.birth_year = None  # only the birth date: retention must keep the year of it
    case = make_case(
        person,
        opened_on=opened_on,
        assignees=[worker],
        status=CaseStatus.CLOSED if closed_on else CaseStatus.ACTIVE,
        closed_on=closed_on,
        outcome=CaseOutcome.RESOLVED if closed_on else None,
        outcome_note=f"Izid {tag}.",
    )
    case.challenges[0].description = f"Opis {tag}."
    consent = make_consent(case, organization_id=org.id, given_on=opened_on)
    consent.scope = f"Soglasje {tag}."
    at = datetime.combine(opened_on, datetime.min.time()) + timedelta(hours=10)
    db.session.add(TimelineEntry(case=case, kind=EntryKind.VISIT, occurred_at=at, text=f"Zapis {tag}.", author=worker))
    db.session.add(Deadline(case=case, title=f"Rok {tag}", served_on=opened_on, days=15, due_on=opened_on))
    goal = PlanGoal(case=case, title=f"Cilj {tag}", created_at=at)
    goal.steps.append(PlanStep(title=f"Korak {tag}", owner=StepOwner.STAFF, owner_user=worker, due_on=opened_on))
    db.session.add(goal)
    db.session.add(PlanReview(case_id=case.id, review_on=opened_on, note=f"Pregled {tag}."))
    db.session.add(
        PlanChange(case_id=case.id, entity="goal", entity_id=1, action="update", old_value=f"Star {tag}", new_value="x")
    )
    referral = Referral(
        case=case,
        to_service_id=service.id,
        organization_id=org.id,
        consent_id=consent.id,
        status=ReferralStatus.DECLINED,
        note=f"Napotnica {tag}.",
        closing_note=f"Zaključek {tag}.",
        to_email=org.email,
        sent_at=at,
        challenges=list(case.challenges),
    )
    referral.events.append(ReferralEvent(at=at, to_status="sent", actor_id=worker.id, note=f"Dogodek {tag}."))
    db.session.add(referral)
    db.session.flush()
    db.session.add(
        ReferralLink(referral_id=referral.id, token_hash=f"{tag:0<64}"[:64], purpose=LinkPurpose.ANSWER, expires_at=at)
    )
    domain = term_id(TAXONOMY_DOMAINS, "dolgovi")
    db.session.add(UnmetNeed(case=case, domain_id=domain, kind=NeedKind.NO_SERVICE, note=f"Potreba {tag}."))
    content = png_bytes(seed=len(tag))
    document = CaseDocument(
        case=case,
        title=f"Odločba {tag}",
        note=f"Dokument {tag}.",
        content_type="image/png",
        size=len(content),
        content=b"",
        uploaded_by_id=worker.id,
    )
    db.session.add(document)
    db.session.flush()
    document.content = seal(document.id, content)  # bound to its row, as the upload does
    fields = {"text": [f"Osnutek {tag}"]}
    db.session.add(Draft(user_id=worker.id, form_key=f"/cases/{case.number}/timeline/new", data=json.dumps(fields)))
    mail = OutgoingMail(
        to_addr=org.email, subject=f"Napotnica {case.number}", body=None, about=f"referral:{referral.id}"
    )
    mail.state = "sent"
    db.session.add(mail)
    db.session.commit()
    outbox = Path(current_app.config["DATA_DIR"]) / "outbox"
    outbox.mkdir(exist_ok=True)
    (outbox / f"{mail.id:08d}-20150101T000000.eml").write_text(
        f"Subject: Napotnica\n\nZa {person.first_name[:1]}. {tag}\n"
    )
    return person, case, referral


def row_counts() -> dict[str, int]:
    """Rows per table of the whole schema."""
    return {
        name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for name, table in db.metadata.tables.items()
    }


def outbox_files() -> set[str]:
    outbox = Path(current_app.config["DATA_DIR"]) / "outbox"
    return {path.name for path in outbox.glob("*.eml")} if outbox.is_dir() else set()
