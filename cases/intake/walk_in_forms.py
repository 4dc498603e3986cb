"""Intake forms: the walk-in (person, case, first challenges) and the anonymous contact.

Fields validate themselves with translated messages; a form that fails keeps every value typed.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Form, HiddenField, RadioField, SelectField, TextAreaField, ValidationError
from wtforms.fields import FieldList, FormField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from cases.fields import domain_choices, team_choices
from cases.intake.person_forms import EmailField, PersonFieldsForm, PhoneField, not_in_future
from cases.intake.services import ChallengeData
from cases.models import Channel, ContactAction, LegalBasis, Urgency
from welfare.clock import today
from welfare.fields import CheckboxListField, DayField, at_least_one

INTAKE_CHALLENGE_ROWS = 3


def legal_basis_choices():
    return [("", _l("— choose —")), *LegalBasis.choices()]


class ChallengeRow(Form):
    """One challenge on the intake form; an untouched row is skipped."""

    # No Optional(): a description without a domain must still be caught below.
    domain_id = SelectField(_l("Life domain"), validate_choice=False)
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    urgency = SelectField(_l("Urgency"), choices=Urgency.choices, default=Urgency.MEDIUM.value)

    def validate_domain_id(self, field):
        if not field.data and (self.description.data or "").strip():
            raise ValidationError(_l("Choose the life domain of this challenge."))
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Choose a life domain from the list."))

    def to_data(self) -> ChallengeData | None:
        if not self.domain_id.data:
            return None
        return ChallengeData(self.domain_id.data, self.description.data or "", Urgency(self.urgency.data))


class CaseFieldsForm(FlaskForm):
    """What opening a case asks for, whether the person is new or known."""

    # Set when the case is for a person already on file (/cases/new?person=<id>).
    person_id = HiddenField()
    legal_basis = SelectField(
        _l("Legal basis for processing"),
        choices=legal_basis_choices,
        validators=[DataRequired(message=_l("Choose the legal basis for processing the person's data."))],
    )
    assignees = CheckboxListField(
        _l("Assigned to"),
        coerce=int,
        validators=[at_least_one(_l("Assign the case to at least one team member."))],
    )
    challenges = FieldList(FormField(ChallengeRow), min_entries=INTAKE_CHALLENGE_ROWS, max_entries=10)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignees.choices = team_choices()
        options = domain_choices()
        for row in self.challenges:
            row.form.domain_id.choices = options

    def challenge_data(self) -> list[ChallengeData]:
        return [data for row in self.challenges if (data := row.form.to_data()) is not None]

    def validate_challenges(self, field):
        if not self.challenge_data():
            raise ValidationError(_l("Record at least one challenge the person brings."))

    def legal_basis_value(self) -> LegalBasis | None:
        return LegalBasis(self.legal_basis.data) if self.legal_basis.data else None


class IntakeForm(PersonFieldsForm, CaseFieldsForm):
    """A walk-in who is not on file yet: their minimal identity, then the case."""


class ExistingPersonIntakeForm(CaseFieldsForm):
    """A new case for someone already on file: only the case is asked for, and the phone and
    e-mail typed before the person was chosen from the duplicate warning (saved to them if kept)."""

    phone = PhoneField(_l("Phone (optional)"))
    email = EmailField(_l("E-mail (optional)"))
    apply_contacts = BooleanField(_l("Save this phone and e-mail to the person's record"))

    def contacts(self) -> tuple[str | None, str | None] | None:
        """What the view passes on: the typed phone and e-mail, when they are to be saved."""
        if not self.apply_contacts.data or not (self.phone.data or self.email.data):
            return None
        return (self.phone.data, self.email.data)


class AnonymousContactForm(FlaskForm):
    """Thirty seconds: what it was about, how they came, what was done. No identity at all."""

    domains = CheckboxListField(_l("Life domains"), validators=[at_least_one(_l("Choose at least one life domain."))])
    channel = RadioField(
        _l("Channel"),
        choices=Channel.choices,
        default=Channel.IN_PERSON.value,
        validators=[DataRequired(message=_l("Choose how the person reached the office."))],
    )
    action = RadioField(
        _l("What was done"),
        choices=ContactAction.choices,
        default=ContactAction.INFORMED.value,
        validators=[DataRequired(message=_l("Choose what was done."))],
    )
    occurred_on = DayField(
        _l("Date"),
        default=today,
        validators=[InputRequired(message=_l("Enter the date.")), not_in_future],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.domains.choices = domain_choices(blank=False)
