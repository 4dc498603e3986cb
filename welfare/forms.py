"""Helpers shared by every feature's forms."""

from flask import flash

from welfare import params
from welfare.errors import DomainError
from welfare.extensions import db


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
