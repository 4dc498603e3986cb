"""Cases: walk-ins, individual plans, referrals and anonymized trends."""
from flask import Blueprint

bp = Blueprint("cases", __name__)

from cases import views  # noqa: E402,F401
