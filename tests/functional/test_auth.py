"""Login, logout, sessions and their timeouts, as a browser would drive them (CSRF on)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD, create_user, csrf_token, login
from welfare.extensions import db
from welfare.models import AuditEvent, Role, UserSession


def audit_actions(app):
    with app.app_context():
        return [e.action for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]


@pytest.mark.parametrize(
    "role, home",
    [
        (Role.ORGANIZER, "/cases/"),
        (Role.LAWYER, "/cases/"),
        (Role.SOCIAL_WORKER, "/cases/"),
        (Role.SUPERVISOR, "/trends/"),
        (Role.ADMIN, "/admin/users"),
    ],
)
def test_login_lands_on_role_home(app, client, role, home):
    create_user(app, role, "person")
    response = login(client, "person")
    assert response.status_code == 302
    assert response.headers["Location"] == home
    assert client.get(home).status_code == 200


def test_unknown_user_and_wrong_password_get_the_same_message(app, client):
    create_user(app, Role.LAWYER, "pravnik")
    wrong = login(client, "pravnik", "not the password")
    unknown = login(client, "nobody", "not the password")
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "Invalid username or password." in response.get_data(as_text=True)
    assert audit_actions(app).count("login_failed") == 2


def test_typed_username_is_kept_after_failed_login(app, client):
    html = login(client, "pravnik.novak", "wrong password").get_data(as_text=True)
    assert 'value="pravnik.novak"' in html


def test_disabled_user_cannot_log_in(app, client):
    create_user(app, Role.LAWYER, "pravnik")
    app.test_cli_runner().invoke(args=["users", "disable", "pravnik"])
    assert "Invalid username or password." in login(client, "pravnik").get_data(as_text=True)


def test_login_without_csrf_token_is_refused(app, client):
    create_user(app, Role.LAWYER, "pravnik")
    response = client.post("/login", data={"username": "pravnik", "password": PASSWORD})
    assert response.status_code == 400
    assert "form has expired" in response.get_data(as_text=True)


def test_login_starts_a_new_session(app, client):
    create_user(app, Role.LAWYER, "pravnik")
    csrf_token(client)
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    login(client, "pravnik")
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess.permanent


def test_logout_requires_post_and_invalidates_the_cookie(app, client):
    create_user(app, Role.LAWYER, "pravnik")
    login(client, "pravnik")
    assert client.get("/logout").status_code == 405  # GET never changes state
    stolen_cookie = client.get_cookie("pisarna_session").value
    token = csrf_token(client, "/cases/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/cases/").status_code == 302

    replay = app.test_client()
    replay.set_cookie("pisarna_session", stolen_cookie)
    response = replay.get("/cases/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert "logout" in audit_actions(app)


def _age_session(app, **delta):
    with app.app_context():
        for s in db.session.scalars(sa.select(UserSession)):
            if "created" in delta:
                s.created_at -= delta["created"]
            if "idle" in delta:
                s.last_seen_at -= delta["idle"]
        db.session.commit()


def test_idle_timeout_ends_session(app, client):
    create_user(app, Role.LAWYER, "pravnik")
    login(client, "pravnik")
    _age_session(app, idle=timedelta(minutes=31))
    response = client.get("/cases/", follow_redirects=True)
    assert "Your session expired" in response.get_data(as_text=True)
    assert client.get("/cases/").status_code == 302


def test_activity_within_idle_window_keeps_session(app, client):
    create_user(app, Role.LAWYER, "pravnik")
    login(client, "pravnik")
    _age_session(app, idle=timedelta(minutes=29))
    assert client.get("/cases/").status_code == 200


def test_absolute_timeout_ends_even_an_active_session(app, client):
    create_user(app, Role.LAWYER, "pravnik")
    login(client, "pravnik")
    _age_session(app, created=timedelta(hours=12, minutes=1))
    assert client.get("/cases/").status_code == 302


def test_disabling_a_user_ends_their_sessions(app, client, runner):
    create_user(app, Role.LAWYER, "pravnik")
    login(client, "pravnik")
    assert client.get("/cases/").status_code == 200
    result = runner.invoke(args=["users", "disable", "pravnik"])
    assert result.exit_code == 0, result.output
    assert client.get("/cases/").status_code == 302


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/admin/audit", "/admin/audit"),
        ("https://evil.example/", "/admin/users"),
        ("//evil.example/", "/admin/users"),
        ("/\\evil.example", "/admin/users"),
        ("javascript:alert(1)", "/admin/users"),
    ],
)
def test_next_redirects_only_to_local_paths(app, client, target, expected):
    create_user(app, Role.ADMIN, "admin")
    token = csrf_token(client)
    response = client.post(
        "/login", data={"csrf_token": token, "username": "admin", "password": PASSWORD, "next": target}
    )
    assert response.headers["Location"] == expected


def test_protected_page_redirects_to_login_with_next(client):
    response = client.get("/admin/audit?action=login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/admin/audit?action%3Dlogin"


def test_successful_login_is_audited(app, client):
    create_user(app, Role.LAWYER, "pravnik")
    login(client, "pravnik")
    assert audit_actions(app)[-1] == "login"
