"""Forms of the plan and the deadlines. Fields validate themselves; the rules that need the case
(due dates not before it opened, a closed case) live in the services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from cases.access_log import PRINT_PURPOSES
from cases.models import DeadlineKind
from cases.plans.deadlines import APPEAL_DAYS
from cases.plans.models import GoalStatus, StepOwner, StepStatus
from welfare.fields import CheckboxListField, choice_value
from welfare.forms import SingleLine

DATE_MESSAGE = _l("Enter a date, e.g. 31. 12. 2026.")
# A date input sends ISO; a browser without one sends what was typed, often Slovenian style.
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d. %m. %Y"]


def day_field(label, *validators) -> DateField:
    return DateField(label, validators=list(validators), format=DATE_FORMATS, invalid_value_message=DATE_MESSAGE)


class ChoiceField(SelectField):
    """A select whose refusal of a value not on the list is translated, and which shows the
    saved enum member of a record as selected (see welfare.fields.choice_value)."""

    def __init__(self, *args, coerce=choice_value, **kwargs):
        super().__init__(*args, coerce=coerce, **kwargs)

    def pre_validate(self, form):
        if self.validate_choice and self.data not in {str(value) for value, _label in self.choices}:
            raise ValidationError(_l("Choose one of the options."))


class DaysField(IntegerField):
    """A whole number of days, with a translated message for anything else."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(_l("Enter the period as a whole number of days."))) from None


class VersionedForm(FlaskForm):
    """Carries the version of the record the form was loaded with (optimistic locking)."""

    version_id = HiddenField()


class GoalForm(VersionedForm):
    title = StringField(
        _l("Goal agreed with the person"),
        validators=[DataRequired(_l("Describe the goal.")), Length(max=300), SingleLine()],
    )
    status = ChoiceField(_l("Status"), choices=GoalStatus.choices, default=GoalStatus.OPEN.value)
    target_on = day_field(_l("Target date (optional)"), Optional())
    challenge_ids = CheckboxListField(_l("Challenges this goal answers"), coerce=int, validate_choice=False)

    def __init__(self, *args, challenges=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.challenge_ids.choices = list(challenges)


class StepForm(VersionedForm):
    title = StringField(
        _l("What is to be done"), validators=[DataRequired(_l("Describe the step.")), Length(max=300), SingleLine()]
    )
    owner = ChoiceField(_l("Who does it"), choices=StepOwner.choices, default=StepOwner.PERSON.value)
    owner_user_id = ChoiceField(_l("Team member"), choices=[], validate_choice=False)
    owner_organization_id = ChoiceField(_l("Organization"), choices=[], validate_choice=False)
    due_on = day_field(_l("By when"), Optional())
    status = ChoiceField(_l("Status"), choices=StepStatus.choices, default=StepStatus.OPEN.value)

    def __init__(self, *args, staff=(), organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_user_id.choices = [("", _l("Choose a team member"))] + list(staff)
        self.owner_organization_id.choices = [("", _l("Choose an organization"))] + list(organizations)

    def validate_owner_user_id(self, field):
        if self.owner.data == StepOwner.STAFF.value:
            if not field.data:
                raise ValidationError(_l("Choose the team member who does this step."))
            if field.data not in {value for value, _label in field.choices}:
                raise ValidationError(_l("Choose a team member from the list."))

    def validate_owner_organization_id(self, field):
        if self.owner.data == StepOwner.ORGANIZATION.value:
            if not field.data:
                raise ValidationError(_l("Choose the organization that does this step."))
            if field.data not in {value for value, _label in field.choices}:
                raise ValidationError(_l("Choose an organization from the list."))

    def owner_user(self) -> int | None:
        chosen = self.owner_user_id.data or ""
        return int(chosen) if chosen.isascii() and chosen.isdigit() else None  # "²" is a digit to isdigit


class ReviewForm(FlaskForm):
    review_on = day_field(_l("Review date"), InputRequired(_l("Enter the date of the review.")))


class ReviewHeldForm(FlaskForm):
    held_on = day_field(_l("Held on"), InputRequired(_l("Enter the day the review was held.")))
    note = TextAreaField(_l("What was agreed (internal note)"), validators=[Optional(), Length(max=5000)])


class DeadlineForm(FlaskForm):
    kind = ChoiceField(_l("Kind of deadline"), choices=DeadlineKind.choices, default=DeadlineKind.APPEAL.value)
    title = StringField(_l("Description"), validators=[Length(max=200), SingleLine()])
    served_on = day_field(
        _l("Date the decision was served"), InputRequired(_l("Enter the date the decision was served."))
    )
    days = DaysField(
        _l("Period in days"),
        default=APPEAL_DAYS,
        validators=[
            InputRequired(_l("Enter the period in days.")),
            NumberRange(min=1, max=365, message=_l("Enter a period between 1 and 365 days.")),
        ],
    )

    def validate_title(self, field):
        if self.kind.data == DeadlineKind.OTHER.value and not (field.data or "").strip():
            raise ValidationError(_l("Describe what the deadline is for."))


class DeadlinePreviewForm(FlaskForm):
    """What the deadline form's preview sends while the lawyer types: dates and numbers only,
    never the description (it may name the person)."""

    class Meta:
        csrf = False  # the app-wide CSRF check has read the X-CSRFToken header before the view

    kind = ChoiceField(choices=DeadlineKind.choices, validators=[Optional()], validate_choice=False)
    served_on = DeadlineForm.served_on
    days = DaysField(
        validators=[Optional(), NumberRange(min=1, max=365, message=_l("Enter a period between 1 and 365 days."))]
    )

    def period(self) -> int:
        """The days typed, or an appeal's 15 when the field is still empty."""
        return self.days.data if self.days.data is not None else APPEAL_DAYS


class PrintForm(FlaskForm):
    purpose = ChoiceField(
        _l("Why is the plan printed?"),
        choices=[(key, label) for key, label in PRINT_PURPOSES.items()],
        default="for_person",
    )


class ConfirmForm(FlaskForm):
    """A button that changes one thing (mark a deadline done): only the CSRF token."""
