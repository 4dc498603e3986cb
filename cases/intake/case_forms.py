"""Forms on an open case: edit, close, reopen, challenges, timeline entries, consents.

Forms that change a shared record carry the `version_id` they were loaded with (optimistic
locking: a stale save gets a conflict message instead of overwriting someone else's).
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from cases.fields import consent_organizations, domain_choices, provider_types, team_choices
from cases.intake.services import ChallengeData, OpenWork
from cases.intake.walk_in_forms import legal_basis_choices, not_in_future
from cases.models import CONSENT_TEXT_VERSIONS, CaseOutcome, CaseStatus, EntryKind, Urgency
from welfare.clock import office_now, today
from welfare.fields import CheckboxListField, DayField, MomentField, at_least_one, choice_value


class VersionedForm(FlaskForm):
    version_id = HiddenField()


class EditCaseForm(VersionedForm):
    legal_basis = SelectField(
        _l("Legal basis for processing"),
        choices=legal_basis_choices,
        coerce=choice_value,
        validators=[DataRequired(message=_l("Choose the legal basis for processing the person's data."))],
    )
    status = SelectField(
        _l("Status"),
        choices=lambda: [(s.value, s.label) for s in (CaseStatus.OPEN, CaseStatus.ACTIVE)],
        coerce=choice_value,
    )
    assignees = CheckboxListField(
        _l("Assigned to"),
        coerce=int,
        validators=[at_least_one(_l("Assign the case to at least one team member."))],
    )
    follow_up_on = DayField(_l("Follow-up date"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignees.choices = team_choices()


class CloseCaseForm(VersionedForm):
    outcome = SelectField(
        _l("Outcome"),
        choices=lambda: [("", _l("— choose —")), *CaseOutcome.choices()],
        validators=[DataRequired(message=_l("Choose the outcome to close the case."))],
    )
    outcome_note = TextAreaField(_l("Note on the outcome (optional)"), validators=[Optional(), Length(max=5000)])
    closed_on = DayField(
        _l("Closed on"), default=today, validators=[InputRequired(message=_l("Enter the date.")), not_in_future]
    )
    # Asked only when the case has open plan steps or referrals; the service decides whether a
    # choice is needed, so the form accepts none.
    open_work = RadioField(
        _l("What happens to them?"),
        choices=[
            (OpenWork.CANCEL.value, _l("Cancel them, with the reason below")),
            (OpenWork.KEEP.value, _l("Keep them open and close the case anyway")),
        ],
        validate_choice=False,
    )
    cancel_reason = TextAreaField(
        _l("Reason for cancelling (the organizations see it)"), validators=[Optional(), Length(max=2000)]
    )


class ReopenCaseForm(VersionedForm):
    """A button on the case page; the version catches a case closed or reopened meanwhile."""


class ChallengeForm(VersionedForm):
    domain_id = SelectField(
        _l("Life domain"), validators=[DataRequired(message=_l("Choose the life domain of this challenge."))]
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    urgency = SelectField(_l("Urgency"), choices=Urgency.choices, default=Urgency.MEDIUM.value, coerce=choice_value)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.domain_id.choices = domain_choices()

    def to_data(self) -> ChallengeData:
        return ChallengeData(self.domain_id.data, self.description.data or "", Urgency(self.urgency.data))


def _entry_kinds() -> list[tuple[str, str]]:
    """What a team member records; closing and reopening entries are written by the case itself."""
    return [(k.value, k.label) for k in EntryKind if k not in (EntryKind.CASE_CLOSED, EntryKind.CASE_REOPENED)]


class TimelineEntryForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=_entry_kinds, default=EntryKind.NOTE.value)
    occurred_at = MomentField(
        _l("When"), default=office_now, validators=[InputRequired(message=_l("Enter the date and time."))]
    )
    text = TextAreaField(_l("Text"), validators=[DataRequired(message=_l("Write what happened.")), Length(max=50000)])


class ConsentForm(FlaskForm):
    scope = TextAreaField(
        _l("What the person agrees to share"),
        validators=[DataRequired(message=_l("Describe what may be shared.")), Length(max=5000)],
    )
    # No Optional(): the check that exactly one recipient is chosen must run on an empty choice too.
    organization_id = SelectField(_l("With this organization"), default="")
    provider_type_id = SelectField(_l("Or with any organization of this kind"), validators=[Optional()])
    text_version = SelectField(_l("Consent text shown to the person"), choices=[(v, v) for v in CONSENT_TEXT_VERSIONS])
    given_on = DayField(
        _l("Given on"), default=today, validators=[InputRequired(message=_l("Enter the date.")), not_in_future]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        blank = [("", _l("— none —"))]
        self.organization_id.choices = blank + [(o.id, o.name) for o in consent_organizations()]
        self.provider_type_id.choices = blank + [(t.id, t.name) for t in provider_types()]

    def validate_organization_id(self, field):
        if bool(field.data) == bool(self.provider_type_id.data):
            raise ValidationError(_l("Choose either one organization or a kind of organization."))


class WithdrawConsentForm(VersionedForm):
    withdrawn_on = DayField(
        _l("Withdrawn on"), default=today, validators=[InputRequired(message=_l("Enter the date.")), not_in_future]
    )
