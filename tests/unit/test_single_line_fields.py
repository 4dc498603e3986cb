"""Every single-line field of every form refuses line breaks (issue 21: a CR/LF in a service
name was stored, and the referral e-mail built from it then failed for good)."""

import importlib
import pkgutil
from pathlib import Path

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, PasswordField, StringField, TextAreaField
from wtforms.fields.core import UnboundField

import cases
import catalog
import welfare
from welfare.forms import SingleLine

# Never shown or stored as text: a password is only hashed; a hidden field carries an id or a version.
NOT_TEXT = (TextAreaField, PasswordField, HiddenField)


def _import_every_form_module() -> None:
    for package in (welfare, catalog, cases):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if ".migrations" in module.name:
                continue
            spec = importlib.util.find_spec(module.name)
            if spec.origin and Path(spec.origin).read_text(encoding="utf-8").count("FlaskForm"):
                importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _single_line_fields():
    _import_every_form_module()
    for form in set(_subclasses(FlaskForm)):
        if not form.__module__.startswith(("welfare.", "catalog.", "cases.")):
            continue
        for name in dir(form):
            field = getattr(form, name)
            if isinstance(field, UnboundField) and issubclass(field.field_class, StringField):
                if not issubclass(field.field_class, NOT_TEXT):
                    yield f"{form.__module__}.{form.__name__}.{name}", field


def test_the_walk_finds_the_fields_of_the_finding():
    names = {name for name, _field in _single_line_fields()}
    assert "catalog.staff.forms.ServiceForm.name" in names
    assert "cases.intake.walk_in_forms.IntakeForm.first_name" in names
    assert "cases.referrals.forms.SendForm.to_email" in names
    assert len(names) > 30


def test_every_single_line_field_refuses_line_breaks():
    missing = []
    for name, field in _single_line_fields():
        validators = field.kwargs.get("validators") or (field.args[1] if len(field.args) > 1 else ())
        if not any(isinstance(v, SingleLine) for v in validators):
            missing.append(name)
    assert not missing, f"single-line fields without SingleLine(): {missing}"


@pytest.mark.parametrize("value", ["Dolžniško\r\nBcc: x@example.com", "Dolžniško\nsvetovanje", "a\u2028b", "a\rb"])
def test_the_validator_refuses_each_kind_of_line_break(app, value):
    from catalog.learning.forms import PhraseForm

    with app.test_request_context():
        form = PhraseForm(formdata=MultiDict({"phrase": value}), meta={"csrf": False})
        assert not form.validate()
        assert form.phrase.errors == ["Enter this on one line, without line breaks."]
        assert form.phrase.data == value  # nothing typed is lost


def test_one_line_is_accepted(app):
    from catalog.learning.forms import PhraseForm

    with app.test_request_context():
        form = PhraseForm(formdata=MultiDict({"phrase": "dolg pri\tnajemnini"}), meta={"csrf": False})
        assert form.validate(), form.errors
