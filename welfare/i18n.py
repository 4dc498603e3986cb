"""Language selection: Slovenian by default, English on request."""

from flask import current_app, has_request_context, session
from flask_login import current_user


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if has_request_context():
        chosen = session.get("lang")
        if chosen in languages:
            return chosen
        if current_user and current_user.is_authenticated and current_user.locale in languages:
            return current_user.locale
    # CLI commands and background work speak the configured default (Slovenian).
    return current_app.config["BABEL_DEFAULT_LOCALE"]
