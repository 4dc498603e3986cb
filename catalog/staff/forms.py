"""Staff forms for organizations and services. Fields validate themselves; nothing typed is lost."""

import re

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
    ValidationError,
    widgets,
)
from wtforms.validators import URL, DataRequired, Email, Length, NumberRange, Optional

from catalog import hours
from catalog.models import (
    TAXONOMY_DOMAINS,
    TAXONOMY_PROVIDER_TYPES,
    TAXONOMY_TARGET_GROUPS,
    Organization,
    ServiceStatus,
    TaxonomyTerm,
)
from catalog.seed import known_areas
from catalog.staff.organizations import ORG_FIELDS
from catalog.staff.services import SERVICE_FIELDS, ServiceDetails
from welfare.extensions import db
from welfare.forms import SingleLine

PHONE_RE = re.compile(r"^\+?[0-9 ()/-]{6,30}$")
LANGUAGES = [
    ("sl", "slovenščina"),
    ("en", "angleščina"),
    ("hr", "hrvaščina"),
    ("sr", "srbščina"),
    ("bs", "bosanščina"),
    ("sq", "albanščina"),
    ("rom", "romščina"),
    ("hu", "madžarščina"),
    ("it", "italijanščina"),
    ("de", "nemščina"),
    ("uk", "ukrajinščina"),
    ("ru", "ruščina"),
    ("ar", "arabščina"),
    ("fa", "perzijščina"),
    ("sgn", "slovenski znakovni jezik"),
]
STATUS_LABELS = {
    ServiceStatus.ACTIVE: _l("Active"),
    ServiceStatus.INACTIVE: _l("Inactive"),
    ServiceStatus.TEMPORARILY_CLOSED: _l("Temporarily closed"),
    ServiceStatus.DEFUNCT: _l("Defunct"),
}


def valid_weekly_hours(form, field) -> None:
    """Opening hours as the catalog reads them ("pon-pet 08:00-15:00"); the parser's message."""
    try:
        hours.parse_weekly(field.data or "")
    except hours.HoursError as exc:
        raise ValidationError(str(exc)) from exc


def valid_exceptions(form, field) -> None:
    """Holidays and special days as the catalog reads them; the parser's message."""
    try:
        hours.parse_exceptions(field.data or "")
    except hours.HoursError as exc:
        raise ValidationError(str(exc)) from exc


class CheckboxListField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _terms(taxonomy_id: str) -> list[tuple[str, str]]:
    rows = db.session.scalars(
        sa.select(TaxonomyTerm).where(TaxonomyTerm.taxonomy_id == taxonomy_id).order_by(TaxonomyTerm.name)
    )
    return [(t.id, t.name) for t in rows]


