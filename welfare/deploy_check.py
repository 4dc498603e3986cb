"""`flask check-deploy`: unsafe production settings, each with what to do about it.

It reads the same configuration the server will read (defaults, instance/config.py, WELFARE_*
environment), so run it in the service's environment, e.g. `sudo -u welfare env $(cat
/etc/welfare.env) flask --app welfare check-deploy`. Exit status 1 when anything is found.
"""

import os
import stat
from dataclasses import dataclass
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask.helpers import get_debug_flag

MIN_SECRET_LENGTH = 32


@dataclass(frozen=True)
class Finding:
    code: str  # stable, for scripts and tests
    message: str


def _secret_findings(app: Flask, workers: int) -> list[Finding]:
    findings = []
    secret = str(app.config.get("SECRET_KEY") or "")
    key_file = Path(app.config["DATA_DIR"]) / "secret_key"
    generated = key_file.exists() and key_file.read_text().strip() == secret
    if generated and workers > 1:
        findings.append(
            Finding(
                "generated-secret-key",
                f"SECRET_KEY is the one generated into {key_file} while {workers} workers serve the app: "
                "workers on another host or a fresh data dir get a different key and log everyone out. "
                "Set WELFARE_SECRET_KEY (python3 -c 'import secrets; print(secrets.token_hex(32))').",
            )
        )
    if len(secret) < MIN_SECRET_LENGTH:
        findings.append(
            Finding("weak-secret-key", f"SECRET_KEY is shorter than {MIN_SECRET_LENGTH} characters: use 64 hex digits.")
        )
    return findings


def _transport_findings(app: Flask) -> list[Finding]:
    findings = []
    if not int(app.config["TRUSTED_PROXIES"]):
        findings.append(
            Finding(
                "no-proxy",
                "TRUSTED_PROXIES is 0: behind nginx terminating HTTPS the app sees plain HTTP, so it sends no "
                "HSTS header and every per-address limit counts the proxy's address. Set "
                "WELFARE_TRUSTED_PROXIES=1 (one nginx that overwrites X-Forwarded-For/Proto).",
            )
        )
    if not app.config["SESSION_COOKIE_SECURE"]:
        findings.append(
            Finding(
                "insecure-cookies",
                "Session cookies are not Secure-only (DEVELOPMENT or TESTING is on): they travel over plain HTTP.",
            )
        )
    return findings


def _mode_findings(data_dir: Path) -> list[Finding]:
    """The data dir, or a secret in it, readable or writable by other users of the machine."""
    findings = []
    paths = [data_dir] + [data_dir / name for name in ("secret_key", "encryption.key", "welfare.sqlite3")]
    for path in paths:
        if not path.exists():
            continue
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & (stat.S_IROTH | stat.S_IWOTH):
            findings.append(
                Finding(
                    "world-readable-data",
                    f"{path} is readable or writable by every user of the machine (mode {mode:o}): "
                    f"chmod {'700' if path.is_dir() else '600'} {path}",
                )
            )
    return findings


def find_unsafe_settings(app: Flask, workers: int | None = None) -> list[Finding]:
    """Everything about this configuration that is unsafe in production."""
    config = app.config
    workers = workers or int(config["WORKERS"])
    findings = []
    # The CLI resets DEBUG from FLASK_DEBUG, so the server's own setting is read from the env too.
    welfare_debug = os.environ.get("WELFARE_DEBUG", "").lower() in ("1", "true", "yes")
    if app.debug or get_debug_flag() or welfare_debug:
        findings.append(
            Finding("debug", "Debug mode is on: an error page would run code sent by anyone. Unset FLASK_DEBUG.")
        )
    if config["DEVELOPMENT"]:
        findings.append(
            Finding("development", "DEVELOPMENT is on (cookies over plain HTTP). Unset WELFARE_DEVELOPMENT.")
        )
    if config.get("TESTING"):
        findings.append(Finding("testing", "TESTING is on: do not run tests' settings in production."))
    findings += _secret_findings(app, workers)
    findings += _transport_findings(app)
    if workers > 1 and config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        findings.append(
            Finding(
                "sqlite-workers",
                f"SQLite with {workers} workers: writers queue on one lock and the database cannot leave this "
                "disk. Use PostgreSQL (DATABASE_URL=postgresql://...) for more than one worker.",
            )
        )
    if workers > 1 and config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        findings.append(
            Finding(
                "memory-limits",
                f"RATELIMIT_STORAGE_URI=memory:// with {workers} workers: each worker counts its own login and "
                "search limits, so every limit is that many times higher. Set "
                "WELFARE_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0.",
            )
        )
    findings += _limit_findings(app)
    if config["MAIL_BACKEND"] != "smtp":
        findings.append(
            Finding(
                "mail-outbox",
                "MAIL_BACKEND is outbox: referral mail is written to DATA_DIR/outbox/ and never sent. "
                "Set WELFARE_MAIL_HOST (and port, STARTTLS, user, password, sender).",
            )
        )
    elif not config["MAIL_STARTTLS"] and config["MAIL_HOST"] not in ("localhost", "127.0.0.1", "::1"):
        findings.append(
            Finding(
                "mail-plaintext",
                f"Mail to {config['MAIL_HOST']} goes without STARTTLS: referral links cross the network in "
                "clear text. Set WELFARE_MAIL_STARTTLS=true.",
            )
        )
    findings += _account_findings(app)
    findings += _encryption_findings(app)
    findings += _backup_findings(app)
    findings += _mode_findings(Path(config["DATA_DIR"]))
    return findings


