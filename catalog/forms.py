from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from welfare.forms import SingleLine


class ChangeReportForm(FlaskForm):
    message = TextAreaField(
        _l("What is wrong or has changed?"),
        validators=[
            DataRequired(message=_l("Describe what should be changed.")),
            Length(min=10, max=2000, message=_l("Write between 10 and 2000 characters.")),
        ],
    )
    reporter_contact = StringField(
        _l("Your e-mail (optional, only if you want a reply)"),
        validators=[
            Optional(),
            Length(max=254),
            Email(message=_l("Enter a valid e-mail address or leave the field empty.")),
            SingleLine(),
        ],
    )
