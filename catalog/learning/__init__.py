"""The learning portal: the anonymous search log, staff insights, synonyms, everyday phrases and
pins, under /staff/catalog/ for office staff only."""

from flask import Blueprint

from welfare.auth.decorators import staff_required

bp = Blueprint("learning", __name__, url_prefix="/staff/catalog")


@bp.before_request
@staff_required
def _staff_only() -> None:
    """One access check for every page of the room; None lets the request through."""


from catalog.learning import phrase_views, views  # noqa: E402,F401
