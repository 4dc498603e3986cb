"""Cases: walk-ins, individual plans, referrals and anonymized trends.

Parts: `work/` (Moje delo, /cases/) and `trends/` (reports, /trends/). Everything under
/cases/ is for the office team only (`cases.access`); trends never show a person.
"""

from flask import Flask

# Every table of the feature, so the mapper and create_all know them whichever part is used.
from cases import access_log, drafts, models  # noqa: F401
from cases.documents import models as document_models  # noqa: F401
from cases.intake import models as intake_models  # noqa: F401
from cases.needs import models as need_models  # noqa: F401
from cases.plans import models as plan_models  # noqa: F401
from cases.privacy import models as privacy_models  # noqa: F401
from cases.referrals import models as referral_models  # noqa: F401
from cases.trends import models as trend_models  # noqa: F401
from cases.work import models as work_models  # noqa: F401


def init_app(app: Flask) -> None:
    """Register the case blueprints and the landing pages of the roles that work here."""
    from cases import places
    from cases.access_log_admin import bp as access_log_admin_bp
    from cases.documents import bp as documents_bp
    from cases.documents import documents_of
    from cases.history import bp as history_bp
    from cases.intake import bp as intake_bp
    from cases.needs import bp as needs_bp
    from cases.plans import bp as plans_bp
    from cases.referrals import bp as referrals_bp
    from cases.referrals.org_link import install_log_filter, link_bp
    from cases.trends import bp as trends_bp
    from cases.work import bp as work_bp
    from cases.work.feed import feed_bp
    from welfare import signals
    from welfare.features import register_home_page
    from welfare.models import STAFF_ROLES, Role

    app.add_template_filter(places.settlement_label, "settlement_label")  # "other" reads as words
    app.register_blueprint(work_bp, url_prefix="/cases")
    app.register_blueprint(intake_bp, url_prefix="/cases")
    app.register_blueprint(plans_bp, url_prefix="/cases")
    app.register_blueprint(referrals_bp, url_prefix="/cases")
    app.register_blueprint(needs_bp, url_prefix="/cases")
    app.register_blueprint(documents_bp, url_prefix="/cases")
    app.context_processor(lambda: {"case_documents": documents_of})  # the case page's documents panel
    app.register_blueprint(history_bp, url_prefix="/cases")  # one history of a case, all its events
    app.register_blueprint(link_bp)  # /referral/<token>: the organization's page, no login
    install_log_filter(app)
    app.context_processor(_referral_panel)
    app.register_blueprint(trends_bp, url_prefix="/trends")
    app.register_blueprint(feed_bp)  # /calendar/<token>.ics: outside /cases/, no login
    app.register_blueprint(access_log_admin_bp, url_prefix="/admin/access-log")  # admins only
    from cases import partners

    partners.init_app(app)  # /partner/: organizations' own accounts; /admin/partners/: invites
    from cases.privacy import bp as privacy_bp
    from cases.privacy import erasure_bp
    from cases.privacy.cli import cases_cli

    app.register_blueprint(privacy_bp, url_prefix="/cases")  # the data-subject export
    app.register_blueprint(erasure_bp, url_prefix="/admin/erasure")  # admins only
    app.cli.add_command(cases_cli)
    from cases.access_log import chain_head
    from welfare.signals import on_backup_manifest

    on_backup_manifest(app, chain_head)  # the access log's head hash goes into every backup
    from cases.trends import units
    from cases.trends.cli import reports_cli, trends_cli

    app.cli.add_command(reports_cli)
    app.cli.add_command(trends_cli)
    units.connect(app)  # the trend reports' counted rows follow the case services' announcements
    register_home_page(app, STAFF_ROLES, "work.dashboard")
    register_home_page(app, [Role.SUPERVISOR], "trends.index")
    # Connected after the catalog's receiver (features initialise in order): cases use its terms.
    signals.on_seed_demo(app, _seed_demo)  # cases, then referrals on them


def _seed_demo(app: Flask, echo) -> None:
    """About 300 synthetic cases, anonymous contacts and plans, then referrals in every state
    and unmet needs on them; each once (idempotent)."""
    from cases.demo import load_demo_cases
    from cases.referrals.demo import load_demo_referrals

    echo(load_demo_cases())
    echo(load_demo_referrals())


def _referral_panel():
    """`referral_follow_ups(user_id)` and `referral_appointments(user_id)` for Moje delo
    (templates/cases/referrals/_work_panel.html)."""
    from cases.referrals.appointments import upcoming
    from cases.referrals.queries import due_follow_ups

    return {"referral_follow_ups": due_follow_ups, "referral_appointments": upcoming}
