"""Form fields the intake forms share: dates and times with translated messages, checkbox lists,
and choice lists filled from the database when a form is built."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import DateField, DateTimeLocalField, IntegerField, SelectField, SelectMultipleField, widgets
from wtforms.validators import StopValidation
from wtforms.widgets import html_params

from cases import places
from cases.intake import choices
from cases.services import OFFICE_TZ


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


def office_now() -> datetime:
    """Now on the office's wall clock, to the minute (the default time of a timeline entry)."""
    return datetime.now(OFFICE_TZ).replace(tzinfo=None, second=0, microsecond=0)


def team_choices() -> list[tuple[int, str]]:
    return [(u.id, u.full_name or u.username) for u in choices.office_team()]


def domain_choices(blank: bool = True) -> list[tuple[str, str]]:
    options = [(t.id, t.name) for t in choices.domain_terms()]
    return ([("", _l("— choose —"))] if blank else []) + options


class SettlementSelect:
    """A <select> of "not recorded", "other (not on the list)" and one optgroup of official
    settlements per municipality; works without JavaScript.

    A name can be a settlement of two municipalities (Potok, Suhor...), so the chosen one is
    marked selected only once: in the group of the municipality on the form when it is there.
    """

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        chosen_group = field.chosen_group()
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        for value, label in field.plain_choices():
            html.append(self._option(value, label, (field.data or "") == value))
        for group, names in field.groups().items():
            html.append(f"<optgroup {html_params(label=group)}>")
            html.extend(self._option(name, name, group == chosen_group and name == field.data) for name in names)
            html.append("</optgroup>")
        html.append("</select>")
        return Markup("".join(html))  # noqa: S704 (every value went through html_params or escape)

    @staticmethod
    def _option(value, label, selected: bool) -> str:
        return f"<option {html_params(value=value, selected=selected)}>{escape(label)}</option>"


class SettlementField(SelectField):
    """The settlement of a person: "", `places.OTHER` or an official settlement's name.

    Whether the name belongs to the municipality is the form's check (`validate_settlement`):
    the field only knows the municipality field it is paired with (`municipality_field`).
    """

    widget = SettlementSelect()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, choices=[], validate_choice=False, **kwargs)
        self.municipality_field = None

    def plain_choices(self) -> list[tuple[str, str]]:
        return [("", _l("— not recorded —")), (places.OTHER, _l("Other (not on the list)"))]

    @staticmethod
    def groups() -> dict[str, list[str]]:
        return places.settlement_lists()

    def municipality(self) -> str:
        """The municipality typed on the form, spelled as listed when it is one."""
        typed = self.municipality_field.data if self.municipality_field is not None else ""
        return places.municipality_name(typed or "")

    def chosen_group(self) -> str | None:
        """The optgroup whose option shows the chosen name: the form's municipality when the
        name is one of its settlements, else the first municipality that has that name."""
        if not self.data or self.data == places.OTHER:
            return None
        groups = self.groups()
        municipality = self.municipality()
        if self.data in groups.get(municipality, []):
            return municipality
        return next((group for group, names in groups.items() if self.data in names), None)
