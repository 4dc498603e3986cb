"""Shared fixtures: a fresh app and database per test, clients logged in per role.

The database is a temp SQLite file by default; set WELFARE_TEST_DATABASE_URL to run the
same tests against PostgreSQL (the schema is wiped before each test).

The demo catalog takes about half a second to load, so it is built once per session (per
xdist worker) into a template data dir, and a test that asks for the `demo` fixture starts
from a copy of it (on PostgreSQL: from a copy of its tables kept in a side schema).
"""

import faulthandler
import functools
import os
import re
import shutil
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa

from welfare import create_app
from welfare.extensions import db, limiter
from welfare.models import Role

_EXIT_WATCHDOG_SECONDS = 300


def pytest_unconfigure(config):
    """After the last test, a process (an xdist worker or the controller) that has not exited in
    five minutes is stuck on something a test left behind (a thread, a child, an atexit hook):
    print every thread's stack and exit, so CI fails with the cause instead of waiting."""
    stream = os.fdopen(os.dup(2), "w")
    config._exit_watchdog_stream = stream  # kept open until the process ends
    faulthandler.dump_traceback_later(_EXIT_WATCHDOG_SECONDS, exit=True, file=stream)


def _worker_database(url: str | None) -> str | None:
    """Under pytest-xdist each worker gets its own PostgreSQL database (test_gw0, test_gw1, ...)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    from welfare.config import _normalise_database_url

    base = sa.engine.make_url(_normalise_database_url(url))
    name = f"{base.database}_{worker}"
    engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


TEST_DATABASE_URL = _worker_database(os.environ.get("WELFARE_TEST_DATABASE_URL"))
if TEST_DATABASE_URL:
    # A commit returns before its WAL reaches the disk. What a crash of the database server could
    # lose is moot for a test database, and what other sessions see is unchanged; it takes about
    # a fifth off the PostgreSQL pass, which commits on every request. libpq reads PGOPTIONS, so
    # the servers, CLI runs and pg_dump the tests start get it too.
    os.environ.setdefault("PGOPTIONS", "-c synchronous_commit=off")
PASSWORD = "correct horse battery"
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def wipe_postgres(url: str) -> None:
    from welfare.config import _normalise_database_url

    engine = sa.create_engine(_normalise_database_url(url))
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def _build_urls_lazily() -> None:
    """Werkzeug compiles two URL builders (Python source, then `compile`) for every rule of every
    app it makes; the suite makes an app per test and builds a handful of URLs in each, so this
    was a sixth of its time. Here a builder is compiled on its first use instead: the same
    builder, later. Tests only; skipped if Werkzeug's internals change shape."""
    import inspect

    from werkzeug.routing.rules import Rule

    original = Rule._compile_builder
    if list(inspect.signature(original).parameters) != ["self", "append_unknown"]:
        return

    def lazy(self, append_unknown=True):
        compiled = None

        def build(rule, *args, **kwargs):
            nonlocal compiled
            if compiled is None:
                compiled = original(rule, append_unknown).__get__(rule, None)
            return compiled(*args, **kwargs)

        return build

    Rule._compile_builder = lazy


_build_urls_lazily()


def _parse_rules_once() -> None:
    """Werkzeug parses every rule of every app's URL map into regex parts (a third of making an
    app, which the suite does for every test). The parts depend only on the rule's text, its
    domain part, slash merging and the map's converter classes: here a rule with the same ones as
    an earlier rule in this process takes that rule's parts. Converter objects are shared; they
    keep no state of their map's. Tests only; skipped if Werkzeug's internals change shape."""
    import inspect

    from werkzeug.routing.rules import Rule

    original = Rule.compile
    if list(inspect.signature(original).parameters) != ["self"]:
        return
    parsed: dict[tuple, tuple] = {}

    def compile(self):
        owner = self.map
        domain = self.host if owner.host_matching else self.subdomain
        key = (self.rule, domain, owner.host_matching, self.merge_slashes, tuple(sorted(owner.converters.items())))
        if key not in parsed:
            original(self)
            parsed[key] = (self._parts, self._trace, self._converters)
            return
        parts, trace, converters = parsed[key]
        self._parts, self._trace, self._converters = list(parts), list(trace), dict(converters)
        self.arguments.update(converters)
        self._build = self._compile_builder(False).__get__(self, None)
        self._build_unknown = self._compile_builder(True).__get__(self, None)

    Rule.compile = compile


_parse_rules_once()


