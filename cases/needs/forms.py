from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from cases.fields import domain_choices
from cases.needs.models import NeedKind


class NeedForm(FlaskForm):
    domain_id = SelectField(_l("Life domain"), validators=[DataRequired(message=_l("Choose a life domain."))])
    kind = RadioField(
        _l("What was missing"),
        choices=NeedKind.choices,
        validators=[InputRequired(message=_l("Choose what was missing."))],
    )
    note = TextAreaField(_l("Short note"), validators=[Optional(), Length(max=500)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.domain_id.choices = domain_choices()
