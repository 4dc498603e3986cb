"""Referrals of a case to catalog services (/cases/<number>/referrals/...), the printable slip
for the person, and the organization's answer page behind a signed link (/referral/<token>,
no account, outside /cases/)."""

from flask import Blueprint
from flask_wtf.csrf import CSRFError

from cases.access import require_case_team
from cases.drafts import session_ended

bp = Blueprint("referrals", __name__)
bp.before_request(require_case_team)
bp.register_error_handler(CSRFError, session_ended)  # the session ended: the draft is kept

from cases.referrals import slip, views  # noqa: E402,F401
