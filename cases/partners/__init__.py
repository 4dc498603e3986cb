"""Organizations as partners: a person at a catalog organization logs in (own password and a
second factor), sees the referrals sent to the organization (/partner/), answers them exactly
as through the referral link, says how much room its services have, and reads its monthly
statement (/partner/statement; the office mails it with `flask partners send-statements`). Administrators invite
partners (/admin/partners/). docs/security.md ("Partners") says what a partner can reach.
"""

from flask import Blueprint

from welfare.auth.decorators import require_partner

bp = Blueprint("partners", __name__)
bp.before_request(require_partner)
admin_bp = Blueprint("partner_admin", __name__)

from cases.partners import admin, statement, views  # noqa: E402,F401


def init_app(app) -> None:
    """Register the partner's pages and the administrators' invite pages; partners land on their inbox."""
    from welfare.features import register_home_page
    from welfare.models import Role

    app.register_blueprint(bp, url_prefix="/partner")
    app.register_blueprint(admin_bp, url_prefix="/admin/partners")
    register_home_page(app, [Role.PARTNER], "partners.inbox")
    from cases.partners.cli import partners_cli

    app.cli.add_command(partners_cli)
