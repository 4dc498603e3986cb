"""Intake forms: the walk-in (person, case, first challenges) and the anonymous contact.

Fields validate themselves with translated messages; a form that fails keeps every value typed.
"""

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, HiddenField, RadioField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.fields import FieldList, FormField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from cases import places
from cases.intake.fields import (
    CheckboxListField,
    DayField,
    SettlementField,
    WholeNumberField,
    at_least_one,
    domain_choices,
    team_choices,
)
from cases.intake.persons import PersonData
from cases.intake.services import ChallengeData
from cases.models import Channel, ContactAction, Gender, LegalBasis, Urgency
from cases.services import today
from welfare.forms import SingleLine

PHONE_RE = re.compile(r"^\+?[0-9 ()/-]{6,30}$")
INTAKE_CHALLENGE_ROWS = 3


def not_in_future(form, field):
    if field.data and field.data > today():
        raise ValidationError(_l("The date cannot be in the future."))


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


class IntakeForm(CaseFieldsForm):
    """A walk-in who is not on file yet: their minimal identity, then the case."""

    first_name = StringField(
        _l("First name"), validators=[DataRequired(message=_l("Enter the first name.")), Length(max=100), SingleLine()]
    )
    last_name = StringField(
        _l("Last name"), validators=[DataRequired(message=_l("Enter the last name.")), Length(max=100), SingleLine()]
    )
    birth_date = DayField(_l("Date of birth"), validators=[Optional(), not_in_future])
    birth_year = WholeNumberField(
        _l("Year of birth (if the date is not known)"),
        validators=[Optional(), NumberRange(1900, 2100, message=_l("Enter a year of birth such as 1984."))],
    )
    gender = SelectField(_l("Gender"), choices=Gender.choices, default=Gender.UNKNOWN.value)
    # Suggestions from the municipalities' list (a datalist); anything else may be typed.
    municipality = StringField(
        _l("Municipality"), validators=[Optional(), Length(max=100), SingleLine()], render_kw={"list": "municipalities"}
    )
    # Never free text: the trend reports count by settlement (see cases.places).
    settlement = SettlementField(_l("Settlement"))
    phone = StringField(
        _l("Phone (optional)"), validators=[Optional(), Length(max=40), SingleLine()], render_kw={"type": "tel"}
    )
    email = StringField(
        _l("E-mail (optional)"),
        validators=[Optional(), Email(message=_l("Enter a valid e-mail address.")), Length(max=254), SingleLine()],
        render_kw={"type": "email"},
    )

    def validate_birth_date(self, field):
        if field.data and field.data.year < 1900:
            raise ValidationError(_l("Enter a date of birth after 1900."))

    def validate_birth_year(self, field):
        if field.data is not None and field.data > today().year:
            raise ValidationError(_l("The year of birth cannot be in the future."))
        if field.data is not None and self.birth_date.data and self.birth_date.data.year != field.data:
            raise ValidationError(_l("The year of birth does not match the date of birth."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Checked here, not per field: Optional() skips a field's own checks when it is empty.
        if self.birth_date.data is None and self.birth_year.data is None and not self.birth_date.errors:
            if not self.birth_year.errors:
                self.birth_year.errors = [_l("Enter the date of birth or at least the year of birth.")]
            return False
        return valid

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.settlement.municipality_field = self.municipality

    def validate_settlement(self, field):
        chosen = field.data or ""
        if not chosen:
            return
        municipality = places.municipality_name(self.municipality.data or "")
        if not municipality:
            raise ValidationError(_l("Enter the municipality first: a settlement is recorded with its municipality."))
        if not places.has_settlements(municipality):
            raise ValidationError(
                _(
                    "Settlements are recorded only for the municipalities of the region: "
                    "for %(municipality)s choose “not recorded”.",
                    municipality=municipality,
                )
            )
        if chosen != places.OTHER and not places.is_official(municipality, chosen):
            # gettext, not lazy: a lazy string is rendered unescaped, and these name what was typed.
            raise ValidationError(
                _(
                    "%(settlement)s is not a settlement of %(municipality)s. Choose one from the "
                    "municipality's list, or “other (not on the list)”.",
                    settlement=chosen,
                    municipality=municipality,
                )
            )

    def validate_phone(self, field):
        if field.data and not PHONE_RE.match(field.data.strip()):
            raise ValidationError(_l("Enter a phone number with digits, spaces and + only."))

    def person_data(self) -> PersonData:
        return PersonData(
            first_name=self.first_name.data,
            last_name=self.last_name.data,
            birth_date=self.birth_date.data,
            birth_year=self.birth_year.data,
            gender=Gender(self.gender.data),
            municipality=places.municipality_name(self.municipality.data or ""),
            settlement=self.settlement.data or "",
            phone=self.phone.data,
            email=self.email.data,
        )

    @property
    def birth_year_value(self) -> int | None:
        return self.birth_date.data.year if self.birth_date.data else self.birth_year.data


class ExistingPersonIntakeForm(CaseFieldsForm):
    """A new case for someone already on file: only the case is asked for."""


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
