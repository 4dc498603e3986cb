from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from welfare.forms import SingleLine
from welfare.models import Role


def _role_choices(partner: bool = False):
    """Partners are invited with their organization on the partners page; the plain user form
    offers the role only to an account that has it already."""
    return [(value, label) for value, label in Role.choices() if partner or value != Role.PARTNER.value]


EMAIL_MESSAGE = _l("Enter an e-mail address such as ana.novak@novomesto.si.")


class UserForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[Length(max=120), SingleLine()])
    email = EmailField(
        _l("E-mail address"),
        validators=[
            Optional(),
            Length(max=254),
            Email(message=EMAIL_MESSAGE, check_deliverability=False),
            SingleLine(),
        ],
    )
    role = SelectField(_l("Role"), validators=[DataRequired(message=_l("Choose a role."))])
    is_enabled = BooleanField(_l("Account enabled"), default=True)
    version_id = HiddenField()
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, partner: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = _role_choices(partner)


class NewUserForm(UserForm):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(message=_l("Enter a username.")),
            Length(min=3, max=64, message=_l("The username must have between 3 and 64 characters.")),
            Regexp(
                r"^[A-Za-z0-9._-]+$",
                message=_l("Use only letters without diacritics, digits, dots, dashes and underscores."),
            ),
            SingleLine(),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The enrollment link goes to this address: a new account needs one.
        self.email.validators = [
            DataRequired(message=_l("Enter the e-mail address the enrollment link goes to.")),
            *self.email.validators[1:],
        ]


class ActionForm(FlaskForm):
    """A button that posts (resend a link, confirm a role, remove a second factor)."""


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    action = StringField(_l("Action"), validators=[Length(max=64), SingleLine()])
    page = IntegerField(default=1)
