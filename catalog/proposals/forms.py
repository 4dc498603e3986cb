"""The partner's proposal forms (the staff forms' own checks for phones, address and hours)
and the curators' decision forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from catalog import hours
from catalog.proposals.fields import show, to_json
from catalog.staff.forms import (
    ContactFieldsForm,
    email_field,
    lines,
    valid_exceptions,
    valid_weekly_hours,
    web_field,
)

NOTE_MAX = 2000


class _ProposalForm(ContactFieldsForm):
    note = TextAreaField(_l("A note for the office (optional)"), validators=[Optional(), Length(max=NOTE_MAX)])

    def fill(self, current: dict) -> None:
        """Pre-fill every field with the entry as it is now (GET)."""
        self.fill_contact(current["phones"], current["address"])
        for name, value in current.items():
            if name in self._fields and name not in ("phones",):
                self[name].data = show(name, value) if isinstance(value, list) else (value or "")

    def _text(self, name: str):
        return to_json(name, self[name].data or "")

    def proposed_values(self) -> dict:
        return {"phones": lines(self.phones.data), "address": self.address()}


class ServiceProposalForm(_ProposalForm):
    email = email_field()
    url = web_field(_l("Web page"))
    weekly_hours = TextAreaField(_l("Opening hours"), validators=[Optional(), valid_weekly_hours])
    exceptions = TextAreaField(_l("Exceptions (holidays, special days)"), validators=[Optional(), valid_exceptions])
    eligibility_description = TextAreaField(_l("Who it is for"), validators=[Optional(), Length(max=5000)])
    application_process = TextAreaField(_l("How to apply"), validators=[Optional(), Length(max=5000)])
    documents = TextAreaField(_l("What to bring (one document per line)"), validators=[Optional()])

    def fill(self, current: dict) -> None:
        super().fill(current)
        self.weekly_hours.data = show("weekly", current["weekly"])

    def proposed_values(self) -> dict:
        return {
            **super().proposed_values(),
            "email": self._text("email"),
            "url": self._text("url"),
            "weekly": to_json("weekly", hours.parse_weekly(self.weekly_hours.data or "")),
            "exceptions": to_json("exceptions", hours.parse_exceptions(self.exceptions.data or "")),
            "eligibility_description": self._text("eligibility_description"),
            "application_process": self._text("application_process"),
            "documents": lines(self.documents.data),
        }


class OrganizationProposalForm(_ProposalForm):
    email = email_field()
    website = web_field(_l("Web page"))

    def proposed_values(self) -> dict:
        return {**super().proposed_values(), "email": self._text("email"), "website": self._text("website")}


class ApproveForm(FlaskForm):
    # The proposal's version when the page was loaded: a page from before a decision saves nothing.
    version_id = HiddenField(validators=[InputRequired()])
    overwrite = BooleanField(_l("Apply the proposed values anyway, replacing what was changed since"))


class RejectForm(FlaskForm):
    version_id = HiddenField(validators=[InputRequired()])
    reason = TextAreaField(
        _l("Why the change is not applied (the partner sees this)"),
        validators=[DataRequired(message=_l("Tell the partner why the change is not applied.")), Length(max=NOTE_MAX)],
    )
