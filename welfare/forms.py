"""Helpers shared by every feature's forms."""

from flask import flash

from welfare.errors import DomainError
from welfare.extensions import db


def show_domain_error(form, exc: DomainError) -> None:
    """Undo the failed action and show its message on the field it names (or as a flash),
    keeping everything the user typed in the form."""
    db.session.rollback()
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = list(field.errors) + [exc.message]
    else:
        flash(exc.message, "error")
