"""Unmet needs: what a person needed and no service could give (demand the catalog cannot meet).

Recorded by staff on a case instead of a referral, or made automatically when an organization
declines a referral for lack of capacity: that one is recorded as `WAITING_LIST` (the service
exists, but not for this person now), linked to the referral so it is counted once.
"""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cases.models import Case, LabelledEnum, enum_column, new_record_key
from catalog.models import ID
from welfare.crypto import EncryptedText
from welfare.database import utcnow
from welfare.extensions import db


class NeedKind(LabelledEnum):
    NO_SERVICE = "no_service"
    TOO_FAR = "too_far"
    WAITING_LIST = "waiting_list"
    NOT_ELIGIBLE = "not_eligible"
    COST = "cost"

    @classmethod
    def labels(cls):
        return {
            cls.NO_SERVICE: _l("No such service at all"),
            cls.TOO_FAR: _l("Too far away"),
            cls.WAITING_LIST: _l("Waiting list or no capacity"),
            cls.NOT_ELIGIBLE: _l("Not eligible"),
            cls.COST: _l("Too expensive"),
        }


class UnmetNeed(db.Model):
    __tablename__ = "unmet_need"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    # A term of the life-domain taxonomy, so trends compare unmet demand with supply.
    domain_id: Mapped[str] = mapped_column(ID, sa.ForeignKey("taxonomy_term.id"), index=True)
    kind: Mapped[NeedKind] = mapped_column(enum_column(NeedKind))
    note: Mapped[str] = mapped_column(EncryptedText("unmet_need.note"), default="")  # the form caps it at 500
    # Set when a capacity decline made it; such a need is not typed by anyone.
    referral_id: Mapped[int | None] = mapped_column(sa.ForeignKey("referral.id", ondelete="SET NULL"), unique=True)
    recorded_on: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    record_key: Mapped[int] = mapped_column(default=new_record_key)  # trend reports only

    case: Mapped[Case] = relationship()
