"""Limits that hold on every path and every worker: login throttling, API limits, proxy
headers, the shared store, the request body limit."""

import socket
import uuid

import pytest
import sqlalchemy as sa

from tests.conftest import create_user, csrf_token, make_app
from welfare.extensions import db, limiter
from welfare.models import AuditEvent, Role


def _login_from(app, address: str, password: str, username: str = "pravnik"):
    client = app.test_client()
    token = csrf_token(client)
    return client.post(
        "/login",
        data={"csrf_token": token, "username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent.action)))


def test_guessing_from_one_address_does_not_lock_a_colleague_out(app):
    create_user(app, Role.LAWYER, "pravnik")
    statuses = [_login_from(app, "10.0.0.66", f"wrong password {i}").status_code for i in range(6)]
    assert statuses == [200] * 5 + [429]
    assert _login_from(app, "10.0.0.1", "correct horse battery").status_code == 302


def test_a_spread_out_attack_locks_the_username_until_an_administrator_lifts_it(app, login_as):
    app.config["LOGIN_USER_RATE_LIMIT"] = "3 per day"
    create_user(app, Role.LAWYER, "pravnik")
    for i in range(3):
        assert _login_from(app, f"10.1.0.{i}", f"wrong password {i}").status_code == 200
    locked = _login_from(app, "10.2.0.1", "correct horse battery")
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0
    assert {"login_locked", "login_throttled"} <= set(_actions(app))

    admin = login_as(Role.ADMIN, "eva")
    assert "pravnik" in admin.get("/admin/login-locks").get_data(as_text=True)
    token = csrf_token(admin, "/admin/login-locks")
    assert admin.post("/admin/login-locks/lift", data={"csrf_token": token, "username": "pravnik"}).status_code == 302
    assert "login_lock_lifted" in _actions(app)
    assert _login_from(app, "10.2.0.1", "correct horse battery").status_code == 302


def test_the_api_has_a_per_address_limit_answered_in_json(app, client):
    app.config["API_RATE_LIMIT"] = "2 per minute"
    assert [client.get("/api/hsds/taxonomies").status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/hsds/organizations")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert response.is_json and response.get_json()["status"] == 429


def test_api_search_spends_the_search_pages_budget(app, client):
    app.config["SEARCH_RATE_LIMIT"] = "2 per minute"
    assert client.get("/search?q=dolg").status_code == 200
    assert client.get("/api/hsds/services?search=dolg").status_code == 200
    assert client.get("/api/hsds/services?search=pomoc").status_code == 429
    assert client.get("/api/hsds/services").status_code == 200  # listing without search is not a search


def test_rotating_x_forwarded_for_does_not_lift_a_limit_by_default(app, client):
    app.config["API_RATE_LIMIT"] = "2 per minute"
    statuses = [client.get("/api/hsds/", headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code for i in range(3)]
    assert statuses == [200, 200, 429]


def test_a_stated_proxy_is_trusted_for_the_client_address(tmp_path):
    app = make_app(tmp_path, TRUSTED_PROXIES=1, API_RATE_LIMIT="2 per minute")
    limiter.reset()
    client = app.test_client()
    statuses = [client.get("/api/hsds/", headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code for i in range(3)]
    assert statuses == [200, 200, 200]
    with app.app_context():
        db.engine.dispose()


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


def _two_instances(tmp_path, storage: str) -> list[int]:
    """Two requests through one app instance, then one through a second instance (which binds
    the limiter to a fresh store connection, as another worker process would)."""
    prefix = f"welfare-test-{uuid.uuid4().hex}"
    settings = dict(RATELIMIT_STORAGE_URI=storage, RATELIMIT_KEY_PREFIX=prefix, API_RATE_LIMIT="2 per minute")
    first = make_app(tmp_path / "a", **settings)
    statuses = [first.test_client().get("/api/hsds/").status_code for _ in range(2)]
    second = make_app(tmp_path / "b", **settings)
    statuses.append(second.test_client().get("/api/hsds/").status_code)
    limiter.reset()
    return statuses


@pytest.mark.skipif(not _redis_up(), reason="no Redis server on 127.0.0.1:6379")
def test_two_app_instances_on_one_redis_share_one_limit(tmp_path):
    assert _two_instances(tmp_path, "redis://127.0.0.1:6379/0") == [200, 200, 429]


def test_two_app_instances_on_memory_each_count_their_own(tmp_path):
    """Why the README asks for Redis with several workers."""
    assert _two_instances(tmp_path, "memory://") == [200, 200, 200]


def test_several_workers_without_a_shared_store_are_warned_about(tmp_path):
    from welfare.config import limiter_store_warning

    assert "redis://" in limiter_store_warning(make_app(tmp_path / "a", WORKERS=4))
    assert limiter_store_warning(make_app(tmp_path / "b", WORKERS=1)) is None
    shared = make_app(tmp_path / "c", WORKERS=4, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0")
    assert limiter_store_warning(shared) is None


def test_a_request_body_over_the_limit_gets_a_translated_413(app, client):
    response = client.post("/login", data={"username": "x" * 3_000_000})
    assert response.status_code == 413
    assert "larger than this page accepts" in response.get_data(as_text=True)
    with client.session_transaction() as session:
        session["lang"] = "sl"
    response = client.post("/login", data={"username": "x" * 3_000_000})
    assert "Zahteva je prevelika" in response.get_data(as_text=True)
