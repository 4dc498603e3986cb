"""What the case forms offer from the database, and the fields that show it: the office team,
life domains, kinds of organization, organizations a consent can name, settlements. Shared by the
rooms of cases/ (intake, needs, plans, referrals), so none of them imports another for a choice
list. (Places: cases.places; generic fields: welfare.fields; the wall clock: welfare.clock.)"""

import functools

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import SelectField
from wtforms.widgets import html_params

from cases import places
from catalog.models import TAXONOMY_DOMAINS, TAXONOMY_PROVIDER_TYPES, Organization, TaxonomyTerm
from welfare.extensions import db
from welfare.models import STAFF_ROLES, User


def office_team() -> list[User]:
    """The enabled members of the office team: who a case can be assigned to."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.role.in_(STAFF_ROLES), User.is_enabled.is_(True))
            .order_by(User.full_name, User.username)
        )
    )


def terms_of(taxonomy_id: str) -> list[TaxonomyTerm]:
    return list(
        db.session.scalars(
            sa.select(TaxonomyTerm).where(TaxonomyTerm.taxonomy_id == taxonomy_id).order_by(TaxonomyTerm.name)
        )
    )


def domain_terms() -> list[TaxonomyTerm]:
    """The life domains (the catalog's own taxonomy, so demand and supply compare)."""
    return terms_of(TAXONOMY_DOMAINS)


def provider_types() -> list[TaxonomyTerm]:
    return terms_of(TAXONOMY_PROVIDER_TYPES)


def consent_organizations() -> list[Organization]:
    """Organizations a consent can name: those of the catalog that are not archived."""
    return list(
        db.session.scalars(
            sa.select(Organization).where(Organization.archived_at.is_(None)).order_by(Organization.name)
        )
    )


def team_choices() -> list[tuple[int, str]]:
    return [(u.id, u.full_name or u.username) for u in office_team()]


def domain_choices(blank: bool = True) -> list[tuple[str, str]]:
    options = [(t.id, t.name) for t in domain_terms()]
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
            if group == chosen_group:
                html.append(f"<optgroup {html_params(label=group)}>")
                html.extend(self._option(name, name, name == field.data) for name in names)
                html.append("</optgroup>")
            else:
                html.append(_unselected_group(group, tuple(names)))
        html.append("</select>")
        return Markup("".join(html))  # noqa: S704 (every value went through html_params or escape)

    @staticmethod
    def _option(value, label, selected: bool) -> str:
        return f"<option {html_params(value=value, selected=selected)}>{escape(label)}</option>"


@functools.cache
def _unselected_group(group: str, names: tuple[str, ...]) -> str:
    """A municipality's optgroup with nothing selected, rendered once per process: the list holds
    about 1,000 settlements, and rendering each option anew took a fifth of an intake page's time."""
    options = "".join(SettlementSelect._option(name, name, False) for name in names)
    return f"<optgroup {html_params(label=group)}>{options}</optgroup>"


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
