"""Forms of the data-subject export and the erasure."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length, ValidationError

from cases.privacy.erasure import ERASURE_REASONS
from cases.privacy.export import EXPORT_PURPOSES
from welfare.forms import SingleLine


class ExportForm(FlaskForm):
    """Why the data is exported; a GET form (reading, like opening the person's page)."""

    class Meta:
        csrf = False

    purpose = SelectField(
        _l("Why is the data exported?"),
        choices=lambda: [("", _l("Choose a purpose"))] + list(EXPORT_PURPOSES.items()),
        validators=[InputRequired(_l("Choose why the data is exported."))],
        validate_choice=False,  # validate_purpose says it in our words
    )

    def validate_purpose(self, field):
        if field.data not in EXPORT_PURPOSES:
            raise ValidationError(_l("Choose why the data is exported."))


class FindPersonForm(FlaskForm):
    """The administrator names the person by number or case number (admins never search names)."""

    class Meta:
        csrf = False

    person = StringField(
        _l("Person number or case number"),
        validators=[InputRequired(_l("Enter a person number or a case number.")), Length(max=20), SingleLine()],
    )


class ErasureForm(FlaskForm):
    reason = SelectField(
        _l("Legal ground of the erasure"),
        choices=lambda: [("", _l("Choose the legal ground"))] + list(ERASURE_REASONS.items()),
        validators=[InputRequired(_l("Choose the legal ground of the erasure."))],
        validate_choice=False,  # validate_reason says it in our words
    )
    confirm = StringField(
        _l("To confirm, type the person number or one of their case numbers"),
        validators=[
            InputRequired(_l("Type the person number or one of their case numbers.")),
            Length(max=20),
            SingleLine(),
        ],
    )

    def validate_reason(self, field):
        if field.data not in ERASURE_REASONS:
            raise ValidationError(_l("Choose the legal ground of the erasure."))
