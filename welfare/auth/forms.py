from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from welfare.forms import SingleLine


class LoginForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[DataRequired(message=_l("Enter your username.")), Length(max=64), SingleLine()],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(message=_l("Enter the code.")), Length(max=32), SingleLine()],
        render_kw={
            "autocomplete": "one-time-code",
            "inputmode": "text",
            "autocapitalize": "none",
            "spellcheck": "false",
        },
    )
    submit = SubmitField(_l("Continue"))


class LanguageForm(FlaskForm):
    lang = HiddenField()
    next = HiddenField()


class LiftLockForm(FlaskForm):
    username = HiddenField(validators=[DataRequired(), Length(max=64)])
