"""Browser harness: the real app on a local port, driven by Playwright in Debian's Chromium."""

import os
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("WELFARE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(config, items):
    if not os.path.exists(CHROMIUM):
        skip = pytest.mark.skip(
            reason=f"Chromium not found at {CHROMIUM}: browser tests skipped (.ci/run installs it with apt-get)"
        )
        for item in items:
            if "tests/browser" in str(item.fspath):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app on SQLite in a temp data dir, served by a real HTTP server in a thread."""
    from tests.conftest import make_app
    from welfare.commands import upgrade_database

    data_dir = tmp_path_factory.mktemp("browser-data")
    app = make_app(
        data_dir,
        TESTING=False,
        DEVELOPMENT=True,
        BABEL_DEFAULT_LOCALE="sl",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{data_dir / 'welfare.sqlite3'}",
    )
    with app.app_context():
        upgrade_database()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()


@pytest.fixture(scope="session")
def base_url(live_app):
    return live_app.config["LIVE_URL"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="sl-SI")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    """A phone-sized page (roughly a mid-range Android phone)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True, locale="sl-SI"
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="module")
def demo_catalog(live_app):
    """The demo catalog in the live app's database (idempotent across modules)."""
    from catalog.seed import load_demo_catalog

    with live_app.app_context():
        load_demo_catalog()
