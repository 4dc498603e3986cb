"""Configuration layers: defaults, then instance/config.py, then WELFARE_* env, then test mapping.

Everything the app writes lives in DATA_DIR (default: the instance folder), so two
data dirs never share state.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask


class Defaults:
    # Everything the app writes: SQLite database, search index, secrets, outbox.
    DATA_DIR: str | None = None
    SECRET_KEY: str | None = None
    # Local demo / developer mode: allows cookies over plain HTTP on 127.0.0.1.
    DEVELOPMENT = False
    # How many reverse proxies stand in front of the app (nginx: 1). Only then are their
    # X-Forwarded-For/Proto/Host headers trusted; with 0 anyone could pick their own address
    # and step around every per-address limit. PROXY_FIX = True is the old spelling of 1.
    TRUSTED_PROXIES = 0
    PROXY_FIX = False
    # Request bodies larger than this get a 413 page (forms are small; only the document upload
    # form allows more, see cases/documents).
    MAX_CONTENT_LENGTH = 2_000_000
    MAX_FORM_MEMORY_SIZE = 2_000_000
    # A document on a case (a PDF, a phone photo); its upload form alone accepts a larger body.
    DOCUMENT_MAX_BYTES = 10_000_000

    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLITE_BUSY_TIMEOUT_MS = 5000

    BABEL_DEFAULT_LOCALE = "sl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Ljubljana"
    LANGUAGES = ("sl", "en")

    SESSION_COOKIE_NAME = "pisarna_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    # Staff sessions end after this much inactivity, and in any case after the absolute limit.
    IDLE_TIMEOUT_MINUTES = 30
    ABSOLUTE_TIMEOUT_HOURS = 12
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    # memory:// counts per worker process: with several workers use a shared store (Redis).
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Flask-Limiter's own switch (the benches turn it off); said explicitly because the limiter
    # is one object for every app a process creates, and would otherwise keep the last app's value.
    RATELIMIT_ENABLED = True
    # When the store (Redis) stops answering, count per process until it is back, never fail.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # A store that does not answer must cost a request a fraction of a second, not hang it.
    RATELIMIT_STORE_TIMEOUT_SECONDS = 0.5
    # How many processes serve the app (gunicorn -w); WEB_CONCURRENCY is read when unset.
    WORKERS: int | None = None
    # Failed logins per username from one address: quick to trip, over soon.
    LOGIN_RATE_LIMIT = "5 per 15 minutes"
    # Failed logins per username from anywhere: slow, so guessing at a colleague's username
    # from one address does not lock them out; an administrator can lift it.
    LOGIN_USER_RATE_LIMIT = "30 per day"
    # Failed logins from a device the username logged in from before (its device cookie): counted
    # per device instead of the two above, so no one elsewhere can lock that device out.
    LOGIN_DEVICE_RATE_LIMIT = "10 per 15 minutes"
    LOGIN_DEVICE_COOKIE_DAYS = 180
    # A second factor (TOTP) for the office team and administrators. None means "not set" and
    # is on; `flask start` (the local demo) turns it off unless set, and so do the tests' apps.
    TOTP_REQUIRED: bool | None = None
    # After the password, the code must follow within this many minutes.
    LOGIN_CODE_MINUTES = 5
    # One-time links by e-mail: enrollment (set your own password) and password reset.
    # Where the office's site is reached ("https://pisarna.example.si"): one-time links in mails
    # are built from it, not from the request's Host header.
    PUBLIC_URL: str | None = None
    ENROLLMENT_LINK_HOURS = 72
    RESET_LINK_HOURS = 2
    # Reset requests per address (the answer never says whether the account exists).
    PASSWORD_RESET_RATE_LIMIT = "5 per 15 minutes"  # noqa: S105 (a rate, not a password)
    # A case-team role that took effect without a second administrator is shown on the team's
    # start page this long.
    ROLE_ANNOUNCEMENT_DAYS = 14
    # Public search is CPU-heavy and feeds the insights: keep one address from flooding either.
    # The search page and the API's `search` share this limit.
    SEARCH_RATE_LIMIT = "120 per minute"
    # Every other HSDS API request, per address.
    API_RATE_LIMIT = "300 per minute"

    # Raw search queries are kept this long; after that only counts of frequent queries remain.
    SEARCH_LOG_RETENTION_DAYS = 90
    # How the search log reaches the database, off the request path: "background" (a writer
    # thread per process, every second and at shutdown), "request" (at the end of each request;
    # the default under TESTING) or "manual" (only an explicit flush).
    SEARCH_LOG_FLUSH: str | None = None
    # Thesaurus, pins and click feedback are cached per process this long (0: read every search).
    SEARCH_SETTINGS_CACHE_SECONDS = 5
    # Whole search results kept per process (least recently used go first; 0: no result cache),
    # dropped when the index changes and after SEARCH_RESULT_CACHE_SECONDS at most.
    SEARCH_RESULT_CACHE = 1000
    SEARCH_RESULT_CACHE_SECONDS = 60
    # Where "leave this page quickly" goes from a page about violence or a crisis: a neutral site.
    QUICK_EXIT_URL = "https://www.google.si/"

    # zxcvbn score (0-4) a password needs: 3 refuses a dictionary word with digits and a symbol.
    PASSWORD_MIN_SCORE = 3
    # Passed to zxcvbn with the username and the person's name: a password built from them is weak.
    OFFICE_NAME = "Pisarna lokalne blaginje"
    MUNICIPALITY_NAME = "Mestna občina Novo mesto"
    PASSWORD_MIN_LENGTH = 10
    PASSWORD_MAX_LENGTH = 128
    PASSWORD_HASH_PROFILE = "RFC_9106_LOW_MEMORY"  # noqa: S105  (a profile name)

    # Trend reports never show a count from 1 to this minus one (such a count shows as 0 or as
    # this number, cases/trends/privacy.py); at least 3.
    TREND_MIN_CELL = 5
    # The partners' monthly statement counts a referral as answered in time when the organization
    # accepted or declined it within this many calendar days of sending (7: a working week, with
    # no holiday calendar to keep); whole days, as the trend reports' days to the answer.
    PARTNER_ANSWER_DAYS = 7

    # Catalog entries not verified for this many months are listed for re-verification.
    CATALOG_STALE_MONTHS = 12
    # Partners are reminded (`flask catalog remind-partners`) of their entries not confirmed
    # for this many months, once per entry in each such period.
    CATALOG_CONFIRM_MONTHS = 6
    # Keep the Whoosh index in step with every commit (off only for bulk maintenance).
    SEARCH_INDEX_ENABLED = True
    # Closed cases are anonymized this many years after closing (`flask cases retention --apply`).
    CASE_RETENTION_YEARS = 10
    # Unsaved form drafts (cases/drafts.py) are offered back this long, then `cases retention` deletes them.
    DRAFT_RETENTION_DAYS = 7

    # Keyring for encrypted free text: "<id>:<base64 of 32 bytes>" entries, the last current.
    # Unset: DATA_DIR/encryption.key, created on first start (see welfare/crypto.py).
    ENCRYPTION_KEY: str | None = None
    # age public keys (age1..., comma- or space-separated) that `flask backup` encrypts to; the
    # private keys stay off this server. Unset: `flask backup` refuses unless --unencrypted.
    BACKUP_RECIPIENTS: str | None = None

    # Outgoing mail. "smtp" sends through MAIL_HOST; "outbox" writes DATA_DIR/outbox/*.eml
    # (development). Unset: smtp when MAIL_HOST is set, else outbox.
    MAIL_BACKEND: str | None = None
    MAIL_HOST: str | None = None
    MAIL_PORT = 25
    MAIL_STARTTLS = False
    MAIL_USER: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_SENDER = "pisarna@localhost"
    # Per SMTP step (connect, each command); a slow server costs a delivery thread, never a page.
    MAIL_TIMEOUT_SECONDS = 10
    # A failed send is retried after base, 2x, 4x, ... seconds, and given up after this many tries.
    MAIL_MAX_ATTEMPTS = 8
    MAIL_RETRY_BASE_SECONDS = 60
    # How long a claimed message belongs to one deliverer; after that (it died) it is due again.
    MAIL_CLAIM_SECONDS = 300
    MAIL_BATCH_SIZE = 50
    # Start delivery on a thread right after a request commits mail. Unset: on, except in tests
    # (they deliver explicitly, or turn it on to test it).
    MAIL_DELIVER_AFTER_COMMIT: bool | None = None


def _normalise_database_url(url: str) -> str:
    # Heroku-style URLs name the dialect "postgres"; SQLAlchemy needs a driver for psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def load_secret_key(data_dir: Path) -> str:
    """Read the generated secret key, creating it (mode 600) on first start."""
    path = data_dir / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def finalize(app: Flask) -> None:
    """Derive settings that depend on other layers (data dir, database URL, secret key)."""
    data_dir = Path(app.config["DATA_DIR"] or app.instance_path).resolve()
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # a new data dir is private from the start
    app.config["DATA_DIR"] = str(data_dir)

    url = app.config.get("SQLALCHEMY_DATABASE_URI") or os.environ.get("DATABASE_URL")
    if not url:
        url = f"sqlite:///{data_dir / 'welfare.sqlite3'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_database_url(url)
    if url.startswith("sqlite"):
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    else:
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})

    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_secret_key(data_dir)
    if app.config["DEVELOPMENT"] or app.config.get("TESTING"):
        app.config["SESSION_COOKIE_SECURE"] = False
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=app.config["ABSOLUTE_TIMEOUT_HOURS"])
    if app.config["PROXY_FIX"] and not app.config["TRUSTED_PROXIES"]:
        app.config["TRUSTED_PROXIES"] = 1
    if not app.config["MAIL_BACKEND"]:
        app.config["MAIL_BACKEND"] = "smtp" if app.config["MAIL_HOST"] else "outbox"
    if app.config["MAIL_BACKEND"] not in ("smtp", "outbox"):
        # A typo must not quietly turn production mail into files nobody reads.
        raise ValueError(f"MAIL_BACKEND must be 'smtp' or 'outbox', not {app.config['MAIL_BACKEND']!r}")
    if app.config["MAIL_DELIVER_AFTER_COMMIT"] is None:
        app.config["MAIL_DELIVER_AFTER_COMMIT"] = not app.config.get("TESTING")
    if app.config["SEARCH_LOG_FLUSH"] is None:
        app.config["SEARCH_LOG_FLUSH"] = "request" if app.config.get("TESTING") else "background"
    app.config["TREND_MIN_CELL"] = check_trend_min_cell(app.config["TREND_MIN_CELL"])
    options = app.config["RATELIMIT_STORAGE_OPTIONS"] = dict(app.config.get("RATELIMIT_STORAGE_OPTIONS") or {})
    # Store errors arrive as limits.errors.StorageError, whichever store it is.
    options.setdefault("wrap_exceptions", True)
    if app.config["RATELIMIT_STORAGE_URI"].startswith(("redis", "valkey")):
        timeout = float(app.config["RATELIMIT_STORE_TIMEOUT_SECONDS"])
        options.setdefault("socket_connect_timeout", timeout)
        options.setdefault("socket_timeout", timeout)
    if app.config["WORKERS"] is None:
        workers = os.environ.get("WEB_CONCURRENCY", "1")
        app.config["WORKERS"] = int(workers) if workers.isascii() and workers.isdigit() else 1


MIN_TREND_MIN_CELL = 3


def check_trend_min_cell(value) -> int:
    """The suppression threshold as a whole number of at least 3 (1 or 2 would publish the
    single people and pairs that suppression exists to hide). :raise ValueError: otherwise."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or int(text) < MIN_TREND_MIN_CELL:
        raise ValueError(
            f"TREND_MIN_CELL must be a whole number of at least {MIN_TREND_MIN_CELL} (got {value!r}): "
            "trend reports would otherwise show groups of one or two people."
        )
    return int(text)


def limiter_store_warning(app: Flask) -> str | None:
    """A warning when several workers would each count limits on their own (memory:// store)."""
    if app.config["WORKERS"] > 1 and app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        return (
            f"WARNING: {app.config['WORKERS']} workers with RATELIMIT_STORAGE_URI=memory:// each count "
            "their own limits, so every limit is that many times higher. Set "
            "WELFARE_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0 (see docs/security.md)."
        )
    return None
