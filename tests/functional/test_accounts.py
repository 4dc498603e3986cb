"""Accounts (issue 21): enrollment by e-mailed link, password change and reset, the TOTP second
factor with recovery codes, and case-team roles confirmed by a second administrator."""

import re
from datetime import timedelta

import pyotp
import sqlalchemy as sa

from tests.conftest import PASSWORD, create_user, csrf_token, login, make_app
from welfare.database import utcnow
from welfare.extensions import db
from welfare.mail import OutgoingMail
from welfare.models import AccountToken, AuditEvent, Role, User

NEW_PASSWORD = "zelena jablana pod goro"


def _user(app, username) -> User:
    with app.app_context():
        return db.session.scalar(sa.select(User).where(User.username == username))


def _link(app, to_addr: str) -> str:
    with app.app_context():
        body = db.session.scalars(
            sa.select(OutgoingMail.body).where(OutgoingMail.to_addr == to_addr).order_by(OutgoingMail.id.desc())
        ).first()
    return re.search(r"http://localhost(/account/\S+)", body).group(1)


def _actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def _post(client, url, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


def _new_account(app, admin, username="nina", role="organizer", email=None):
    email = email or f"{username}@novomesto.si"
    response = _post(
        admin, "/admin/users/new", username=username, full_name="Nina Nova", email=email, role=role, is_enabled="y"
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return _link(app, email)


def _with_totp(app, username) -> str:
    """Give an existing user a confirmed second factor; return its secret."""
    secret = pyotp.random_base32()
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        user.totp_secret, user.totp_confirmed_at = secret, utcnow()
        db.session.commit()
    return secret


def test_production_requires_a_second_factor_by_default(tmp_path):
    from welfare.auth import totp

    app = make_app(tmp_path, TOTP_REQUIRED=None)  # what production has when nothing is set
    with app.test_request_context():
        assert totp.required()
        assert totp.required_for(User(role=Role.ADMIN)) and totp.required_for(User(role=Role.LAWYER))
        assert not totp.required_for(User(role=Role.SUPERVISOR))


def test_enrollment_sets_the_password_and_the_second_factor(app, login_as):
    admin = login_as(Role.ADMIN)
    app.config["TOTP_REQUIRED"] = True  # production's default (the admin logged in before it)
    link = _new_account(app, admin)
    assert _user(app, "nina").password_hash == ""
    colleague = app.test_client()
    weak = _post(colleague, link, password="geslo12345", confirm="geslo12345")
    assert weak.status_code == 200 and "too easy to guess" in weak.get_data(as_text=True)
    response = _post(colleague, link, password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    assert response.headers["Location"] == "/account/second-factor"
    assert colleague.get("/cases/").status_code == 302  # not usable before the second factor
    page = colleague.get("/account/second-factor").get_data(as_text=True)
    assert "<svg" in page
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    wrong = _post(colleague, "/account/second-factor", code="000000")
    assert "This code is not valid" in wrong.get_data(as_text=True)
    done = _post(colleague, "/account/second-factor", code=pyotp.TOTP(secret).now())
    codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", done.get_data(as_text=True))
    assert len(codes) == 10
    assert colleague.get("/cases/").status_code == 200
    assert colleague.get(link).status_code == 404  # single use
    assert {"enrollment_link_sent", "enrolled", "totp_set_up"} <= set(_actions(app))
    with app.app_context():
        stored = db.session.execute(sa.text("SELECT totp_secret FROM \"user\" WHERE username = 'nina'")).scalar()
    assert stored.startswith("enc2:") and secret not in stored


def test_an_expired_or_replaced_enrollment_link_opens_nothing(app, login_as):
    admin = login_as(Role.ADMIN)
    first = _new_account(app, admin, role="supervisor")
    user_id = _user(app, "nina").id
    assert _post(admin, f"/admin/users/{user_id}/enrollment").status_code == 302
    second = _link(app, "nina@novomesto.si")
    assert first != second
    assert app.test_client().get(first).status_code == 404
    assert app.test_client().get(second).status_code == 200
    with app.app_context():
        db.session.execute(sa.update(AccountToken).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    response = _post(app.test_client(), second, password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    assert response.status_code == 404 and _user(app, "nina").password_hash == ""


def test_login_asks_for_the_code_and_refuses_a_replayed_one(app):
    create_user(app, Role.LAWYER, "pravnik")
    secret = _with_totp(app, "pravnik")
    client = app.test_client()
    assert login(client, "pravnik").headers["Location"] == "/login/code"
    assert client.get("/cases/").status_code == 302  # the password alone opens nothing
    assert "not valid" in _post(client, "/login/code", code="123456").get_data(as_text=True)
    code = pyotp.TOTP(secret).now()
    assert _post(client, "/login/code", code=code).headers["Location"] == "/cases/"
    again = app.test_client()
    login(again, "pravnik")
    assert "not valid" in _post(again, "/login/code", code=code).get_data(as_text=True)  # replay
    assert again.get("/cases/").status_code == 302


def test_a_recovery_code_works_once(app):
    create_user(app, Role.SOCIAL_WORKER, "socialna")
    _with_totp(app, "socialna")
    with app.app_context():
        from welfare.auth import totp

        codes = totp.new_recovery_codes(db.session.scalar(sa.select(User).where(User.username == "socialna")))
        db.session.commit()
    client = app.test_client()
    login(client, "socialna")
    assert _post(client, "/login/code", code=codes[0].upper()).status_code == 302
    again = app.test_client()
    login(again, "socialna")
    assert "not valid" in _post(again, "/login/code", code=codes[0]).get_data(as_text=True)
    assert "recovery_code_used" in _actions(app)


def test_wrong_codes_are_throttled_like_passwords(app):
    create_user(app, Role.LAWYER, "pravnik")
    _with_totp(app, "pravnik")
    client = app.test_client()
    login(client, "pravnik")
    statuses = [_post(client, "/login/code", code="000000").status_code for _ in range(6)]
    assert statuses[:5] == [200] * 5 and statuses[5] == 429


def test_password_change_needs_the_current_one(app, login_as):
    client = login_as(Role.SUPERVISOR, "darko")
    other = app.test_client()
    login(other, "darko")
    bad = _post(client, "/account/password", current="wrong one!", password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    assert "The current password is not right." in bad.get_data(as_text=True)
    ok = _post(client, "/account/password", current=PASSWORD, password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    assert ok.headers["Location"] == "/account"
    assert client.get("/account").status_code == 200  # this session stays
    assert other.get("/account").status_code == 302  # the other one ended
    assert login(app.test_client(), "darko", NEW_PASSWORD).status_code == 302
    assert "password_changed" in _actions(app)


def test_reset_answers_the_same_and_keeps_the_second_factor(app):
    create_user(app, Role.LAWYER, "pravnik", email="pravnik@novomesto.si")
    _with_totp(app, "pravnik")
    client = app.test_client()
    unknown = _post(client, "/account/reset", name="nobody@novomesto.si")
    known = _post(client, "/account/reset", name="PRAVNIK")
    assert unknown.status_code == known.status_code == 302
    assert client.get("/login").get_data(as_text=True).count("a link to reset the password is on its way") == 1
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutgoingMail)) == 1
    link = _link(app, "pravnik@novomesto.si")
    assert _post(app.test_client(), link, password=NEW_PASSWORD, confirm=NEW_PASSWORD).status_code == 302
    assert app.test_client().get(link).status_code == 404  # used
    assert login(app.test_client(), "pravnik", NEW_PASSWORD).headers["Location"] == "/login/code"
    assert {"password_reset_asked", "password_reset_done"} <= set(_actions(app))


def test_one_admin_cannot_alone_grant_a_case_team_role_when_two_exist(app, login_as):
    first = login_as(Role.ADMIN, "admin1")
    second = login_as(Role.ADMIN, "admin2")
    link = _new_account(app, first, role="organizer")
    assert not _user(app, "nina").role_granted
    colleague = app.test_client()
    _post(colleague, link, password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    assert login(colleague, "nina", NEW_PASSWORD).headers["Location"] == "/account"
    assert colleague.get("/cases/").status_code == 403  # pending: no case files yet
    with app.app_context():
        from welfare.models import RoleGrant

        grant_id = db.session.scalar(sa.select(RoleGrant.id).where(RoleGrant.state == "pending"))
    _post(first, f"/admin/grants/{grant_id}/confirm")
    assert not _user(app, "nina").role_granted  # the asker cannot confirm
    assert _post(second, f"/admin/grants/{grant_id}/confirm").status_code == 302
    assert _user(app, "nina").role_granted
    assert colleague.get("/cases/").status_code == 302  # the old session ended with the change
    login(colleague, "nina", NEW_PASSWORD)
    assert colleague.get("/cases/").status_code == 200
    assert {"role_grant_requested", "role_grant_confirmed"} <= set(_actions(app))


def test_an_existing_account_keeps_its_role_until_confirmed(app, login_as):
    first = login_as(Role.ADMIN, "admin1")
    login_as(Role.ADMIN, "admin2")
    create_user(app, Role.SUPERVISOR, "darko")
    user = _user(app, "darko")
    _post(first, f"/admin/users/{user.id}", full_name="", role="lawyer", is_enabled="y", version_id=user.version_id)
    assert _user(app, "darko").role == Role.SUPERVISOR


def test_a_single_admin_grant_is_announced_to_the_team(app, login_as):
    team = login_as(Role.SOCIAL_WORKER, "socialna")
    with app.app_context():
        db.session.execute(sa.update(User).where(User.username == "socialna").values(email="s@novomesto.si"))
        db.session.commit()
    admin = login_as(Role.ADMIN)
    _new_account(app, admin, role="lawyer")
    assert _user(app, "nina").role_granted
    with app.app_context():
        subjects = list(
            db.session.scalars(sa.select(OutgoingMail.subject).where(OutgoingMail.to_addr == "s@novomesto.si"))
        )
    assert subjects == ["New case-team member at Pisarna lokalne blaginje"]
    html = team.get("/cases/").get_data(as_text=True)
    assert "New in the case team" in html and "Nina Nova" in html
