"""Intake: persons, cases, challenges, the timeline, consents and anonymous contacts (/cases/...)."""

from flask import Blueprint
from flask_wtf.csrf import CSRFError

from cases.access import require_case_team
from cases.drafts import session_ended
from welfare.clock import local_time

bp = Blueprint("intake", __name__)
bp.before_request(require_case_team)
bp.register_error_handler(CSRFError, session_ended)  # the session ended: the draft is kept


@bp.context_processor
def _intake_helpers():
    # Times are stored in UTC; the pages show the office's wall clock.
    return {"local_time": local_time}


from cases.intake import case_views, person_views, walk_in_views  # noqa: E402,F401
