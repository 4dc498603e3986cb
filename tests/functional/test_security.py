"""Security baseline: throttling, headers, error pages, audit log integrity."""

import socket
import uuid

import pytest
import sqlalchemy as sa

from tests.conftest import create_user, csrf_token, login, make_app
from welfare.extensions import db, limiter
from welfare.models import AuditEvent, Role


def _throttle_run(app):
    create_user(app, Role.LAWYER, "pravnik")
    client = app.test_client()
    statuses = [login(client, "pravnik", f"wrong password {i}").status_code for i in range(6)]
    return client, statuses


def test_repeated_failed_logins_get_429_and_are_logged(app):
    client, statuses = _throttle_run(app)
    assert statuses == [200] * 5 + [429]
    page = login(client, "pravnik").get_data(as_text=True)  # even the right password waits
    assert "Too many attempts" in page
    with app.app_context():
        actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert "login_throttled" in actions


def test_successful_logins_do_not_count_towards_the_limit(app):
    create_user(app, Role.LAWYER, "pravnik")
    for _ in range(7):
        client = app.test_client()
        assert login(client, "pravnik").status_code == 302


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis server on 127.0.0.1:6379")
def test_throttling_with_redis_storage(tmp_path):
    from tests.conftest import TEST_DATABASE_URL, wipe_postgres

    if TEST_DATABASE_URL:
        wipe_postgres(TEST_DATABASE_URL)
    prefix = f"welfare-test-{uuid.uuid4().hex}"
    app = make_app(tmp_path, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0", RATELIMIT_KEY_PREFIX=prefix)
    with app.app_context():
        db.create_all()
    try:
        _, statuses = _throttle_run(app)
        assert statuses == [200] * 5 + [429]
        import redis

        keys = redis.Redis(host="127.0.0.1", port=6379).keys(f"*{prefix}*")
        assert keys, "limits were not stored in Redis"
    finally:
        limiter.reset()
        with app.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("path", ["/", "/login", "/does-not-exist"])
def test_security_headers_on_every_response(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in headers  # plain HTTP in tests


def test_hsts_over_https(client):
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_pages_behind_login_are_not_cached(login_as):
    client = login_as(Role.LAWYER)
    assert client.get("/cases/").headers["Cache-Control"] == "no-store"


def test_public_pages_may_be_cached(client):
    assert client.get("/").headers.get("Cache-Control") != "no-store"


def test_session_cookie_flags(app, client):
    create_user(app, Role.LAWYER, "pravnik")
    response = login(client, "pravnik")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_cookie_is_secure_outside_development(tmp_path):
    app = make_app(tmp_path, TESTING=False)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    dev = make_app(tmp_path, TESTING=False, DEVELOPMENT=True)
    assert dev.config["SESSION_COOKIE_SECURE"] is False


def test_500_page_shows_reference_and_rolls_back(app, client):
    @app.route("/boom")
    def boom():
        db.session.add(AuditEvent(action="half-written"))
        db.session.flush()
        raise RuntimeError("secret internal detail")

    response = client.get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in html and "secret internal detail" not in html
    assert "Traceback" not in html
    assert 'class="reference"' in html
    with app.app_context():
        assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "half-written")) is None


@pytest.mark.parametrize("status, text", [(404, "Page not found"), (405, "Method not allowed")])
def test_error_pages_are_friendly(client, status, text):
    response = client.get("/nope") if status == 404 else client.get("/logout")
    assert response.status_code == status
    assert text in response.get_data(as_text=True)


def test_403_page(login_as):
    response = login_as(Role.SUPERVISOR).get("/admin/users")
    assert response.status_code == 403
    assert "Access denied" in response.get_data(as_text=True)


def test_audit_log_is_append_only(app):
    with app.app_context():
        db.session.add(AuditEvent(action="test"))
        db.session.commit()
        with pytest.raises(sa.exc.DatabaseError):
            db.session.execute(sa.text("UPDATE audit_event SET action = 'rewritten'"))
        db.session.rollback()
        with pytest.raises(sa.exc.DatabaseError):
            db.session.execute(sa.text("DELETE FROM audit_event"))
        db.session.rollback()
        event = db.session.scalar(sa.select(AuditEvent))
        event.action = "rewritten"
        with pytest.raises(RuntimeError):
            db.session.commit()
        db.session.rollback()
        assert db.session.scalar(sa.select(AuditEvent.action)) == "test"


@pytest.mark.parametrize("url", ["/search?q=a%00b", "/api/hsds/services?search=%00", "/login?next=%00"])
def test_nul_bytes_are_refused_before_anything_is_written(client, url):
    assert client.get(url).status_code == 400


def test_nul_byte_in_a_form_is_refused(app, client):
    token = csrf_token(client)
    response = client.post("/login", data={"csrf_token": token, "username": "a\x00b", "password": "x" * 12})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 0
