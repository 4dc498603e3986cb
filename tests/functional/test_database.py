"""Schema migrations, SQLite settings, concurrent writers and data-dir isolation."""

import multiprocessing
import os
import stat

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tests.conftest import TEST_DATABASE_URL, create_user, make_app, wipe_postgres
from welfare.extensions import db
from welfare.models import Role, User


def test_upgrade_from_empty_matches_the_models(tmp_path):
    if TEST_DATABASE_URL:
        wipe_postgres(TEST_DATABASE_URL)
    app = make_app(tmp_path)
    from welfare.commands import upgrade_database

    with app.app_context():
        upgrade_database()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
        # The append-only triggers come with the migration as well.
        db.session.add(__import__("welfare.models", fromlist=["AuditEvent"]).AuditEvent(action="x"))
        db.session.commit()
        with pytest.raises(sa.exc.DatabaseError):
            db.session.execute(sa.text("DELETE FROM audit_event"))
        db.session.rollback()
        db.engine.dispose()


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite pragmas")
def test_sqlite_runs_wal_with_foreign_keys(app):
    with app.app_context():
        assert db.session.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(sa.text("PRAGMA busy_timeout")).scalar() == 5000


def _append_letters(tmp_path: str, count: int, letter: str) -> None:
    from sqlalchemy.orm.exc import StaleDataError

    app = make_app(tmp_path)
    with app.app_context():
        done = 0
        while done < count:
            user = db.session.scalar(sa.select(User).where(User.username == "shared"))
            user.full_name += letter
            try:
                db.session.commit()
                done += 1
            except StaleDataError:  # PostgreSQL: someone else won the race; read again
                db.session.rollback()
        db.engine.dispose()


def test_concurrent_writers_lose_no_update(app, tmp_path):
    create_user(app, Role.LAWYER, "shared")
    with app.app_context():
        db.engine.dispose()
    ctx = multiprocessing.get_context("fork")
    workers = [ctx.Process(target=_append_letters, args=(str(tmp_path), 25, letter)) for letter in "abcd"]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert all(w.exitcode == 0 for w in workers)
    with app.app_context():
        name = db.session.scalar(sa.select(User.full_name).where(User.username == "shared"))
    assert sorted(name) == sorted("abcd" * 25)


def test_secret_key_is_generated_once_with_mode_600(tmp_path):
    app = make_app(tmp_path, SECRET_KEY=None)
    again = make_app(tmp_path, SECRET_KEY=None)
    key_file = tmp_path / "secret_key"
    assert app.config["SECRET_KEY"] == again.config["SECRET_KEY"] == key_file.read_text().strip()
    assert len(app.config["SECRET_KEY"]) == 64
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600


def test_two_data_dirs_share_nothing(tmp_path):
    one = make_app(tmp_path / "one", SECRET_KEY=None, SQLALCHEMY_DATABASE_URI=None)
    two = make_app(tmp_path / "two", SECRET_KEY=None, SQLALCHEMY_DATABASE_URI=None)
    if not TEST_DATABASE_URL:
        assert one.config["SQLALCHEMY_DATABASE_URI"] != two.config["SQLALCHEMY_DATABASE_URI"]
        assert str(tmp_path / "one") in one.config["SQLALCHEMY_DATABASE_URI"]
    assert one.config["SECRET_KEY"] != two.config["SECRET_KEY"]


def test_database_url_env_overrides_and_is_normalised(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/welfare")
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=None)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/welfare"


def test_prefixed_env_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("WELFARE_IDLE_TIMEOUT_MINUTES", "10")
    monkeypatch.setenv("WELFARE_DATA_DIR", str(tmp_path / "from-env"))
    from welfare import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["IDLE_TIMEOUT_MINUTES"] == 10
    assert app.config["DATA_DIR"] == str(tmp_path / "from-env")


@pytest.mark.slow  # seeds the whole demo: the slow tier
def test_seed_demo_is_idempotent(app, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "passwords are shown only this once" in first.output
    with app.app_context():
        before = db.session.execute(sa.select(User.username, User.password_hash).order_by(User.id)).all()
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0 and "shown only this once" not in second.output
    with app.app_context():
        after = db.session.execute(sa.select(User.username, User.password_hash).order_by(User.id)).all()
    assert before == after
    assert {u for u, _ in after} == {"organizator", "pravnik", "socialna", "supervizor", "admin"}


@pytest.mark.slow  # seeds the whole demo: the slow tier
def test_seed_demo_builds_a_missing_search_index(app, runner):
    import shutil

    from catalog.search import index as search_index

    runner.invoke(args=["seed-demo"])
    with app.app_context():
        shutil.rmtree(search_index.root())
    result = runner.invoke(args=["seed-demo"])
    assert "Search index built" in result.output
    with app.app_context():
        assert search_index.indexed_ids() == search_index.public_ids() and len(search_index.indexed_ids()) >= 100
