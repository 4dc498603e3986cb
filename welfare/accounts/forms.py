from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from welfare.forms import SingleLine

PASSWORD_HINT = _l("At least 10 characters; a few unrelated words make a good password.")


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(message=_l("Enter a password.")), Length(max=1024)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[EqualTo("password", message=_l("The passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Set password"))


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your current password.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )


class ResetRequestForm(FlaskForm):
    name = StringField(
        _l("Username or e-mail address"),
        validators=[DataRequired(message=_l("Enter your username or e-mail address.")), Length(max=254), SingleLine()],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    submit = SubmitField(_l("Send the link"))


class SetupCodeForm(FlaskForm):
    code = StringField(
        _l("Code from the app"),
        validators=[DataRequired(message=_l("Enter the code.")), Length(max=32), SingleLine()],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    submit = SubmitField(_l("Confirm"))


class RegenerateForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your current password.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("New recovery codes"))
