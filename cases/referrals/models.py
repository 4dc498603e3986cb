"""Referrals of a case to catalog services, their history, and the organization's links.

A referral moves draft -> sent -> accepted / declined -> in_progress -> completed, or is
cancelled while open (`TRANSITIONS`). Every change adds a `ReferralEvent` naming who made it:
a team member, or the organization through its link (it has no account). A link stores only
the SHA-256 of its secret; the secret itself travels only in the signed URL of the e-mail.
"""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cases.models import Case, Challenge, LabelledEnum, enum_column, new_record_key
from catalog.models import ID, Organization, Service
from welfare.crypto import EncryptedText
from welfare.database import utcnow
from welfare.extensions import db


class ReferralStatus(LabelledEnum):
    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @classmethod
    def labels(cls):
        return {
            cls.DRAFT: _l("Draft"),
            cls.SENT: _l("Sent"),
            cls.ACCEPTED: _l("Accepted"),
            cls.DECLINED: _l("Declined"),
            cls.IN_PROGRESS: _l("In progress"),
            cls.COMPLETED: _l("Completed"),
            cls.CANCELLED: _l("Cancelled"),
        }


OPEN_STATUSES = (ReferralStatus.DRAFT, ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS)

# Which status may follow which; anything else is refused (a 409 or a form error, never a 500).
# "Did not come" is learnt after acceptance, so an accepted referral may still be declined.
TRANSITIONS = {
    ReferralStatus.DRAFT: {ReferralStatus.SENT, ReferralStatus.CANCELLED},
    ReferralStatus.SENT: {ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.CANCELLED},
    ReferralStatus.ACCEPTED: {
        ReferralStatus.IN_PROGRESS,
        ReferralStatus.COMPLETED,
        ReferralStatus.DECLINED,
        ReferralStatus.CANCELLED,
    },
    ReferralStatus.IN_PROGRESS: {ReferralStatus.COMPLETED, ReferralStatus.CANCELLED},
    ReferralStatus.DECLINED: set(),
    ReferralStatus.COMPLETED: set(),
    ReferralStatus.CANCELLED: set(),
}


class DeclineReason(LabelledEnum):
    NO_CAPACITY = "no_capacity"
    NOT_ELIGIBLE = "not_eligible"
    DID_NOT_COME = "did_not_come"
    NO_LONGER_OFFERED = "no_longer_offered"
    WRONG_CONTACT = "wrong_contact"
    OTHER = "other"

    @classmethod
    def labels(cls):
        return {
            cls.NO_CAPACITY: _l("No capacity at the moment"),
            cls.NOT_ELIGIBLE: _l("The person is not eligible"),
            cls.DID_NOT_COME: _l("The person did not come"),
            cls.NO_LONGER_OFFERED: _l("The service is no longer offered"),
            cls.WRONG_CONTACT: _l("Wrong contact details in the catalog"),
            cls.OTHER: _l("Other reason"),
        }


# Declines that tell the catalog its entry is wrong: they file a change report for staff.
CATALOG_REASONS = (DeclineReason.NO_LONGER_OFFERED, DeclineReason.WRONG_CONTACT)


class ReferralOutcome(LabelledEnum):
    HELPED = "helped"
    PARTLY = "partly"
    NOT_HELPED = "not_helped"

    @classmethod
    def labels(cls):
        return {cls.HELPED: _l("Helped"), cls.PARTLY: _l("Partly helped"), cls.NOT_HELPED: _l("Did not help")}


class NameShown(LabelledEnum):
    """How the organization's page names the person, as the consent allows."""

    INITIALS = "initials"
    FIRST_NAME = "first_name"

    @classmethod
    def labels(cls):
        return {cls.INITIALS: _l("Initials only"), cls.FIRST_NAME: _l("First name")}


class LinkPurpose(LabelledEnum):
    ANSWER = "answer"  # accept or decline a sent referral
    OUTCOME = "outcome"  # report that work started, or the outcome

    @classmethod
    def labels(cls):
        return {cls.ANSWER: _l("Answer"), cls.OUTCOME: _l("Outcome")}


referral_challenge = sa.Table(
    "referral_challenge",
    db.metadata,
    sa.Column("referral_id", sa.ForeignKey("referral.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("challenge_id", sa.ForeignKey("case_challenge.id", ondelete="CASCADE"), primary_key=True),
)


class Referral(db.Model):
    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    # Not named `service_id` in Python: the catalog's search index re-indexes the service of any
    # changed row with a `service_id` attribute, and a referral changes nothing in the catalog.
    to_service_id: Mapped[str] = mapped_column("service_id", ID, sa.ForeignKey("service.id"), index=True)
    organization_id: Mapped[str] = mapped_column(ID, sa.ForeignKey("organization.id"), index=True)
    # The consent the referral rests on; withdrawing it cancels the referral while open.
    consent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("case_consent.id"), index=True)
    status: Mapped[ReferralStatus] = mapped_column(
        enum_column(ReferralStatus), default=ReferralStatus.DRAFT, index=True
    )
    note: Mapped[str] = mapped_column(EncryptedText("referral.note"), default="")  # for the organization
    name_shown: Mapped[NameShown] = mapped_column(enum_column(NameShown), default=NameShown.INITIALS)
    to_email: Mapped[str | None] = mapped_column(sa.String(254))
    follow_up_on: Mapped[date | None] = mapped_column(index=True)
    decline_reason: Mapped[DeclineReason | None] = mapped_column(enum_column(DeclineReason))
    outcome: Mapped[ReferralOutcome | None] = mapped_column(enum_column(ReferralOutcome))
    closing_note: Mapped[str] = mapped_column(
        EncryptedText("referral.closing_note"), default=""
    )  # why declined / cancelled
    # The first appointment the organization proposes when it accepts through its link: stored
    # in UTC (shown on the office's clock), with its own words (where to come, whom to ask for).
    appointment_at: Mapped[datetime | None] = mapped_column(index=True)
    appointment_note: Mapped[str] = mapped_column(EncryptedText("referral.appointment_note"), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    sent_at: Mapped[datetime | None] = mapped_column(index=True)  # trend figures by month of sending
    record_key: Mapped[int] = mapped_column(default=new_record_key)  # trend reports only
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    case: Mapped[Case] = relationship()
    service: Mapped[Service] = relationship()
    organization: Mapped[Organization] = relationship()
    challenges: Mapped[list[Challenge]] = relationship(secondary=referral_challenge, order_by=Challenge.id)
    events: Mapped[list["ReferralEvent"]] = relationship(
        back_populates="referral", cascade="all, delete-orphan", order_by="ReferralEvent.id"
    )

    __mapper_args__ = {"version_id_col": version_id}
    # One referral per service per case: a second one is a follow-up of the first, not a new row.
    __table_args__ = (sa.UniqueConstraint("case_id", "service_id", name="uq_referral_case_service"),)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReferralEvent(db.Model):
    """One change of a referral: when, from which status to which, and who made it."""

    __tablename__ = "referral_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(sa.ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)  # capacity declines by month
    from_status: Mapped[str | None] = mapped_column(sa.String(20))
    to_status: Mapped[str] = mapped_column(sa.String(20))
    # A team member, or None with by_organization set: the organization answered via its link.
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    by_organization: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(EncryptedText("referral_event.note"), default="")

    referral: Mapped[Referral] = relationship(back_populates="events")


class ReferralLink(db.Model):
    """A single-use, expiring link for the organization; only the secret's hash is kept."""

    __tablename__ = "referral_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(sa.ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    purpose: Mapped[LinkPurpose] = mapped_column(enum_column(LinkPurpose))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    referral: Mapped[Referral] = relationship()
