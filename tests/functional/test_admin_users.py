"""User management through the admin pages and the `flask users` CLI."""

import re

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD, create_user, csrf_token, login
from welfare.extensions import db
from welfare.models import AuditEvent, Role, User


def _user(app, username):
    with app.app_context():
        return db.session.scalar(sa.select(User).where(User.username == username))


def test_admin_creates_a_user_without_a_password(app, login_as):
    """The account gets no password from the administrator: its owner sets one through the
    e-mailed link (tests/functional/test_accounts.py follows the link)."""
    admin = login_as(Role.ADMIN)
    token = csrf_token(admin, "/admin/users/new")
    response = admin.post(
        "/admin/users/new",
        data={
            "csrf_token": token,
            "username": "maja.k",
            "full_name": "Maja Kovač",
            "email": "maja.k@novomesto.si",
            "role": "social_worker",
            "is_enabled": "y",
            "password": "modra reka teče",
            "confirm": "modra reka teče",
        },
    )
    assert response.status_code == 302
    user = _user(app, "maja.k")
    assert user.role == Role.SOCIAL_WORKER and user.password_hash == "" and user.email == "maja.k@novomesto.si"
    assert login(app.test_client(), "maja.k", "modra reka teče").status_code == 200  # the posted password is ignored


def test_bad_new_user_input_keeps_what_was_typed(app, login_as):
    admin = login_as(Role.ADMIN)
    token = csrf_token(admin, "/admin/users/new")
    response = admin.post(
        "/admin/users/new",
        data={"csrf_token": token, "username": "maja.k", "full_name": "Maja Kovač", "role": "lawyer", "email": "maja"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter an e-mail address such as" in html
    assert 'value="maja.k"' in html and 'value="Maja Kovač"' in html
    assert re.search(r'<option selected value="lawyer">', html)
    assert _user(app, "maja.k") is None


def test_duplicate_username_is_refused(app, login_as):
    admin = login_as(Role.ADMIN)
    create_user(app, Role.LAWYER, "pravnik")
    token = csrf_token(admin, "/admin/users/new")
    response = admin.post(
        "/admin/users/new",
        data={"csrf_token": token, "username": "Pravnik", "role": "lawyer", "email": "p@novomesto.si"},
    )
    assert "This username is already taken." in response.get_data(as_text=True)


def test_admin_disables_user_and_their_session_ends(app, login_as):
    admin = login_as(Role.ADMIN)
    lawyer = login_as(Role.LAWYER)
    user = _user(app, "lawyer-user")
    token = csrf_token(admin, f"/admin/users/{user.id}")
    response = admin.post(
        f"/admin/users/{user.id}",
        data={"csrf_token": token, "full_name": "", "role": "lawyer", "version_id": user.version_id},
    )
    assert response.status_code == 302
    assert _user(app, "lawyer-user").is_enabled is False
    assert lawyer.get("/cases/").status_code == 302
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user_updated"))
        assert event.actor_name == "admin-user" and event.detail == "disabled"


def test_stale_edit_is_refused(app, login_as):
    admin = login_as(Role.ADMIN)
    create_user(app, Role.LAWYER, "pravnik")
    user = _user(app, "pravnik")
    token = csrf_token(admin, f"/admin/users/{user.id}")
    first = {
        "csrf_token": token,
        "full_name": "First",
        "role": "lawyer",
        "is_enabled": "y",
        "version_id": user.version_id,
    }
    assert admin.post(f"/admin/users/{user.id}", data=first).status_code == 302
    second = dict(first, full_name="Second")  # based on the same, now outdated, version
    html = admin.post(f"/admin/users/{user.id}", data=second).get_data(as_text=True)
    assert "Someone else changed this user" in html
    assert 'value="Second"' in html  # what the admin typed is still there
    assert _user(app, "pravnik").full_name == "First"


@pytest.mark.parametrize("version", ["x", "²", "١", "", "-1", "99999999999999999999", "9" * 5000])
def test_a_broken_version_field_is_a_stale_form_not_an_error(app, login_as, version):
    admin = login_as(Role.ADMIN)
    create_user(app, Role.LAWYER, "pravnik")
    user = _user(app, "pravnik")
    token = csrf_token(admin, f"/admin/users/{user.id}")
    data = {"csrf_token": token, "full_name": "Typed", "role": "lawyer", "is_enabled": "y", "version_id": version}
    response = admin.post(f"/admin/users/{user.id}", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, response.status_code
    assert "Someone else changed this user" in html and 'value="Typed"' in html
    assert _user(app, "pravnik").full_name != "Typed"


def test_admin_cannot_lock_themselves_out(app, login_as):
    admin = login_as(Role.ADMIN)
    me = _user(app, "admin-user")
    token = csrf_token(admin, f"/admin/users/{me.id}")
    html = admin.post(
        f"/admin/users/{me.id}", data={"csrf_token": token, "role": "admin", "version_id": me.version_id}
    ).get_data(as_text=True)
    assert "You cannot disable your own account" in html
    assert _user(app, "admin-user").is_enabled


def test_the_admin_cannot_set_a_password_any_more(app, login_as):
    admin = login_as(Role.ADMIN)
    login_as(Role.LAWYER)
    user = _user(app, "lawyer-user")
    token = csrf_token(admin, f"/admin/users/{user.id}")
    response = admin.post(
        f"/admin/users/{user.id}/password",
        data={"csrf_token": token, "password": "nova zelena jablana", "confirm": "nova zelena jablana"},
    )
    assert response.status_code == 404
    assert "password" not in admin.get(f"/admin/users/{user.id}").get_data(as_text=True).split("<main")[
        1
    ].lower().replace("the password is set by its owner", "").replace("a forgotten one is reset", "").replace(
        "password and second factor", ""
    )
    assert login(app.test_client(), "lawyer-user", "nova zelena jablana").status_code == 200
    assert login(app.test_client(), "lawyer-user").status_code == 302


def test_audit_page_lists_and_filters(app, login_as):
    admin = login_as(Role.ADMIN)
    login(app.test_client(), "admin-user", "wrong password!")
    html = admin.get("/admin/audit?action=login_failed").get_data(as_text=True)
    assert "login_failed" in html and ">login<" not in html


def test_cli_create_list_disable(app, runner):
    result = runner.invoke(args=["users", "create", "ana", "--role", "organizer", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["users", "create", "ana2", "--role", "organizer", "--password", "1234567890"])
    assert result.exit_code != 0 and "too easy to guess" in result.output
    result = runner.invoke(args=["users", "create", "bor", "--role", "lawyer"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["users", "list"])
    assert re.search(r"ana\s+organizer\s+enabled", result.output)
    assert runner.invoke(args=["users", "disable", "ana"]).exit_code == 0
    assert re.search(r"ana\s+organizer\s+disabled", runner.invoke(args=["users", "list"]).output)
    assert runner.invoke(args=["users", "disable", "nobody"]).exit_code != 0
    assert runner.invoke(args=["users", "create", "x", "--role", "boss"]).exit_code != 0


def test_new_disabled_user_is_created_in_one_transaction(app, login_as):
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    admin = login_as(Role.ADMIN)
    token = csrf_token(admin, "/admin/users/new")
    commits = []

    def count(session):
        commits.append(session)

    event.listen(Session, "after_commit", count)
    try:
        # No is_enabled (an unticked box) and no full_name field at all (a hand-made request).
        response = admin.post(
            "/admin/users/new",
            data={
                "csrf_token": token,
                "username": "vera.n",
                "role": "lawyer",
                "email": "vera.n@novomesto.si",
            },
        )
    finally:
        event.remove(Session, "after_commit", count)
    assert response.status_code == 302
    assert _user(app, "vera.n").is_enabled is False
    assert len(commits) == 1  # never an enabled account that a failure between two commits would leave behind
    with app.app_context():
        events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.object_id == str(_user(app, "vera.n").id)))
        assert [(e.action, e.detail) for e in events] == [
            ("user_created", "role=lawyer; disabled"),
            ("role_grant_announced", "lawyer"),  # the office has a single administrator
            ("enrollment_link_sent", None),
        ]
