"""The history of a person's record: each correction (GDPR Art. 16) and merge, field by field."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from welfare.crypto import EncryptedText
from welfare.database import utcnow
from welfare.enums import LabelledEnum, enum_column
from welfare.extensions import db
from welfare.models import User


class PersonChangeKind(LabelledEnum):
    EDIT = "edit"  # corrected on the person's edit page
    CONTACTS = "contacts"  # phone or e-mail typed at intake, saved to the person chosen there
    MERGED_IN = "merged_in"  # a duplicate was merged into this person (a field it filled)
    MERGED_INTO = "merged_into"  # this person was merged into another

    @classmethod
    def labels(cls):
        return {
            cls.EDIT: _l("Corrected"),
            cls.CONTACTS: _l("Contacts from intake"),
            cls.MERGED_IN: _l("Duplicate merged in"),
            cls.MERGED_INTO: _l("Merged into another person"),
        }


# The person's fields a change row may name, with their labels for the history page.
PERSON_FIELD_LABELS = {
    "first_name": _l("First name"),
    "last_name": _l("Last name"),
    "birth_date": _l("Date of birth"),
    "birth_year": _l("Year of birth"),
    "gender": _l("Gender"),
    "municipality": _l("Municipality"),
    "settlement": _l("Settlement"),
    "phone": _l("Phone"),
    "email": _l("E-mail"),
    "cases": _l("Cases"),
}


class PersonChange(db.Model):
    """One changed field of a person (old and new value encrypted like the rest of a case's text)."""

    __tablename__ = "person_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    kind: Mapped[PersonChangeKind] = mapped_column(enum_column(PersonChangeKind))
    field: Mapped[str] = mapped_column(sa.String(40), default="")
    old_value: Mapped[str] = mapped_column(EncryptedText("person_change.old_value"), default="")
    new_value: Mapped[str] = mapped_column(EncryptedText("person_change.new_value"), default="")
    # The other person of a merge (the duplicate merged in, or the person merged into).
    other_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"))

    user: Mapped[User | None] = relationship()

    @property
    def field_label(self) -> str:
        return str(PERSON_FIELD_LABELS.get(self.field, self.field))
