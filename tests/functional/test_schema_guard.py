"""Every CLI command on a data dir without a schema, or with an older one, upgrades it first; the
commands that must see the database as it is opt out; what cannot be fixed is one clear line."""

from pathlib import Path

import click
import flask_migrate
import pytest
import sqlalchemy as sa
from flask.cli import AppGroup

from catalog.models import Service
from tests.conftest import TEST_DATABASE_URL, close_database, make_app, wipe_postgres
from welfare.extensions import db
from welfare.schema_guard import guard_commands, no_schema_upgrade

SAMPLE_11 = Path(__file__).parent.parent / "fixtures" / "hsds" / "hsds-1.1-sample"


@pytest.fixture
def fresh_app(tmp_path):
    """An app on a data dir (and database) nobody has started or upgraded."""
    if TEST_DATABASE_URL:
        wipe_postgres(TEST_DATABASE_URL)
    app = make_app(tmp_path / "fresh")
    yield app
    close_database(app)


def revision(app) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with app.app_context(), db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head(app) -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(app.extensions["migrate"].directory).get_current_head()


def test_import_on_a_fresh_data_dir_creates_the_schema_first(fresh_app):
    result = fresh_app.test_cli_runner().invoke(args=["catalog", "import-hsds", "--skip-invalid", str(SAMPLE_11)])
    assert result.exit_code == 0, result.output
    assert "Database schema created (it was empty)." in result.output
    assert "Imported HSDS 1.1 package" in result.output
    assert revision(fresh_app) == head(fresh_app)
    with fresh_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Service)) == 13


def test_reindex_on_a_fresh_data_dir(fresh_app):
    result = fresh_app.test_cli_runner().invoke(args=["catalog", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexed 0 public services." in result.output


def test_users_list_on_an_older_schema_upgrades_it(fresh_app):
    with fresh_app.app_context():
        flask_migrate.upgrade(directory=fresh_app.extensions["migrate"].directory, revision="0006")
    result = fresh_app.test_cli_runner().invoke(args=["users", "list"])
    assert result.exit_code == 0, result.output
    assert "Database schema upgraded (it was older than the code)." in result.output
    assert revision(fresh_app) == head(fresh_app)


def test_an_up_to_date_schema_is_left_alone(app, runner):
    result = runner.invoke(args=["catalog", "check-index"])
    assert "Database schema" not in result.output


def test_a_schema_newer_than_the_code_stops_with_one_line(fresh_app):
    with fresh_app.app_context():
        db.create_all()
        with db.engine.begin() as connection:
            connection.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            connection.execute(sa.text("INSERT INTO alembic_version VALUES ('9999_future')"))
    result = fresh_app.test_cli_runner().invoke(args=["catalog", "reindex"])
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: The database schema (9999_future) is newer than this code: update the code first."
    )


def test_tables_without_a_migration_record_stop_with_one_line(fresh_app):
    with fresh_app.app_context():
        db.create_all()
    result = fresh_app.test_cli_runner().invoke(args=["users", "list"])
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert "has tables but no migration record" in result.output


def test_an_unreachable_database_is_one_line(tmp_path):
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI="postgresql://postgres@127.0.0.1:9/nowhere")  # port 9: discard
    result = app.test_cli_runner().invoke(args=["catalog", "reindex"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: The database cannot be opened:") and "Traceback" not in result.output


def test_exempt_commands_see_the_database_as_it_is(fresh_app):
    seen = {}
    group = AppGroup("ops")

    @no_schema_upgrade
    @group.command("backup-like")
    def backup_like():
        seen["exempt"] = revision(fresh_app)

    @group.command("ordinary")
    def ordinary():
        seen["ordinary"] = revision(fresh_app)

    @click.command("check-deploy")  # exempt by name
    def check_deploy():
        seen["by_name"] = revision(fresh_app)

    fresh_app.cli.add_command(group)
    fresh_app.cli.add_command(check_deploy)
    guard_commands(fresh_app)
    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["ops", "backup-like"]).exit_code == 0
    assert runner.invoke(args=["check-deploy"]).exit_code == 0
    assert seen == {"exempt": None, "by_name": None}
    assert runner.invoke(args=["ops", "ordinary"]).exit_code == 0
    assert seen["ordinary"] == head(fresh_app)
