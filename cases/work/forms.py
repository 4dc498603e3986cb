"""Forms of the work view: the calendar feed's create/renew button (CSRF only)."""

from flask_wtf import FlaskForm


class RenewFeedForm(FlaskForm):
    """Creating or renewing the secret feed URL: a POST carrying only the CSRF token."""
