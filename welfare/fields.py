"""Form fields every form of the office shares: dates and times with translated messages, whole
numbers, checkbox lists, and a select's value from a record's enum member."""

import enum

from flask_babel import lazy_gettext as _l
from wtforms import DateField, DateTimeLocalField, IntegerField, SelectMultipleField, widgets
from wtforms.validators import StopValidation


def choice_value(value) -> str:
    """`coerce` for a select filled from a record (`obj=`): the enum member's value.

    WTForms' default `str` turns a (str, Enum) member into "LegalBasis.SOCIAL_CARE", which no
    option matches, so the form opened with nothing selected and a save reset the choice."""
    return value.value if isinstance(value, enum.Enum) else str(value)


class DayField(DateField):
    """A date; a value the browser or the user typed wrong gets a translated message."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter a valid date.")) from None


class MomentField(DateTimeLocalField):
    """Date and time on the office's wall clock."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"])
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter a valid date and time.")) from None


class WholeNumberField(IntegerField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter a whole number.")) from None


class CheckboxListField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def at_least_one(message):
    """Like DataRequired for a checkbox list, without marking every single box `required`."""

    def _check(form, field):
        if not field.data:
            raise StopValidation(message)

    return _check