def _share_compiled_statements() -> None:
    """SQLAlchemy compiles each statement once per engine and keeps it in that engine's cache,
    keyed by the engine's dialect object. The suite makes an engine per test, so every test
    compiled every statement it ran again: an eighth of its time. Here the engines of one database
    server and one set of engine options use the dialect and statement cache of the first such
    engine that connected (its dialect has then read the server's version and settings). Each
    engine keeps its own pool and connections. Tests only; skipped if the internals change shape."""
    from flask_sqlalchemy.extension import SQLAlchemy

    original = SQLAlchemy._make_engine
    if not hasattr(sa.engine.Engine, "_compiled_cache") and "_compiled_cache" not in sa.engine.Engine.__annotations__:
        return
    first: dict[tuple, sa.engine.Engine] = {}

    def make_engine(self, bind_key, options, app):
        engine = original(self, bind_key, options, app)
        url = engine.url
        key = (url.drivername, url.host, url.port, repr(sorted((k, repr(v)) for k, v in options.items() if k != "url")))
        if key in first:
            engine.dialect = first[key].dialect
            engine._compiled_cache = first[key]._compiled_cache
        else:
            # After the pool's own first-connect hook, which initializes the dialect.
            sa.event.listen(engine.pool, "connect", lambda *_: first.setdefault(key, engine), once=True)
        return engine

    SQLAlchemy._make_engine = make_engine


_share_compiled_statements()


def test_config(tmp_path, **overrides) -> dict:
    """The app config every test app uses, also for tests that start a real server
    (tests/live_server.py takes it as JSON)."""
    config = {
        "TESTING": True,
        "DATA_DIR": str(tmp_path),
        "SECRET_KEY": "test-secret",
        "PASSWORD_HASH_PROFILE": "CHEAPEST",
        "RATELIMIT_STORAGE_URI": "memory://",
        # Assertions read in English; tests/functional/test_i18n.py checks the Slovenian default.
        "BABEL_DEFAULT_LOCALE": "en",
        # Said here, not defaulted: tests/functional/test_accounts.py asserts production requires
        # a second factor and logs in with codes; the other tests log in with passwords.
        "TOTP_REQUIRED": False,
    }
    if TEST_DATABASE_URL:
        config["SQLALCHEMY_DATABASE_URI"] = TEST_DATABASE_URL
    config.update(overrides)
    return config


test_config.__test__ = False  # a helper, not a test


def make_app(tmp_path, **overrides):
    return create_app(test_config(tmp_path, **overrides))


def _create_schema(app) -> None:
    db.create_all()
    # Mark the schema as migrated, so commands that upgrade first find nothing to do.
    flask_migrate.stamp(directory=app.extensions["migrate"].directory)


