"""Case records: the person, their case, challenges, timeline, consents, legal deadlines, and
anonymous contacts.

Identity lives only on `Person`; everything a trend report reads (domains, urgency, dates,
outcomes, age band, settlement) is a separate column, so reports never need a name or free
text. Records edited by more than one team member carry `version_id` (optimistic locking):
a second save of a stale form fails with a conflict instead of overwriting the first.
"""

import secrets
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _pl
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.models import ID, TaxonomyTerm
from welfare.crypto import EncryptedText
from welfare.database import utcnow
from welfare.enums import LabelledEnum, enum_column
from welfare.extensions import db
from welfare.models import User

# Cell-key perturbation (cases/trends/privacy.py): every counted record carries a fixed random
# key drawn once; a report cell's key is the sum of its records' keys, so the same records
# always give the same perturbed figure and one more record changes it unpredictably.
RECORD_KEY_BOUND = 2**31


def new_record_key() -> int:
    """A fresh record key in [0, RECORD_KEY_BOUND), from the operating system's random source."""
    return secrets.randbelow(RECORD_KEY_BOUND)


class Gender(LabelledEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"

    @classmethod
    def labels(cls):
        return {cls.FEMALE: _l("Female"), cls.MALE: _l("Male"), cls.OTHER: _l("Other"), cls.UNKNOWN: _l("Not stated")}


class CaseStatus(LabelledEnum):
    OPEN = "open"  # recorded, work not started
    ACTIVE = "active"  # a plan is being followed
    CLOSED = "closed"

    @classmethod
    def labels(cls):
        return {cls.OPEN: _l("Open"), cls.ACTIVE: _pl("case status", "Active"), cls.CLOSED: _l("Closed")}


class CaseOutcome(LabelledEnum):
    RESOLVED = "resolved"
    PARTLY_RESOLVED = "partly_resolved"
    NOT_RESOLVED = "not_resolved"
    WITHDREW = "withdrew"
    MOVED_AWAY = "moved_away"
    OTHER = "other"

    @classmethod
    def labels(cls):
        return {
            cls.RESOLVED: _l("Resolved"),
            cls.PARTLY_RESOLVED: _l("Partly resolved"),
            cls.NOT_RESOLVED: _l("Not resolved"),
            cls.WITHDREW: _l("The person withdrew"),
            cls.MOVED_AWAY: _l("Moved away"),
            cls.OTHER: _l("Other"),
        }


class Urgency(LabelledEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRISIS = "crisis"

    @classmethod
    def labels(cls):
        return {cls.LOW: _l("Low"), cls.MEDIUM: _l("Medium"), cls.HIGH: _l("High"), cls.CRISIS: _l("Crisis")}


class EntryKind(LabelledEnum):
    """What a timeline entry records."""

    NOTE = "note"
    VISIT = "visit"
    PHONE = "phone"
    EMAIL = "email"
    HOME_VISIT = "home_visit"
    ORG_MEETING = "org_meeting"
    CASE_CLOSED = "case_closed"  # this and the next: written by closing/reopening, not on the form
    CASE_REOPENED = "case_reopened"

    @classmethod
    def labels(cls):
        return {
            cls.NOTE: _l("Note"),
            cls.VISIT: _l("Visit at the office"),
            cls.PHONE: _l("Phone call"),
            cls.EMAIL: _l("E-mail"),
            cls.HOME_VISIT: _l("Home visit"),
            cls.ORG_MEETING: _l("Meeting with an organization"),
            cls.CASE_CLOSED: _l("Case closed"),
            cls.CASE_REOPENED: _l("Case reopened"),
        }


class Channel(LabelledEnum):
    """How an anonymous contact reached the office."""

    IN_PERSON = "in_person"
    PHONE = "phone"
    EMAIL = "email"

    @classmethod
    def labels(cls):
        return {cls.IN_PERSON: _l("In person"), cls.PHONE: _l("Phone"), cls.EMAIL: _l("E-mail")}


class ContactAction(LabelledEnum):
    """What was done for an anonymous contact."""

    INFORMED = "informed"
    REFERRED = "referred"
    OTHER = "other"

    @classmethod
    def labels(cls):
        return {cls.INFORMED: _l("Informed"), cls.REFERRED: _l("Referred"), cls.OTHER: _l("Other")}


class LegalBasis(LabelledEnum):
    """Why the office may process this person's data; each names its statute (GDPR Art. 6 and 9)."""

    CONSENT = "consent"
    PUBLIC_TASK = "public_task"
    SOCIAL_CARE = "social_care"
    LEGAL_CLAIMS = "legal_claims"
    VITAL_INTERESTS = "vital_interests"

    @classmethod
    def labels(cls):
        return {
            cls.CONSENT: _l("Explicit consent of the person (GDPR Art. 6(1)(a) and 9(2)(a))"),
            cls.PUBLIC_TASK: _l(
                "Task of the municipality in the public interest (ZLS Art. 21; GDPR Art. 6(1)(e), ZVOP-2)"
            ),
            cls.SOCIAL_CARE: _l("Social care and social protection (ZSV; GDPR Art. 9(2)(h))"),
            cls.LEGAL_CLAIMS: _l("Legal advice and legal claims (ZBPP; GDPR Art. 9(2)(f))"),
            cls.VITAL_INTERESTS: _l("Protection of vital interests (GDPR Art. 6(1)(d) and 9(2)(c))"),
        }


case_assignment = sa.Table(
    "case_assignment",
    db.metadata,
    sa.Column("case_id", sa.ForeignKey("case_file.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    # Moje delo looks cases up by team member; the primary key leads with case_id.
    sa.Index("ix_case_assignment_user_id", "user_id", "case_id"),  # covering: no table lookups
)

anonymous_contact_domain = sa.Table(
    "anonymous_contact_domain",
    db.metadata,
    sa.Column("contact_id", sa.ForeignKey("anonymous_contact.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("term_id", ID, sa.ForeignKey("taxonomy_term.id"), primary_key=True),
)


class Person(db.Model):
    """Minimal identity of someone the office works with."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(sa.String(100))
    last_name: Mapped[str] = mapped_column(sa.String(100))
    name_key: Mapped[str] = mapped_column(sa.String(201), index=True)  # what search compares: cases.names
    birth_date: Mapped[date | None]
    birth_year: Mapped[int | None] = mapped_column(index=True)
    gender: Mapped[Gender] = mapped_column(enum_column(Gender), default=Gender.UNKNOWN)
    municipality: Mapped[str] = mapped_column(sa.String(100), default="")
    settlement: Mapped[str] = mapped_column(sa.String(100), default="")
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    version_id: Mapped[int] = mapped_column(default=1)
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"), index=True)  # the person kept

    cases: Mapped[list["Case"]] = relationship(back_populates="person", order_by="Case.opened_on.desc()")

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class CaseNumberCounter(db.Model):
    """The last case number used per year; incremented under a row lock so numbers never repeat."""

    __tablename__ = "case_number_counter"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)


def _open_cases_index(name: str, column: str) -> sa.Index:
    """An index over open cases only, all the work view reads (its queries say `status != 'closed'`)."""
    where = sa.text("status != 'closed'")
    return sa.Index(name, column, sqlite_where=where, postgresql_where=where)


class Case(db.Model):
    """One person's case file ("case" is a reserved word in SQL, hence the table name)."""

    __tablename__ = "case_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(12), unique=True)  # e.g. 2026-0042: no personal data
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus), default=CaseStatus.OPEN, index=True)
    legal_basis: Mapped[LegalBasis] = mapped_column(enum_column(LegalBasis, 30))
    opened_on: Mapped[date] = mapped_column(index=True)
    closed_on: Mapped[date | None] = mapped_column(index=True)
    outcome: Mapped[CaseOutcome | None] = mapped_column(enum_column(CaseOutcome))
    outcome_note: Mapped[str] = mapped_column(EncryptedText("case_file.outcome_note"), default="")
    # The next date someone should look at this case again (shown on Moje delo).
    follow_up_on: Mapped[date | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)
    record_key: Mapped[int] = mapped_column(default=new_record_key)  # trend reports only

    person: Mapped[Person] = relationship(back_populates="cases")
    assignees: Mapped[list[User]] = relationship(secondary=case_assignment, order_by=User.full_name)
    challenges: Mapped[list["Challenge"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Challenge.id"
    )
    timeline: Mapped[list["TimelineEntry"]] = relationship(
        back_populates="case",
        cascade="all, delete-orphan",
        order_by="(TimelineEntry.occurred_at.desc(), TimelineEntry.id.desc())",
    )
    consents: Mapped[list["Consent"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Consent.id"
    )
    deadlines: Mapped[list["Deadline"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Deadline.due_on"
    )

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        _open_cases_index("ix_case_file_open_follow_up_on", "follow_up_on"),
        _open_cases_index("ix_case_file_open_opened_on", "opened_on"),
    )

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED


class Challenge(db.Model):
    """A life challenge the person brings, in the catalog's own life-domain taxonomy."""

    __tablename__ = "case_challenge"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    # A term of the life-domain taxonomy (catalog.models.TAXONOMY_DOMAINS): demand meets supply.
    domain_id: Mapped[str] = mapped_column(ID, sa.ForeignKey("taxonomy_term.id"), index=True)
    description: Mapped[str] = mapped_column(EncryptedText("case_challenge.description"), default="")
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency), default=Urgency.MEDIUM)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    version_id: Mapped[int] = mapped_column(default=1)
    record_key: Mapped[int] = mapped_column(default=new_record_key)  # trend reports only

    case: Mapped[Case] = relationship(back_populates="challenges")

    # Trend reports count challenges by case without reading the table (a covering index).
    __table_args__ = (sa.Index("ix_case_challenge_trend", "case_id", "domain_id", "urgency", "record_key"),)

    __mapper_args__ = {"version_id_col": version_id}


class TimelineEntry(db.Model):
    """A note or a contact on the case (visit, call, e-mail, home visit, meeting)."""

    __tablename__ = "case_timeline_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    kind: Mapped[EntryKind] = mapped_column(enum_column(EntryKind), default=EntryKind.NOTE)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    text: Mapped[str] = mapped_column(EncryptedText("case_timeline_entry.text"), default="")
    outcome: Mapped[CaseOutcome | None] = mapped_column(enum_column(CaseOutcome))  # closed with / had until reopened
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="timeline")
    author: Mapped[User | None] = relationship()


# The consent texts a person may be shown; a consent records which version they saw.
CONSENT_TEXT_VERSIONS = ("2026-1",)


class Consent(db.Model):
    """What the person agreed to share, with whom; withdrawal keeps the row and adds a date."""

    __tablename__ = "case_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(sa.Text)  # what may be shared
    # Either one organization of the catalog, or a kind of organization (provider-type term).
    organization_id: Mapped[str | None] = mapped_column(ID, sa.ForeignKey("organization.id"))
    provider_type_id: Mapped[str | None] = mapped_column(ID, sa.ForeignKey("taxonomy_term.id"))
    text_version: Mapped[str] = mapped_column(sa.String(20))
    given_on: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_on: Mapped[date | None]
    withdrawn_recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    version_id: Mapped[int] = mapped_column(default=1)

    case: Mapped[Case] = relationship(back_populates="consents")

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class DeadlineKind(LabelledEnum):
    APPEAL = "appeal"  # pritožba zoper odločbo (ZUP: 15 days from service)
    OTHER = "other"

    @classmethod
    def labels(cls):
        return {cls.APPEAL: _l("Appeal against a decision"), cls.OTHER: _l("Other legal deadline")}


class Deadline(db.Model):
    """A legal deadline on the case; `due_on` is computed (working days, Slovenian holidays)."""

    __tablename__ = "case_deadline"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DeadlineKind] = mapped_column(enum_column(DeadlineKind), default=DeadlineKind.APPEAL)
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    served_on: Mapped[date]  # the day the decision was served (or the event the period runs from)
    days: Mapped[int] = mapped_column(default=15)
    due_on: Mapped[date] = mapped_column(index=True)
    done_on: Mapped[date | None]
    done_at: Mapped[datetime | None]  # when and by whom it was marked met (the case history)
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    case: Mapped[Case] = relationship(back_populates="deadlines")

    __mapper_args__ = {"version_id_col": version_id}
    # The work view lists deadlines not yet met (done_on IS NULL) by due date.
    __table_args__ = (sa.Index("ix_case_deadline_done_on_due_on", "done_on", "due_on"),)


class AnonymousContact(db.Model):
    """Someone who did not want a case: counted in trends, no identity at all."""

    __tablename__ = "anonymous_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_on: Mapped[date] = mapped_column(index=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    action: Mapped[ContactAction] = mapped_column(enum_column(ContactAction))
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    record_key: Mapped[int] = mapped_column(default=new_record_key)  # trend reports only

    domains: Mapped[list[TaxonomyTerm]] = relationship(secondary=anonymous_contact_domain)

    # Trend reports count contacts by month and channel without reading the table.
    __table_args__ = (sa.Index("ix_anonymous_contact_trend", "occurred_on", "channel", "record_key", "id"),)