def _limit_findings(app: Flask) -> list[Finding]:
    """Limits switched off, or a store that does not answer (the app then counts per process)."""
    from welfare.extensions import limiter

    if not app.config.get("RATELIMIT_ENABLED", True):
        return [
            Finding(
                "limits-off",
                "RATELIMIT_ENABLED is false: no login throttling and no search or API limits. Only for "
                "benchmarks; unset WELFARE_RATELIMIT_ENABLED.",
            )
        ]
    # The store this app is bound to (check() answers False, never raises, when it is down).
    if limiter.initialized and not limiter.storage.check():
        return [
            Finding(
                "limits-store-down",
                f"The rate-limit store {_without_password(app.config['RATELIMIT_STORAGE_URI'])} is unreachable: "
                "limits and login throttling count in each worker process until it answers again. Start "
                "Redis (systemctl start redis-server) or fix WELFARE_RATELIMIT_STORAGE_URI.",
            )
        ]
    return []


def _account_findings(app: Flask) -> list[Finding]:
    """The second factor switched off, and one-time links built from whatever Host a request names."""
    findings = []
    if app.config.get("TOTP_REQUIRED") is False:
        findings.append(
            Finding(
                "second-factor-off",
                "TOTP_REQUIRED is false: the office team and administrators log in with a password alone. "
                "Unset WELFARE_TOTP_REQUIRED (the default requires the second factor).",
            )
        )
    if not app.config.get("PUBLIC_URL"):
        findings.append(
            Finding(
                "public-url",
                "PUBLIC_URL is not set: enrollment, reset and referral links in e-mails, the slip's QR code and "
                "the calendar address are built from the request's Host header. Set "
                "WELFARE_PUBLIC_URL=https://<the office's address>.",
            )
        )
    return findings


def _without_password(uri: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(uri)
    if parts.password:
        return uri.replace(f":{parts.password}@", ":***@", 1)
    return uri


def _encryption_findings(app: Flask) -> list[Finding]:
    from welfare.crypto import KeyringError, keyring

    try:
        keyring(app)
    except (KeyringError, OSError) as exc:
        return [
            Finding(
                "encryption-key",
                f"The encryption keyring cannot be used ({exc}): case notes cannot be read or written. "
                "Restore DATA_DIR/encryption.key from the backup or fix WELFARE_ENCRYPTION_KEY.",
            )
        ]
    return []


def _backup_findings(app: Flask) -> list[Finding]:
    from welfare.backup_age import AgeError, parse_recipients

    try:
        recipients = parse_recipients(app.config.get("BACKUP_RECIPIENTS"))
    except AgeError as exc:
        return [Finding("backup-recipients", f"{exc}. `flask backup` refuses to run until it is fixed.")]
    if recipients:
        return []
    return [
        Finding(
            "backup-unencrypted",
            "No BACKUP_RECIPIENTS: `flask backup` refuses to run (or, with --unencrypted, writes the database and "
            "its encryption key in clear). Create a key pair off this server (age-keygen -o backup-identity.txt) "
            "and set WELFARE_BACKUP_RECIPIENTS=age1... to its public key.",
        )
    ]


@click.command("check-deploy")
@click.option("--workers", type=int, help="Worker processes the server will run (default: WORKERS setting).")
@with_appcontext
def check_deploy_command(workers: int | None) -> None:
    """List unsafe production settings; exit 1 when there is any."""
    app = current_app._get_current_object()
    findings = find_unsafe_settings(app, workers)
    for finding in findings:
        click.echo(f"UNSAFE [{finding.code}] {finding.message}")
    if findings:
        click.echo(f"{len(findings)} unsafe setting(s) found.", err=True)
        raise SystemExit(1)
    click.echo(f"No unsafe settings found (data dir {app.config['DATA_DIR']}).")
