"""Moje delo: the team's daily work view (/cases/)."""

from flask import Blueprint

from cases.access import require_case_team

bp = Blueprint("work", __name__)
bp.before_request(require_case_team)

from cases.work import views  # noqa: E402,F401