@functools.cache
def _head_revision(migrations: str) -> str:
    """The newest migration's revision (read from the files once per process)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(migrations).get_current_head()


def _skip_triggers(conn) -> bool:
    """Switch off triggers and foreign-key checks for this transaction, when the role may (a
    superuser, as on CI's server): then emptying a table is a DELETE of the few rows a test wrote,
    a millisecond, where TRUNCATE ... CASCADE costs about 5 ms for every table it touches, and the
    append-only triggers of the audit tables, which refuse a DELETE, stay out of the way."""
    if conn.scalar(sa.text("SELECT current_setting('is_superuser')")) != "on":
        return False
    conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
    return True


def _reset_postgres(app) -> None:
    """Empty every table; rebuild the schema only when a test dropped or changed it.

    Most tests write to a few tables: one query finds the tables holding rows, only they are
    emptied, and only the id sequences a test moved (rows inserted and then deleted) are restarted.
    A handful of round trips when little was written."""
    names = [table.name for table in db.metadata.sorted_tables]
    with db.engine.begin() as conn:
        present = set(conn.scalars(sa.text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")))
        stamped = (
            conn.scalars(sa.text("SELECT version_num FROM alembic_version")).all()
            if "alembic_version" in present
            else []
        )
    # A test that wiped the schema and ran create_all leaves no alembic_version, and one that tests
    # the schema guard leaves a revision from the future: rebuild then too, or the next CLI command
    # would try to create every table again, or refuse to run.
    if not set(names) <= present or stamped != [_head_revision(app.extensions["migrate"].directory)]:
        db.engine.dispose()
        wipe_postgres(TEST_DATABASE_URL)
        _create_schema(app)
        return
    holding_rows = " UNION ALL ".join(f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM \"{name}\")" for name in names)
    with db.engine.begin() as conn:
        filled = set(conn.scalars(sa.text(holding_rows)))
        if filled and _skip_triggers(conn):
            for name in reversed(names):  # children first, though nothing checks with triggers off
                if name in filled:
                    conn.execute(sa.text(f'DELETE FROM "{name}"'))
        elif filled:
            quoted = ", ".join(f'"{name}"' for name in filled)
            conn.execute(sa.text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        moved = conn.scalars(
            sa.text(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL"
            )
        ).all()
        for sequence in moved:
            conn.execute(sa.text(f'ALTER SEQUENCE "{sequence}" RESTART'))


DEMO_SCHEMA = "demo_template"


def _snapshot_postgres_demo() -> None:
    """Keep a copy of every table holding rows, as the demo catalog left it, in a side schema."""
    with db.engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {DEMO_SCHEMA} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {DEMO_SCHEMA}"))
        for table in db.metadata.sorted_tables:
            if conn.scalar(sa.text(f'SELECT EXISTS (SELECT 1 FROM "{table.name}")')):
                conn.execute(sa.text(f'CREATE TABLE {DEMO_SCHEMA}."{table.name}" AS SELECT * FROM "{table.name}"'))


def _restore_postgres_demo() -> None:
    """Copy the demo tables back (parents first) and move each id sequence past the copied rows:
    one script, sent in one round trip."""
    with db.engine.begin() as conn:
        kept = set(conn.scalars(sa.text(f"SELECT tablename FROM pg_tables WHERE schemaname = '{DEMO_SCHEMA}'")))
        statements = []
        for table in db.metadata.sorted_tables:
            if table.name not in kept:
                continue
            # Columns by name: a schema built by migrations and one built by create_all can order
            # a table's columns differently (a migration appends what a model declares mid-way).
            columns = ", ".join(f'"{c.name}"' for c in table.columns)
            statements.append(
                f'INSERT INTO "{table.name}" ({columns}) SELECT {columns} FROM {DEMO_SCHEMA}."{table.name}"'
            )
            for column in table.primary_key.columns:
                if column.autoincrement is not False and isinstance(column.type, sa.Integer):
                    statements.append(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{column.name}'), "
                        f'COALESCE((SELECT MAX("{column.name}") FROM "{table.name}"), 0) + 1, false)'
                    )
        _skip_triggers(conn)  # the rows were checked when the demo catalog was loaded
        conn.exec_driver_sql(";\n".join(statements))


def empty_database(app) -> None:
    """Give the app an empty database with the current schema (PostgreSQL: the worker's, emptied)."""
    with app.app_context():
        if TEST_DATABASE_URL:
            _reset_postgres(app)
        else:
            _create_schema(app)


_empty_sqlite: Path | None = None  # this process's empty database with the current schema


def _empty_sqlite_file() -> Path:
    """An empty SQLite database with the schema, made once per test process: each test starts
    from a copy of it (a file copy, not create_all and a migration stamp every time)."""
    global _empty_sqlite
    if _empty_sqlite is None:
        import tempfile

        directory = Path(tempfile.mkdtemp(prefix="welfare-empty-schema-"))
        app = make_app(directory)
        with app.app_context():
            _create_schema(app)
        close_database(app)  # the last connection closing folds the WAL into the file
        _empty_sqlite = directory / "welfare.sqlite3"
    return _empty_sqlite


def app_with_empty_database(tmp_path):
    """A new app on an empty database (also for fixtures with a wider scope than one test)."""
    if TEST_DATABASE_URL:
        app = make_app(tmp_path)
        empty_database(app)
    else:
        Path(tmp_path).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_empty_sqlite_file(), Path(tmp_path) / "welfare.sqlite3")
        app = make_app(tmp_path)
    limiter.reset()
    return app


def _app_with_demo_catalog(template, tmp_path):
    """A new app on a copy of the demo template: its data dir, and on PostgreSQL its tables."""
    shutil.copytree(template, tmp_path, dirs_exist_ok=True)
    app = make_app(tmp_path)
    if TEST_DATABASE_URL:
        with app.app_context():
            _reset_postgres(app)
            _restore_postgres_demo()
    limiter.reset()
    return app


def _app_with_database(request, tmp_path):
    if "demo" in request.fixturenames:
        app = _app_with_demo_catalog(request.getfixturevalue("demo_template"), tmp_path)
    else:
        app = app_with_empty_database(tmp_path)
    yield app
    close_database(app)


def close_database(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """A data dir (database and search index) holding the demo catalog, built once per session."""
    from catalog.seed import load_demo_catalog

    app = app_with_empty_database(tmp_path_factory.mktemp("demo-template"))
    with app.app_context():
        load_demo_catalog()
        if TEST_DATABASE_URL:
            _snapshot_postgres_demo()
    close_database(app)  # SQLite: the last connection closing folds the WAL into the database file
    return Path(app.config["DATA_DIR"])


@pytest.fixture
def app(request, tmp_path):
    yield from _app_with_database(request, tmp_path)


@pytest.fixture
def database_app(request, tmp_path):
    """`app` under a name tests/unit/conftest.py does not override (its `app` has no database):
    for unit tests of forms whose choices come from the database."""
    yield from _app_with_database(request, tmp_path)


@pytest.fixture
def demo(app):
    """The demo catalog, its taxonomies and synonyms in the test's database and search index.

    The `app` fixture sees this fixture's name and starts from a copy of `demo_template`."""


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token(client, url: str = "/login") -> str:
    """Fetch a page and return the CSRF token its form carries."""
    html = client.get(url).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def create_user(app, role: Role | str, username: str | None = None, password: str = PASSWORD, **kwargs):
    from welfare.auth import services

    role = Role(role)
    with app.app_context():
        user = services.create_user(username or f"{role.value}-user", role, password, **kwargs)
        return user.id


def login(client, username: str, password: str = PASSWORD):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"csrf_token": token, "username": username, "password": password})


