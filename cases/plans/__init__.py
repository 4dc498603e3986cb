"""The individual plan of a case: goals, steps, reviews, history and the printable plan; and the
lawyer's legal deadlines (/cases/<number>/plan..., /cases/<number>/deadlines/...)."""

from flask import Blueprint, current_app
from flask_wtf.csrf import CSRFError

from cases.access import require_case_team
from cases.drafts import session_ended

bp = Blueprint("plans", __name__)
bp.before_request(require_case_team)
bp.register_error_handler(CSRFError, session_ended)  # the session ended: the draft is kept

# The office as the printed plan names it (seed 004: Mestna občina Novo mesto). Each can be
# overridden in the configuration under the same key.
OFFICE_CONTACT_DEFAULTS = {
    "OFFICE_CONTACT_NAME": "Pisarna lokalne blaginje",
    "OFFICE_CONTACT_MUNICIPALITY": "Mestna občina Novo mesto",
    "OFFICE_CONTACT_ADDRESS": "Seidlova cesta 1, 8000 Novo mesto",
    "OFFICE_CONTACT_PHONE": "07 39 39 244",
    "OFFICE_CONTACT_EMAIL": "mestna.obcina@novomesto.si",
}


def office_contact() -> dict[str, str]:
    """name, municipality, address, phone, email of the office for printed documents."""
    return {
        key.removeprefix("OFFICE_CONTACT_").lower(): current_app.config.get(key, default)
        for key, default in OFFICE_CONTACT_DEFAULTS.items()
    }


from cases.plans import views  # noqa: E402,F401
