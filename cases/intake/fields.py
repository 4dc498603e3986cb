"""Choice fields of the case forms filled from the database when a form is built: the office
team, life domains, settlements. (Generic fields: welfare.fields.)"""

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import SelectField
from wtforms.widgets import html_params

from cases import places
from cases.intake import choices


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
