from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from cases.access_log import AccessAction
from welfare.forms import SingleLine

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


# The filter's and the table's words for each action (lazy: they follow the request's language).
ACTION_LABELS = {
    AccessAction.VIEW: _l("View"),
    AccessAction.CREATE: _l("Create"),
    AccessAction.EDIT: _l("Edit"),
    AccessAction.PRINT: _l("Print"),
    AccessAction.EXPORT: _l("Export"),
    AccessAction.SEND: _l("Shared with an organization"),
}


def action_choices():
    """Evaluated per form, so the labels follow the request's language."""
    return [("", _l("Any action"))] + [(action.value, ACTION_LABELS[action]) for action in AccessAction]


class AccessLogFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    user = StringField(_l("Username"), validators=[Optional(), Length(max=64), SingleLine()])
    case = StringField(_l("Case number"), validators=[Optional(), Length(max=12), SingleLine()])
    date_from = DateField(_l("From (date)"), validators=[Optional()])
    date_to = DateField(_l("To (date)"), validators=[Optional()])
    action = SelectField(_l("Action"), choices=action_choices, validators=[Optional()])

    def _in_range(self, field):
        if field.data and not EARLIEST <= field.data <= LATEST:
            raise ValidationError(_l("Enter a date between 2000 and 2100."))

    def validate_date_from(self, field):
        self._in_range(field)

    def validate_date_to(self, field):
        self._in_range(field)
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end of the period is before its start."))
