"""Throttling that cannot be turned against a colleague (issue 21): five wrong passwords for a
username from each of eight addresses used to lock the real user out for a day."""

import sqlalchemy as sa

from tests.conftest import PASSWORD, create_user, csrf_token
from welfare.auth.devices import COOKIE
from welfare.extensions import db
from welfare.models import AuditEvent, Role


def _attempt(client, password: str, address: str, username: str = "pravnik"):
    token = csrf_token(client)
    return client.post(
        "/login",
        data={"csrf_token": token, "username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _attack(app, addresses: int = 8, per_address: int = 5) -> None:
    """The finding: an attacker spreads wrong passwords over several addresses (no cookies)."""
    for a in range(addresses):
        for i in range(per_address):
            _attempt(app.test_client(), f"wrong password {a}-{i}", f"198.51.100.{a}")


def _logged_in_once(app, address="10.0.0.5"):
    """The colleague's own browser: one login, then logging out keeps its device cookie."""
    browser = app.test_client()
    assert _attempt(browser, PASSWORD, address).status_code == 302
    assert browser.get_cookie(COOKIE, path="/login") is not None
    token = csrf_token(browser, "/cases/")
    browser.post("/logout", data={"csrf_token": token})
    return browser


def test_an_attack_from_many_addresses_does_not_lock_out_a_device_used_before(app, login_as):
    create_user(app, Role.LAWYER, "pravnik")
    browser = _logged_in_once(app)
    _attack(app)
    # A new device is locked (the attack still stops), with an alert for the administrator ...
    fresh = _attempt(app.test_client(), PASSWORD, "10.0.0.9")
    assert fresh.status_code == 429
    with app.app_context():
        actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert "login_locked" in actions
    admin = login_as(Role.ADMIN, "eva")
    assert "pravnik can log in only from devices they have used before" in admin.get("/admin/users").get_data(
        as_text=True
    )
    # ... while the colleague's own browser logs in, from any address.
    assert _attempt(browser, PASSWORD, "10.0.0.77").status_code == 302


def test_a_known_device_still_has_its_own_limit(app):
    app.config["LOGIN_DEVICE_RATE_LIMIT"] = "3 per 15 minutes"
    create_user(app, Role.LAWYER, "pravnik")
    browser = _logged_in_once(app)
    statuses = [_attempt(browser, f"wrong {i}", "10.0.0.5").status_code for i in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_a_device_cookie_counts_only_for_its_username(app):
    create_user(app, Role.LAWYER, "pravnik")
    create_user(app, Role.LAWYER, "druga")
    browser = _logged_in_once(app)
    app.config["LOGIN_USER_RATE_LIMIT"] = "3 per day"
    for i in range(3):
        _attempt(app.test_client(), f"wrong {i}", f"198.51.100.{i}", username="druga")
    assert _attempt(browser, PASSWORD, "10.0.0.5", username="druga").status_code == 429


def test_a_forged_device_cookie_is_ignored(app):
    app.config["LOGIN_USER_RATE_LIMIT"] = "3 per day"
    create_user(app, Role.LAWYER, "pravnik")
    for i in range(3):
        _attempt(app.test_client(), f"wrong {i}", f"198.51.100.{i}")
    forger = app.test_client()
    forger.set_cookie(COOKIE, '{"u": "pravnik", "d": "x"}', path="/login")
    assert _attempt(forger, PASSWORD, "10.0.0.9").status_code == 429
