"""`flask check-deploy`: each unsafe production setting is found, a safe one passes."""

import os
import stat
from pathlib import Path

import pytest

from welfare.deploy_check import find_unsafe_settings

SAFE_SECRET = "9f" * 32
# A well-formed age public key (the example of age's documentation); check-deploy only parses it.
BACKUP_RECIPIENT = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"


def _make_safe(app) -> None:
    """The production shape from the README: one worker here, a proxy, real mail, private files."""
    app.config.update(
        TESTING=False,
        DEBUG=False,
        SESSION_COOKIE_SECURE=True,
        TRUSTED_PROXIES=1,
        SECRET_KEY=SAFE_SECRET,
        MAIL_BACKEND="smtp",
        MAIL_HOST="mail.novomesto.example",
        MAIL_STARTTLS=True,
        WORKERS=1,
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0",
        BACKUP_RECIPIENTS=BACKUP_RECIPIENT,
        PUBLIC_URL="https://pisarna.novomesto.example",
        TOTP_REQUIRED=None,  # the production default: the second factor is required
    )
    os.chmod(app.config["DATA_DIR"], 0o700)


def _private_write(path: Path, text: str) -> None:
    path.write_text(text)
    os.chmod(path, 0o600)


def _codes(app, workers=None) -> set[str]:
    return {finding.code for finding in find_unsafe_settings(app, workers)}


def test_the_production_shape_has_no_findings_and_the_command_exits_0(app, runner):
    _make_safe(app)
    assert _codes(app) == set()
    result = runner.invoke(args=["check-deploy"])
    assert result.exit_code == 0, result.output
    assert "No unsafe settings found" in result.output


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"DEBUG": True}, "debug"),
        ({"DEVELOPMENT": True}, "development"),
        ({"TESTING": True}, "testing"),
        ({"SECRET_KEY": "short"}, "weak-secret-key"),
        ({"TRUSTED_PROXIES": 0}, "no-proxy"),
        ({"SESSION_COOKIE_SECURE": False}, "insecure-cookies"),
        ({"MAIL_BACKEND": "outbox"}, "mail-outbox"),
        ({"MAIL_STARTTLS": False}, "mail-plaintext"),
        ({"ENCRYPTION_KEY": "short:AAAA"}, "encryption-key"),
        ({"BACKUP_RECIPIENTS": None}, "backup-unencrypted"),
        ({"BACKUP_RECIPIENTS": "age1notakey"}, "backup-recipients"),
        ({"TOTP_REQUIRED": False}, "second-factor-off"),
        ({"PUBLIC_URL": None}, "public-url"),
    ],
)
def test_each_unsafe_setting_is_found(app, change, code):
    _make_safe(app)
    app.config.update(change)
    assert _codes(app) == {code}


def test_local_mail_without_starttls_is_fine(app):
    _make_safe(app)
    app.config.update(MAIL_HOST="localhost", MAIL_STARTTLS=False)
    assert _codes(app) == set()


def test_several_workers_need_a_shared_limit_store_a_set_key_and_a_server_database(app):
    _make_safe(app)
    app.config["RATELIMIT_STORAGE_URI"] = "memory://"
    _private_write(Path(app.config["DATA_DIR"], "secret_key"), SAFE_SECRET)  # as generated on first start
    sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    assert ("sqlite-workers" in _codes(app, workers=4)) == sqlite
    assert _codes(app, workers=4) - {"sqlite-workers"} == {"generated-secret-key", "memory-limits"}
    assert _codes(app, workers=1) == set()  # one worker: the generated key and memory:// are fine


def test_a_world_readable_data_dir_or_secret_is_found(app):
    _make_safe(app)
    data_dir = Path(app.config["DATA_DIR"])
    os.chmod(data_dir, 0o755)  # noqa: S103 (the mistake under test)
    assert _codes(app) == {"world-readable-data"}
    os.chmod(data_dir, 0o700)
    secret = data_dir / "secret_key"
    secret.write_text("not the configured key")
    os.chmod(secret, 0o644)
    [finding] = find_unsafe_settings(app)
    assert finding.code == "world-readable-data" and "chmod 600" in finding.message


def test_the_command_lists_every_finding_and_exits_1(app, runner, monkeypatch):
    _make_safe(app)
    app.config.update(TRUSTED_PROXIES=0)
    monkeypatch.setenv("FLASK_DEBUG", "1")
    result = runner.invoke(args=["check-deploy", "--workers", "4"])
    assert result.exit_code == 1
    assert "UNSAFE [debug]" in result.output and "UNSAFE [no-proxy]" in result.output


def test_a_missing_or_broken_encryption_key_is_found(app):
    _make_safe(app)
    key_file = Path(app.config["DATA_DIR"]) / "encryption.key"
    key_file.unlink()
    [finding] = find_unsafe_settings(app)
    assert finding.code == "encryption-key" and "missing" in finding.message
    app.config["ENCRYPTION_KEY"] = "k1:not-base64"
    [finding] = find_unsafe_settings(app)
    assert finding.code == "encryption-key" and "WELFARE_ENCRYPTION_KEY" in finding.message


def test_a_data_dir_the_app_creates_is_private(tmp_path):
    from tests.conftest import close_database, make_app

    fresh = make_app(tmp_path / "new-data-dir")
    assert stat.S_IMODE(os.stat(tmp_path / "new-data-dir").st_mode) == 0o700
    close_database(fresh)