def lines(text: str | None) -> list[str]:
    """One value per non-empty line (phone numbers, documents to bring)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def email_field() -> StringField:
    """An optional e-mail address of an entry (staff and partner forms alike)."""
    return StringField(
        _l("E-mail"),
        validators=[Optional(), Email(message=_l("Enter a valid e-mail address.")), Length(max=254), SingleLine()],
    )


def web_field(label) -> URLField:
    """An optional full web address of an entry (staff and partner forms alike)."""
    return URLField(
        label,
        validators=[
            Optional(),
            URL(message=_l("Enter a full web address, e.g. https://www.example.si.")),
            Length(max=500),
            SingleLine(),
        ],
    )


class ContactFieldsForm(FlaskForm):
    """Phone numbers and one street address, validated alike for services and organizations."""

    phones = TextAreaField(_l("Phone numbers (one per line)"), validators=[Optional()])
    address_1 = StringField(_l("Street and number"), validators=[Optional(), Length(max=300), SingleLine()])
    postal_code = StringField(_l("Postal code"), validators=[Optional(), Length(max=20), SingleLine()])
    city = StringField(_l("Town"), validators=[Optional(), Length(max=120), SingleLine()])

    def validate_phones(self, field):
        for number in lines(field.data):
            if not PHONE_RE.match(number):
                raise ValidationError(
                    # gettext, not the lazy _l: a LazyString is markup to Jinja (__html__), and the number is typed
                    _('"%(number)s" is not a phone number; use digits, spaces and + only.', number=number)
                )

    def validate_postal_code(self, field):
        if field.data and not re.fullmatch(r"\d{4}", field.data.strip()):
            raise ValidationError(_l("A Slovenian postal code has four digits."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Checked here, not per field: Optional() skips a field's own checks when it is empty.
        filled = [bool((f.data or "").strip()) for f in (self.address_1, self.postal_code, self.city)]
        if any(filled) and not all(filled):
            self.postal_code.errors = list(self.postal_code.errors) + [
                _l("Fill in street, postal code and town, or leave all three empty.")
            ]
            return False
        return valid

    def address(self) -> dict | None:
        if not (self.address_1.data or "").strip():
            return None
        return {
            "address_1": self.address_1.data.strip(),
            "postal_code": self.postal_code.data.strip(),
            "city": self.city.data.strip(),
        }

    def fill_contact(self, phones: list[str], address: dict | None) -> None:
        self.phones.data = "\n".join(phones)
        if address:
            self.address_1.data, self.postal_code.data, self.city.data = (
                address["address_1"],
                address["postal_code"],
                address["city"],
            )


class OrganizationForm(ContactFieldsForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(message=_l("Enter the name.")), Length(max=300), SingleLine()]
    )
    alternate_name = StringField(
        _l("Other name or abbreviation"), validators=[Optional(), Length(max=300), SingleLine()]
    )
    description = TextAreaField(_l("Description"), validators=[DataRequired(message=_l("Enter a description."))])
    provider_type = SelectField(_l("Provider type"), validators=[Optional()])
    email = email_field()
    website = web_field(_l("Website"))
    legal_status = StringField(_l("Legal status"), validators=[Optional(), Length(max=200), SingleLine()])
    source_note = TextAreaField(_l("Source of the information"), validators=[Optional()])
    needs_verification = BooleanField(_l("Needs verification"))
    version_id = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.provider_type.choices = [("", "—")] + _terms(TAXONOMY_PROVIDER_TYPES)

    def data_for_save(self) -> dict:
        data = {
            name: (self[name].data.strip() or None) if isinstance(self[name].data, str) else self[name].data
            for name in (*ORG_FIELDS, "provider_type")
        }
        return {**data, "phones": lines(self.phones.data), "address": self.address()}


class ServiceForm(ContactFieldsForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(message=_l("Enter the name.")), Length(max=300), SingleLine()]
    )
    alternate_name = StringField(
        _l("Other name or abbreviation"), validators=[Optional(), Length(max=300), SingleLine()]
    )
    organization_id = SelectField(_l("Organization"), validators=[DataRequired(message=_l("Choose the organization."))])
    description = TextAreaField(
        _l("What the service offers"), validators=[DataRequired(message=_l("Enter a description."))]
    )
    status = SelectField(
        _l("Status"),
        choices=[(s.value, label) for s, label in STATUS_LABELS.items()],
        default=ServiceStatus.ACTIVE.value,
    )
    domains = CheckboxListField(
        _l("Life domains"), validators=[DataRequired(message=_l("Choose at least one life domain."))]
    )
    target_groups = CheckboxListField(_l("Target groups"), validators=[Optional()])
    eligibility_description = TextAreaField(_l("Who it is for"), validators=[Optional()])
    minimum_age = IntegerField(
        _l("Minimum age"), validators=[Optional(), NumberRange(0, 120, message=_l("Enter an age between 0 and 120."))]
    )
    maximum_age = IntegerField(
        _l("Maximum age"), validators=[Optional(), NumberRange(0, 120, message=_l("Enter an age between 0 and 120."))]
    )
    application_process = TextAreaField(_l("How to apply"), validators=[Optional()])
    documents = TextAreaField(_l("What to bring (one document per line)"), validators=[Optional()])
    free_of_charge = BooleanField(_l("Free of charge"))
    fees_description = TextAreaField(_l("Costs"), validators=[Optional()])
    areas = SelectMultipleField(_l("Service area"), validators=[DataRequired(message=_l("Choose at least one area."))])
    languages = CheckboxListField(_l("Languages"), choices=LANGUAGES, validators=[Optional()])
    interpretation_services = StringField(_l("Interpretation"), validators=[Optional(), Length(max=500), SingleLine()])
    email = email_field()
    url = web_field(_l("Web page"))
    accessibility = TextAreaField(_l("Accessibility of the location"), validators=[Optional()])
    is_confidential_location = BooleanField(_l("Confidential location (the address is never shown publicly)"))
    weekly_hours = TextAreaField(_l("Opening hours"), validators=[Optional(), valid_weekly_hours])
    exceptions = TextAreaField(_l("Exceptions (holidays, special days)"), validators=[Optional(), valid_exceptions])
    alert = TextAreaField(_l("Short notice for visitors"), validators=[Optional()])
    source_note = TextAreaField(_l("Source of the information"), validators=[Optional()])
    needs_verification = BooleanField(_l("Needs verification"))
    version_id = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = db.session.scalars(
            sa.select(Organization).where(Organization.archived_at.is_(None)).order_by(Organization.name)
        )
        self.organization_id.choices = [("", "—")] + [(o.id, o.name) for o in orgs]
        self.domains.choices = _terms(TAXONOMY_DOMAINS)
        self.target_groups.choices = _terms(TAXONOMY_TARGET_GROUPS)
        self.areas.choices = [(a, a) for a in known_areas()]

    def validate_maximum_age(self, field):
        if field.data is not None and self.minimum_age.data is not None and field.data < self.minimum_age.data:
            raise ValidationError(_l("The maximum age must not be lower than the minimum age."))

    def scalar_data(self) -> dict:
        def clean(value):
            return (value.strip() or None) if isinstance(value, str) else value

        return {name: clean(self[name].data) for name in SERVICE_FIELDS}

    def details(self):
        address = self.address()
        return ServiceDetails(
            free_of_charge=self.free_of_charge.data,
            domains=list(self.domains.data or []),
            target_groups=list(self.target_groups.data or []),
            areas=sorted(self.areas.data or []),
            documents=lines(self.documents.data),
            phones=lines(self.phones.data),
            languages=sorted(self.languages.data or []),
            address=address,
            accessibility=(self.accessibility.data or "").strip(),
            weekly=hours.parse_weekly(self.weekly_hours.data or ""),
            exceptions=hours.parse_exceptions(self.exceptions.data or ""),
        )

    def fill_details(self, details) -> None:
        """Pre-fill the repeating parts from a stored service (GET)."""
        self.free_of_charge.data = details.free_of_charge
        self.domains.data, self.target_groups.data = details.domains, details.target_groups
        self.areas.data, self.languages.data = details.areas, details.languages
        self.documents.data = "\n".join(details.documents)
        self.fill_contact(details.phones, details.address)
        self.accessibility.data = details.accessibility
        self.weekly_hours.data = hours.format_weekly(details.weekly)
        self.exceptions.data = hours.format_exceptions(details.exceptions)


class ReportDecisionForm(FlaskForm):
    decision = HiddenField()


class TermForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(message=_l("Enter the name.")), Length(max=200), SingleLine()]
    )
    code = StringField(
        _l("Code"), validators=[DataRequired(message=_l("Enter a code.")), Length(max=100), SingleLine()]
    )
    description = TextAreaField(_l("Description"), validators=[Optional()])
    parent_id = SelectField(_l("Parent term"), validators=[Optional()])

    def set_parents(self, taxonomy, exclude_id: str | None = None) -> None:
        self.parent_id.choices = [("", "—")] + [(t.id, t.name) for t in taxonomy.terms if t.id != exclude_id]
