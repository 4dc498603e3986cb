"""The search log off the request path: searches and opens are queued in memory and written in
batches; nothing is lost under concurrent searches, before a flush, or at a clean shutdown."""

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
import sqlalchemy as sa

from catalog.learning import log_queue
from catalog.search import SearchLog
from catalog.search import index as search_index
from tests.conftest import close_database, make_app
from tests.factories import make_org, make_service
from tests.index_helpers import ROOT, Node, free_port
from welfare.extensions import db

TOKEN_RE = re.compile(r"/services/([^?\"]+)\?from=([0-9a-f]{32})")


@pytest.fixture
def manual_app(app):
    """An app whose search log is written only by an explicit flush, with two services indexed."""
    app.extensions["search_log_queue"].mode = "manual"
    with app.app_context():
        for name in ("Svetovalnica Kresnica", "Kresnica za starše"):
            make_service(make_org(f"Društvo {name}"), name=name)
        db.session.commit()
        search_index.rebuild()
    return app


def _rows(app) -> list[SearchLog]:
    with app.app_context():
        return list(db.session.scalars(sa.select(SearchLog).order_by(SearchLog.id)))


def test_concurrent_searches_are_written_exactly_once_after_the_flush(manual_app):
    searches, threads = 8, 4
    failures = []

    def search_many(n: int):
        client = manual_app.test_client()
        for i in range(searches):
            if client.get(f"/search?q=kresnica {n}-{i}").status_code != 200:
                failures.append((n, i))

    workers = [threading.Thread(target=search_many, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert not failures
    assert _rows(manual_app) == []  # no search wrote to the database on its request path
    with manual_app.app_context():
        assert log_queue.flush() == searches * threads
        assert log_queue.flush() == 0
    rows = _rows(manual_app)
    assert len(rows) == searches * threads
    assert {r.query for r in rows} == {f"kresnica {n}-{i}" for n in range(threads) for i in range(searches)}
    assert len({r.token for r in rows}) == len(rows)


def test_an_open_before_the_flush_is_kept(manual_app):
    client = manual_app.test_client()
    service_id, token = TOKEN_RE.search(client.get("/search?q=kresnica").get_data(as_text=True)).groups()
    assert client.get(f"/services/{service_id}?from={token}").status_code == 200
    assert client.get(f"/services/{service_id}?from={'0' * 32}").status_code == 200  # unknown: ignored
    assert client.get(f"/services/{service_id}?from=12").status_code == 200  # an old numeric link
    with manual_app.app_context():
        assert log_queue.flush() == 1
    [row] = _rows(manual_app)
    assert row.token == token and row.opened_service_id == service_id and row.opened_at >= row.at


def test_an_open_whose_search_another_worker_writes_later_waits_for_it(manual_app, tmp_path):
    other = make_app(
        tmp_path / "worker-2",
        SEARCH_LOG_FLUSH="manual",
        SQLALCHEMY_DATABASE_URI=manual_app.config["SQLALCHEMY_DATABASE_URI"],
    )
    try:
        html = manual_app.test_client().get("/search?q=kresnica").get_data(as_text=True)
        service_id, token = TOKEN_RE.search(html).groups()
        other.test_client().get(f"/services/{service_id}?from={token}")  # served by the other worker
        with other.app_context():
            log_queue.flush()
            assert log_queue.queue().pending() == 1  # its search is not in the database yet: kept
        with manual_app.app_context():
            log_queue.flush()
        with other.app_context():
            log_queue.flush()
            assert log_queue.queue().pending() == 0
        assert _rows(manual_app)[0].opened_service_id == service_id
    finally:
        close_database(other)


def test_the_background_writer_writes_without_a_flush_call(manual_app):
    manual_app.extensions["search_log_queue"].mode = "background"
    try:
        manual_app.test_client().get("/search?q=kresnica")
        deadline = time.monotonic() + 30
        while not _rows(manual_app) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(_rows(manual_app)) == 1
    finally:
        manual_app.extensions["search_log_queue"].close()


def test_a_failed_write_keeps_the_entries_for_the_next_try(manual_app):
    manual_app.test_client().get("/search?q=kresnica")
    with manual_app.app_context():
        with db.engine.begin() as conn:
            conn.execute(sa.text("ALTER TABLE catalog_search_log RENAME TO search_log_away"))
        with pytest.raises(sa.exc.SQLAlchemyError):
            log_queue.flush()
        assert log_queue.queue().pending() == 1
        with db.engine.begin() as conn:
            conn.execute(sa.text("ALTER TABLE search_log_away RENAME TO catalog_search_log"))
        assert log_queue.flush() == 1


def _gunicorn(data_dir, database_url):
    port = free_port()
    env = {
        **os.environ,
        "WELFARE_DATA_DIR": str(data_dir),
        "WELFARE_SQLALCHEMY_DATABASE_URI": database_url,
        "WELFARE_SECRET_KEY": "node-test",
        "PYTHONPATH": str(ROOT),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "welfare:create_app()"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2).read()
            return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


@pytest.mark.parametrize("server", ["werkzeug", "gunicorn"])
def test_a_clean_shutdown_writes_the_queue(manual_app, server):
    """SIGTERM right after the searches, well within the writer's one-second period."""
    url_db = manual_app.config["SQLALCHEMY_DATABASE_URI"]
    if server == "werkzeug":
        node = Node(manual_app.config["DATA_DIR"], url_db).start()
        process, url = node.process, node.url
    else:
        process, url = _gunicorn(manual_app.config["DATA_DIR"], url_db)
    try:
        for i in range(5):
            urllib.request.urlopen(f"{url}/search?q=kresnica+{i}", timeout=20).read()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    assert sorted(r.query for r in _rows(manual_app)) == [f"kresnica {i}" for i in range(5)]
