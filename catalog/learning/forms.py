from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from welfare.forms import SingleLine


class TeachSynonymForm(FlaskForm):
    words = StringField(
        _l("Words"), validators=[DataRequired(message=_l("Enter the words to add.")), Length(max=200), SingleLine()]
    )
    group_id = IntegerField(_l("Synonym group"), validators=[Optional()])


class PinForm(FlaskForm):
    words = StringField(
        _l("Words"), validators=[DataRequired(message=_l("Enter the words to add.")), Length(max=200), SingleLine()]
    )
    service_id = StringField(
        _l("Service"), validators=[DataRequired(message=_l("Choose an existing service.")), SingleLine()]
    )


class SynonymForm(FlaskForm):
    terms = TextAreaField(_l("Words and phrases (one per line)"), validators=[Optional()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200), SingleLine()])


class PhraseForm(FlaskForm):
    phrase = StringField(
        _l("Everyday word or phrase"),
        validators=[DataRequired(message=_l("Enter the words to add.")), Length(max=200), SingleLine()],
    )


class ProposalForm(FlaskForm):
    """Accept a proposed phrase from the insights page (the words and the domain ride along)."""

    words = StringField(
        _l("Words"), validators=[DataRequired(message=_l("Enter the words to add.")), Length(max=200), SingleLine()]
    )
    domain = StringField(_l("Life situation"), validators=[DataRequired(), Length(max=100), SingleLine()])
