"""Pisarna lokalne blaginje: application factory.

The factory is the only place that knows the features: each feature package offers one
`init_app(app)` that registers its blueprints, commands, hooks and demo data.
"""

from pathlib import Path

from flask import Flask
from jinja2 import MemcachedBytecodeCache

from welfare import config

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class _ProcessTemplates(dict):
    """Compiled templates shared by every app this process makes (a gunicorn worker makes one; the
    test suite makes thousands, and compiling the same templates again was a sixth of its time).
    Jinja keys each entry by the template's name and a checksum of its source, so an edited
    template is compiled anew; `MemcachedBytecodeCache` only needs `get` and `set`."""

    def set(self, key, value, timeout=None):
        self[key] = value


_TEMPLATE_CODE = MemcachedBytecodeCache(_ProcessTemplates())


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True, template_folder=str(PROJECT_ROOT / "templates"))
    app.jinja_options = {**app.jinja_options, "bytecode_cache": _TEMPLATE_CODE}
    app.config.from_object(config.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("WELFARE")
    if test_config:
        app.config.from_mapping(test_config)
    config.finalize(app)

    register_extensions(app)
    register_blueprints(app)
    register_features(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from welfare import compression, crypto, database, i18n, mail, security  # noqa: F401 (mail: its table joins the metadata)
    from welfare.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    database.configure_sqlite(app)
    migrate.init_app(app, db, render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    limiter.init_app(app)
    # The limiter is one object per process; a new app binds a new store, which starts alive
    # (tests create many apps, one of them on a store that is down).
    limiter._storage_dead = False
    security.register_security(app)
    compression.register_compression(app)
    crypto.init_app(app)

    @app.context_processor
    def inject_globals():
        from welfare.auth.forms import LanguageForm
        from welfare.i18n import select_locale

        return {"language_form": LanguageForm(), "current_locale": select_locale()}


def register_blueprints(app: Flask) -> None:
    """The core's own blueprints: login and administration."""
    from welfare.accounts import bp as accounts_bp
    from welfare.admin import bp as admin_bp
    from welfare.auth import bp as auth_bp
    from welfare.features import register_home_page
    from welfare.models import Role

    app.register_blueprint(auth_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    register_home_page(app, [Role.ADMIN], "admin.users")

    @app.get("/favicon.ico", endpoint="favicon")
    def favicon():
        """Browsers ask for it on every site; a real icon instead of a logged 404."""
        return app.send_static_file("favicon.ico")

    @app.get("/healthz")
    def healthz():
        """Liveness probe for the reverse proxy and the benchmarks' trivial endpoint."""
        return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


def register_features(app: Flask) -> None:
    """The features, in dependency order: cases uses the catalog."""
    import cases
    import catalog

    catalog.init_app(app)
    cases.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from welfare.errors import register_errorhandlers as register

    register(app)


def register_commands(app: Flask) -> None:
    from welfare.auth.commands import users_cli
    from welfare.backup import backup_command, restore_command
    from welfare.commands import seed_demo_command, start_command
    from welfare.deploy_check import check_deploy_command
    from welfare.keys import keys_cli
    from welfare.mail.commands import mail_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(start_command)
    app.cli.add_command(mail_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(check_deploy_command)
    app.cli.add_command(keys_cli)
    # Last, so it sees every feature's commands: each upgrades an empty or older schema first.
    from welfare.schema_guard import guard_commands

    guard_commands(app)
    from welfare.cli_guard import guard_disk_full

    guard_disk_full(app)
