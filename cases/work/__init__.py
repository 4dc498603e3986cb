"""Moje delo: the team's daily work view (/cases/)."""

from flask import Blueprint
from flask_wtf.csrf import CSRFError

from cases.access import require_case_team
from cases.drafts import session_ended

bp = Blueprint("work", __name__)
bp.before_request(require_case_team)
bp.register_error_handler(CSRFError, session_ended)  # the session ended: the draft is kept

from cases.work import views  # noqa: E402,F401
