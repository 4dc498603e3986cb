"""Limits switched off, and the limits' store going away: logins and searches keep working.

Issue 21: `RATELIMIT_ENABLED = false` made every login a 500, and a Redis that does not answer
made /search, the API's search, POST /login and the calendar feed answer 500.
"""

import logging
import shutil
import socket
import subprocess
import time

import pytest

from tests.conftest import PASSWORD, TEST_DATABASE_URL, create_user, csrf_token, empty_database, login, make_app
from welfare.extensions import db
from welfare.models import Role


def _app(tmp_path, **settings):
    """A new app with these settings on an empty database (PostgreSQL: the worker's, emptied)."""
    app = make_app(tmp_path, **settings)
    if TEST_DATABASE_URL:  # the worker's database, emptied of the earlier tests' users
        empty_database(app)
    else:  # a new file; create_all, not a stamp (alembic's logging setup would mute the app's warnings)
        with app.app_context():
            db.create_all()
    return app


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wrong_then_right(app, address: str = "10.9.0.1") -> list[int]:
    client = app.test_client()
    token = csrf_token(client)
    statuses = []
    for password in ("wrong password", PASSWORD):
        response = client.post(
            "/login",
            data={"csrf_token": token, "username": "pravnik", "password": password},
            environ_base={"REMOTE_ADDR": address},
        )
        statuses.append(response.status_code)
    return statuses


def _feed_url(app) -> str:
    client = app.test_client()
    assert login(client, "pravnik").status_code == 302
    token = csrf_token(client, "/cases/calendar")
    html = client.post("/cases/calendar/renew", data={"csrf_token": token}).get_data(as_text=True)
    start = html.index("http://localhost/calendar/")
    return html[start : html.index(".ics", start) + 4].removeprefix("http://localhost")


def _everything_the_store_guards(app) -> dict[str, int]:
    client = app.test_client()
    return {
        "search": client.get("/search?q=pomoc").status_code,
        "api search": client.get("/api/hsds/services?search=pomoc").status_code,
        "login": _wrong_then_right(app)[-1],
        "feed": client.get(_feed_url(app)).status_code,
    }


def test_logins_work_with_limits_switched_off(tmp_path):
    app = _app(tmp_path, RATELIMIT_ENABLED=False)
    create_user(app, Role.LAWYER, "pravnik")
    assert _wrong_then_right(app) == [200, 302]
    # Many failures: no throttling while the operator has limits off (the benches do).
    assert [_wrong_then_right(app)[0] for _ in range(6)] == [200] * 6
    # The switch belongs to that app only: the next app counts again.
    again = _app(tmp_path / "again", LOGIN_RATE_LIMIT="1 per minute")
    create_user(again, Role.LAWYER, "pravnik")
    assert _wrong_then_right(again) == [200, 429]


def test_check_deploy_warns_when_limits_are_off(tmp_path):
    app = _app(tmp_path, RATELIMIT_ENABLED=False)
    result = app.test_cli_runner().invoke(args=["check-deploy"])
    assert "limits-off" in result.output


def test_a_redis_that_does_not_answer_degrades_to_counting_in_the_process(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    app = _app(tmp_path, RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{_free_port()}/0", LOGIN_RATE_LIMIT="3 per minute")
    create_user(app, Role.LAWYER, "pravnik")
    assert _everything_the_store_guards(app) == {"search": 200, "api search": 200, "login": 302, "feed": 200}
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("unreachable" in message for message in warnings), warnings
    # Fail safe: the login throttle still counts, in this process.
    statuses = [_wrong_then_right(app, "10.9.9.9")[0] for _ in range(4)]
    assert statuses[-1] == 429


def test_check_deploy_reports_a_store_that_does_not_answer(tmp_path):
    app = _app(tmp_path, RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{_free_port()}/0")
    result = app.test_cli_runner().invoke(args=["check-deploy"])
    assert "limits-store-down" in result.output
    assert "unreachable" in result.output


def _wait_for_port(port: int, process: subprocess.Popen) -> None:
    while True:
        assert process.poll() is None, "redis-server did not start"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.02)  # polling for readiness, not a guessed delay


@pytest.mark.skipif(not shutil.which("redis-server"), reason="no redis-server on this machine")
def test_redis_stopped_mid_run(tmp_path):
    port = _free_port()
    command = ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port, server)
        app = _app(tmp_path, RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{port}/0")
        create_user(app, Role.LAWYER, "pravnik")
        assert _everything_the_store_guards(app) == {"search": 200, "api search": 200, "login": 302, "feed": 200}
        server.terminate()
        server.wait(timeout=30)
        assert _everything_the_store_guards(app) == {"search": 200, "api search": 200, "login": 302, "feed": 200}
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_the_check_deploy_store_probe_passes_on_memory(tmp_path):
    result = _app(tmp_path).test_cli_runner().invoke(args=["check-deploy"])
    assert "limits-store-down" not in result.output and "limits-off" not in result.output
