"""Forms of referrals: the referral itself, sending, status changes, and the organization's answer."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, RadioField, SearchField, SelectField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional

from cases.referrals.models import DeclineReason, NameShown, ReferralOutcome, ReferralStatus
from welfare.fields import CheckboxListField, DayField, MomentField, at_least_one
from welfare.forms import SingleLine


def _blank(choices):
    return lambda: [("", _l("— choose —")), *choices()]


class ReferralSearchForm(FlaskForm):
    """The catalog search inside a case: posted, never in a URL (the words can describe the person)."""

    q = SearchField(_l("What does the person need?"), validators=[Optional(), Length(max=200), SingleLine()])


class ReferralForm(FlaskForm):
    challenge_ids = CheckboxListField(
        _l("Challenges this referral addresses"),
        coerce=int,
        validators=[at_least_one(_l("Choose the challenges this referral addresses."))],
    )
    note = TextAreaField(_l("Note for the organization"), validators=[Optional(), Length(max=2000)])
    name_shown = RadioField(
        _l("How the organization sees the person's name"),
        choices=NameShown.choices,
        default=NameShown.INITIALS.value,
    )
    follow_up_on = DayField(_l("Follow-up date"), validators=[Optional()])
    to_email = EmailField(
        _l("Organization's e-mail"),
        validators=[Optional(), Email(message=_l("Enter a valid e-mail address.")), Length(max=254), SingleLine()],
    )

    def __init__(self, *args, challenges=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.challenge_ids.choices = list(challenges)


class VersionForm(FlaskForm):
    version_id = HiddenField(validators=[InputRequired()])


class SendForm(VersionForm):
    to_email = EmailField(
        _l("Send to e-mail (leave empty to hand over the link yourself)"),
        validators=[Optional(), Email(message=_l("Enter a valid e-mail address.")), Length(max=254), SingleLine()],
    )


def _staff_targets():
    return [(s.value, s.label) for s in ReferralStatus if s not in (ReferralStatus.DRAFT, ReferralStatus.SENT)]


class StatusForm(VersionForm):
    status = SelectField(_l("New state"), choices=_blank(_staff_targets), validators=[InputRequired()])
    # Needed only by some states; the service checks the one the chosen state needs.
    decline_reason = SelectField(
        _l("Reason for a decline"), choices=_blank(DeclineReason.choices), validate_choice=False
    )
    outcome = SelectField(_l("Outcome"), choices=_blank(ReferralOutcome.choices), validate_choice=False)
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class OrganizationAnswerForm(FlaskForm):
    """What the organization submits through its link (no account, CSRF protected)."""

    referral_id = HiddenField()
    action = RadioField(_l("Your answer"), validators=[InputRequired(message=_l("Choose your answer."))])
    # Each link shows only one of these two; the service checks the one the answer needs.
    decline_reason = SelectField(
        _l("Reason, if you decline"), choices=_blank(DeclineReason.choices), validate_choice=False
    )
    outcome = SelectField(
        _l("Outcome, if the work is finished"), choices=_blank(ReferralOutcome.choices), validate_choice=False
    )
    note = TextAreaField(_l("Message to the office (optional)"), validators=[Optional(), Length(max=2000)])
    # Only with an acceptance: the first appointment the organization offers the person.
    appointment_at = MomentField(_l("First appointment (optional)"), validators=[Optional()])
    appointment_note = TextAreaField(_l("About the appointment (optional)"), validators=[Optional(), Length(max=500)])

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.action.choices = list(actions)
