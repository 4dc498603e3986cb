"""Helpers shared by every feature's forms."""

import re

from flask import flash
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from welfare import params
from welfare.errors import DomainError
from welfare.extensions import db

# What str.splitlines() splits on: CR, LF and the other line and paragraph separators.
LINE_BREAK_RE = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def has_line_break(value: str | None) -> bool:
    return bool(value) and LINE_BREAK_RE.search(value) is not None


class SingleLine:
    """A one-line field (a name, a title, an address that may end up in an e-mail header)
    refuses line breaks: an <input> cannot hold one, so it came from a crafted post, and it
    would split a header or a CSV row later. Every single-line field of every form carries it
    (tests/unit/test_single_line_fields.py walks the forms)."""

    def __init__(self, message=None):
        self.message = message or _l("Enter this on one line, without line breaks.")

    def __call__(self, form, field):
        if isinstance(field.data, str) and has_line_break(field.data):
            raise ValidationError(self.message)


def submitted_version(raw: str | None) -> int | None:
    """The record version a form was rendered with (its hidden `version_id`), or None when the
    field is no whole number of ASCII digits within an id's range (a broken or tampered form:
    "²", "x", "-1" and twenty digits too), never an error page: the user form treats None as a
    stale form (shown again with everything typed), the catalog's forms as no version sent."""
    return params.whole_number(raw, low=0)


def show_domain_error(form, exc: DomainError) -> None:
    """Undo the failed action and show its message on the field it names (or as a flash),
    keeping everything the user typed in the form."""
    db.session.rollback()
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = list(field.errors) + [exc.message]
    else:
        flash(exc.message, "error")
