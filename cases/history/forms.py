from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import Optional

from cases.history.registry import kind_choices


def _choices():
    """Evaluated per form, so the labels follow the request's language."""
    return [("", _l("All events"))] + kind_choices()


class HistoryFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing; its only value is a kind, never personal data

    kind = SelectField(_l("Show"), choices=_choices, validators=[Optional()])
