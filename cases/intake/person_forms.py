"""Person forms: the identity fields the walk-in and the edit page share, the edit page (GDPR
Art. 16) and the merge of a duplicate."""

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, ValidationError
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from cases import places
from cases.fields import SettlementField
from cases.intake.persons import PersonData
from cases.models import Gender, Person
from welfare.clock import today
from welfare.fields import DayField, WholeNumberField
from welfare.forms import SingleLine

PHONE_RE = re.compile(r"^\+?[0-9 ()/-]{6,30}$")


def not_in_future(form, field):
    if field.data and field.data > today():
        raise ValidationError(_l("The date cannot be in the future."))


def valid_phone(form, field):
    if field.data and not PHONE_RE.match(field.data.strip()):
        raise ValidationError(_l("Enter a phone number with digits, spaces and + only."))


def PhoneField(label) -> StringField:
    return StringField(
        label, validators=[Optional(), Length(max=40), SingleLine(), valid_phone], render_kw={"type": "tel"}
    )


def EmailField(label) -> StringField:
    return StringField(
        label,
        validators=[Optional(), Email(message=_l("Enter a valid e-mail address.")), Length(max=254), SingleLine()],
        render_kw={"type": "email"},
    )


class PersonFieldsForm(FlaskForm):
    """A person's minimal identity: the walk-in form and the person's edit page ask the same."""

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
    phone = PhoneField(_l("Phone (optional)"))
    email = EmailField(_l("E-mail (optional)"))

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


class PersonEditForm(PersonFieldsForm):
    """The person's edit page: the same fields, loaded with what is stored, and the version."""

    version_id = HiddenField()

    def load(self, person: Person) -> None:
        """Fill the form from the stored person (a GET)."""
        for name in ("first_name", "last_name", "birth_date", "birth_year", "municipality", "settlement"):
            getattr(self, name).data = getattr(person, name)
        self.birth_year.data = None if person.birth_date else person.birth_year
        self.gender.data = person.gender.value
        self.phone.data = person.phone or ""
        self.email.data = person.email or ""
        self.version_id.data = str(person.version_id)


class MergeChoiceForm(FlaskForm):
    """The duplicate to merge in, by its person number (shown on its page and in search)."""

    other_id = WholeNumberField(
        _l("Number of the duplicate person"),
        validators=[DataRequired(message=_l("Enter the number of the duplicate person."))],
    )


class MergeConfirmForm(FlaskForm):
    """The two records as they were shown: a merge of a record changed meanwhile is refused."""

    kept_version = HiddenField()
    other_version = HiddenField()
