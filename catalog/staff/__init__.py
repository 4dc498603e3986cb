"""Staff curation of the catalog: services, organizations, taxonomies, residents' change reports,
under /staff/catalog/ for office staff only (supervisors read the catalog, they do not edit it)."""

from flask import Blueprint

from welfare.auth.decorators import staff_required

bp = Blueprint("catalog_staff", __name__, url_prefix="/staff/catalog")


@bp.before_request
@staff_required
def _staff_only() -> None:
    """One access check for every page of the room; None lets the request through."""


from catalog.staff import views  # noqa: E402,F401
