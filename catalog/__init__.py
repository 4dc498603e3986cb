"""Public service catalog: organizations and programmes a resident can turn to.

Parts, each room with its own blueprint: the public pages at this package's root (`views`,
`services`, `models`; blueprint `catalog`), `staff/` (curation under /staff/catalog/,
`catalog_staff`), `learning/` (search log, insights, synonyms, phrases; `learning`), `hsds/`
(Open Referral import, export and the public API `hsds_api`; the staff import page
`hsds_import`), `search/` (Slovenian search and its index, behind one front door) and
`guidance/` (emergency lines and quick exit, notices in the language typed) and `proposals/`
(partners propose changes to their own entries and confirm them; `catalog_proposals` for the
curators, `catalog_partner` for the partners).
"""

from flask import Blueprint, Flask

bp = Blueprint("catalog", __name__)

from catalog import (  # noqa: E402,F401  (models first: the mapper needs every table)
    capacity,
    details,
    models,
    search,
    views,
)
from catalog.hsds import import_page  # noqa: E402
from catalog.learning import bp as learning_bp  # noqa: E402
from catalog.proposals import init_app as proposals_init_app  # noqa: E402
from catalog.staff import bp as staff_bp  # noqa: E402


def init_app(app: Flask) -> None:
    """Register the catalog's pages, API, commands, index hooks and demo data."""
    from catalog.cli import catalog_cli
    from catalog.hsds import commands as hsds_commands  # noqa: F401  (they add to catalog_cli)
    from catalog.hsds.api import api as hsds_api
    from catalog.learning import commands as learning_commands  # noqa: F401
    from catalog.learning import log_queue
    from welfare import signals

    app.register_blueprint(bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(learning_bp)
    app.register_blueprint(import_page.bp)
    proposals_init_app(app)
    app.register_blueprint(hsds_api, url_prefix="/api/hsds")
    app.cli.add_command(catalog_cli)
    log_queue.init_app(app)
    search.init_app(app)
    capacity.init_app(app)
    signals.on_seed_demo(app, _seed_demo)
    signals.data_restored.connect(_rebuild_index, sender=app, weak=False)


def _seed_demo(app: Flask, echo) -> None:
    """The demo catalog from the seed documents, and a search index if there is none."""
    from catalog.seed import load_demo_catalog

    orgs, services = load_demo_catalog()
    echo(f"Demo catalog: {orgs} organizations and {services} services added.")
    try:
        search.open_index()
    except Exception:
        echo(f"Search index built: {search.rebuild()} services.")


def _rebuild_index(app: Flask, echo) -> None:
    """After a restore: the search index is derived data, so it is built from the restored database."""
    echo(f"Search index rebuilt: {search.rebuild()} services.")
