"""Unmet needs on a case (/cases/<number>/needs/...): what no service could give."""

from flask import Blueprint

from cases.access import require_case_team

bp = Blueprint("needs", __name__)
bp.before_request(require_case_team)

from cases.needs import views  # noqa: E402,F401
