from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, SelectField
from wtforms.validators import DataRequired, InputRequired, Optional

from cases.referrals.forms import OrganizationAnswerForm
from catalog.capacity import CapacityState, CapacityUnit
from welfare.admin.forms import NewUserForm


class PartnerAnswerForm(OrganizationAnswerForm):
    """The link page's answer, from the inbox: the version the page was loaded with catches a
    stale page, a double submit and an answer given meanwhile through the link."""

    version_id = HiddenField(validators=[InputRequired()])


class InviteForm(NewUserForm):
    """A new user form whose role is fixed (partner) and which names the organization."""

    organization_id = SelectField(
        _l("Organization"), validators=[DataRequired(message=_l("Choose the partner's organization."))]
    )

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        del self.role
        del self.is_enabled
        self.organization_id.choices = [("", _l("Choose…"))] + [(o.id, o.name) for o in organizations]


class CapacityForm(FlaskForm):
    state = RadioField(
        _l("How much room is there now?"),
        choices=[(s.value, s.label) for s in CapacityState],
        validators=[InputRequired(message=_l("Choose how much room the service has."))],
    )
    unit = SelectField(_l("Counted in"), choices=[(u.value, u.label) for u in CapacityUnit])
    total = IntegerField(_l("Capacity in total (optional)"), validators=[Optional()])
    free = IntegerField(_l("Free now (optional)"), validators=[Optional()])
    waiting_weeks = IntegerField(_l("Waiting list: about how many weeks?"), validators=[Optional()])
    show_waiting_publicly = BooleanField(_l("Residents may see the waiting time on the public service page"))
    version_id = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Labels are lazy: the choices are made per request, in the user's language.
        self.state.choices = [(s.value, s.label) for s in CapacityState]
        self.unit.choices = [(u.value, u.label) for u in CapacityUnit]
