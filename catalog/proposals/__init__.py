"""Partners keep their own catalog entries: a partner (an account of an organization) proposes
changes to its organization's entry and its services' entries and confirms them still
accurate (/partner/catalog/, blueprint `catalog_partner`); curators see each proposal as a diff
and approve or reject it (/staff/catalog/proposals/, `catalog_proposals`); `flask catalog
remind-partners` reminds partners of entries not confirmed for CATALOG_CONFIRM_MONTHS.

The front door for the rest of the app: `pending_count`, `last_reminders` (also the template
globals `pending_proposals()` and `partner_reminders(service_ids)` of the staff pages).
"""

from flask import Blueprint

from welfare.auth.decorators import require_partner, staff_required

bp = Blueprint("catalog_proposals", __name__, url_prefix="/staff/catalog/proposals")
partner_bp = Blueprint("catalog_partner", __name__, url_prefix="/partner/catalog")
partner_bp.before_request(require_partner)


@bp.before_request
@staff_required
def _staff_only() -> None:
    """One access check for every curator's page of the room; None lets the request through."""


from catalog.proposals import models, partner_views, views  # noqa: E402,F401
from catalog.proposals.reminders import last_reminders  # noqa: E402
from catalog.proposals.services import pending_count  # noqa: E402

__all__ = ["bp", "last_reminders", "partner_bp", "pending_count", "init_app"]


def init_app(app) -> None:
    """Register the curators' and the partners' pages and the reminder command."""
    from catalog.proposals import commands  # noqa: F401  (it adds to catalog_cli)

    app.register_blueprint(bp)
    app.register_blueprint(partner_bp)
    # The curators' pages of catalog.staff show what waits here (the count on their list, the
    # last reminder on the stale list); they ask through these template globals, so the staff
    # room does not import this one, which builds on it.
    app.add_template_global(pending_count, "pending_proposals")
    app.add_template_global(last_reminders, "partner_reminders")