@pytest.fixture
def login_as(app):
    """login_as(role) -> a new test client logged in with a fresh user of that role."""

    def _login_as(role: Role | str, username: str | None = None):
        role = Role(role)
        username = username or f"{role.value}-user"
        create_user(app, role, username)
        client = app.test_client()
        response = login(client, username)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return _login_as


# The slow tier: whole-app walks and attack runs that take minutes on two cores. The README's
# test command leaves them out (pyproject addopts); .ci/run runs them right after it.
SLOW_TIER = {
    "test_hostile_walk.py",  # every GET route x each role with code of its own x hostile values
    "test_access.py",  # every route x every role -> the expected status: 2,800 requests
    "test_accessibility.py",  # axe on every reachable page, per role
    "test_trends_attacks.py",  # integer programs over every published trend figure
    "test_faults.py",
    "test_faults_serving.py",
    "test_faults_case_data.py",
    "test_concurrency.py",
    "test_start_command.py",
    "test_fuzz.py",  # hypothesis over every form
    "test_fuzz_staff.py",
    "test_hsds_property.py",
    "test_hsds_openapi.py",  # schemathesis against the official HSDS OpenAPI
    "test_search_log_queue.py",  # real gunicorn and werkzeug servers, stopped mid-flight
    "test_search_fuzzy.py",  # our matcher against Whoosh's on a multi-segment index
    "test_no_personal_data_in_server_log.py",  # a real server's log
}
# Measurements over sets of residents' texts (relevance and languages), in the slow tier too. Their
# figures come from the Whoosh index and the phrase table, read the same way on either database,
# so .ci/run's PostgreSQL pass leaves them out (`-m "not measurement"`); a single test elsewhere
# says the same with @pytest.mark.measurement.
MEASUREMENTS = {
    "test_search_heldout.py",  # relevance measured on every held-out round of descriptions
    "test_search_languages_second.py",  # a tuning set now, kept as a floor
    "test_search_languages_fresh.py",
    "test_search_languages_blind.py",
    "test_search_languages_people.py",  # a blind set, counts only
    "test_search_languages_tuning.py",  # the tuning sets' floors, rounds three to six
    "test_search_benefits.py",
    "test_search_fuzzy.py",  # our matcher against Whoosh's: the demo index alone, read alike
}


# The costliest tests, by file, in the order the slow tier and the PostgreSQL pass should start
# them (docs/benchmarks.md, "The test suite's own time"): xdist hands out tests in collection
# order, so one that takes a minute, collected last, leaves the other worker idle for that minute.
# Started first, the short tests fill in around them.
LONGEST_FIRST = (
    "test_accessibility.py",
    "test_hostile_walk.py",
    "test_faults_serving.py",
    "test_faults.py",
    "test_start_command.py",
    "test_concurrency.py",
    "test_trends_attacks.py",
    "test_faults_case_data.py",
    "test_index_nodes.py",
)


def _start_rank(item) -> int:
    name = item.path.name
    return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)


def pytest_collection_modifyitems(config, items):
    items.sort(key=_start_rank)  # stable: the rest keep pytest's order
    for item in items:
        if item.path.name in MEASUREMENTS:
            item.add_marker(pytest.mark.measurement)
        # tests/unit/conftest.py gives unit tests an app without a database; only `database_app`
        # builds one. The others give the same answer on either database: the PostgreSQL pass
        # leaves them out.
        if item.path.parent.name == "unit" and "database_app" not in item.fixturenames:
            item.add_marker(pytest.mark.no_database)
        # The browser journeys run in the slow tier too: a real Chromium per worker is the
        # costliest start there is, and the README's command stays under three minutes.
        if item.path.name in SLOW_TIER or item.path.parent.name == "browser" or item.get_closest_marker("measurement"):
            item.add_marker(pytest.mark.slow)
