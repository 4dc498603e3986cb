"""The upload and delete forms of a case's documents."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from cases.documents.services import DELETE_REASONS
from welfare.forms import SingleLine


class UploadForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(message=_l("Name the document, e.g. “Decision of the social work centre”.")),
            Length(max=200),
            SingleLine(),
        ],
    )
    note = TextAreaField(_l("Note (optional)"), validators=[Length(max=5000)])
    # The file is checked by the service (size, and its type from its first bytes).
    file = FileField(_l("File"))


def _reasons():
    return [("", _l("Choose…"))] + [(key, label) for key, label in DELETE_REASONS.items()]


class DeleteForm(FlaskForm):
    reason = SelectField(
        _l("Why is the document deleted?"),
        choices=_reasons,
        validators=[DataRequired(message=_l("Choose why the document is deleted."))],
    )
