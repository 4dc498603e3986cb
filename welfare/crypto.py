"""Encryption at rest of sensitive free text (AES-256-GCM from `cryptography`).

A column typed `EncryptedText("what")` stores `enc1:<key id>:<base64(nonce + ciphertext)>`.
The key id names the key in the keyring, so old values stay readable after a new key is
added, and `flask keys rotate` can find and re-encrypt them. GCM authenticates every value
(with the column's purpose and the key id as associated data): a changed byte, or a value
copied into another column, raises `TamperedValue` instead of showing garbage.

The keyring is `WELFARE_ENCRYPTION_KEY` or the file `DATA_DIR/encryption.key` (created mode 600
on first start): entries `<id>:<base64 of 32 bytes>` separated by whitespace or commas, the
last one current. The file is re-read when it changes, so running workers pick up a rotation.
Values stored before encryption was switched on (no `enc1:` prefix) are read as they are and
encrypted by `flask keys rotate`.
"""

import base64
import binascii
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Flask, current_app
from flask_babel import gettext as _

from welfare.database import PRIVATE_FILE

PREFIX = "enc1"
KEY_FILE = "encryption.key"
NONCE_BYTES = 12


class TamperedValue(Exception):
    """A stored value failed authentication (changed, moved, or under a key the keyring lacks)."""

    def __init__(self, purpose: str, reason: str):
        super().__init__(f"{purpose}: {reason}")
        self.purpose = purpose


class KeyringError(RuntimeError):
    """The configured keyring cannot be read; the message says what is wrong (never a key)."""


@dataclass(frozen=True)
class Keyring:
    keys: dict[str, bytes]  # id -> 32-byte key, in order; the last is current
    source: str  # "env" or the file's path

    @property
    def current_id(self) -> str:
        return list(self.keys)[-1]


def new_key_entry() -> str:
    """A fresh keyring entry: a short random id and 32 random bytes."""
    return f"{secrets.token_hex(4)}:{base64.b64encode(os.urandom(32)).decode()}"


def parse_keyring(text: str, source: str) -> Keyring:
    keys = {}
    for entry in text.replace(",", " ").split():
        key_id, sep, encoded = entry.partition(":")
        try:
            key = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            key = b""
        if not sep or not key_id.isalnum() or len(key) != 32:
            raise KeyringError(f"{source}: each entry must be <id>:<base64 of 32 bytes>")
        keys[key_id] = key
    if not keys:
        raise KeyringError(f"{source} holds no key")
    return Keyring(keys, source)


def key_file(app: Flask) -> Path:
    return Path(app.config["DATA_DIR"]) / KEY_FILE


def ensure_key_file(app: Flask) -> None:
    """Create the key file with one key on first start (unless the key comes from the environment)."""
    if app.config.get("ENCRYPTION_KEY"):
        return
    path = key_file(app)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return
    with os.fdopen(fd, "w") as fh:
        fh.write(new_key_entry() + "\n")


_cache: dict[str, tuple[tuple[int, int, int], Keyring]] = {}
_cache_lock = threading.Lock()


def keyring(app: Flask | None = None) -> Keyring:
    """The app's keyring; the file is read again whenever it changed (a rotation)."""
    app = app or current_app
    configured = app.config.get("ENCRYPTION_KEY")
    if configured:
        return parse_keyring(str(configured), "WELFARE_ENCRYPTION_KEY")
    path = key_file(app)
    try:
        info = path.stat()
        version = (info.st_ino, info.st_mtime_ns, info.st_size)
    except FileNotFoundError:
        raise KeyringError(f"{path} is missing: restore it from the backup, or no encrypted text can be read") from None
    with _cache_lock:
        cached = _cache.get(str(path))
        if cached and cached[0] == version:
            return cached[1]
        ring = parse_keyring(path.read_text(), str(path))
        _cache[str(path)] = (version, ring)
        return ring


def _aad(purpose: str, key_id: str) -> bytes:
    return f"{purpose}|{key_id}".encode()


def encrypt(plain: str, purpose: str, ring: Keyring | None = None) -> str:
    ring = ring or keyring()
    key_id = ring.current_id
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(ring.keys[key_id]).encrypt(nonce, plain.encode(), _aad(purpose, key_id))
    return f"{PREFIX}:{key_id}:{base64.b64encode(nonce + sealed).decode()}"


def key_id_of(stored: str) -> str | None:
    """The key a stored value is under; None for a value stored before encryption."""
    if not stored.startswith(PREFIX + ":"):
        return None
    return stored.split(":", 2)[1]


def decrypt(stored: str, purpose: str, ring: Keyring | None = None) -> str:
    """The plain text of a stored value. :raise TamperedValue: it fails authentication."""
    if not stored.startswith(PREFIX + ":"):
        return stored  # stored before encryption was on; `flask keys rotate` encrypts it
    ring = ring or keyring()
    try:
        _prefix, key_id, encoded = stored.split(":", 2)
        raw = base64.b64decode(encoded, validate=True)
    except (ValueError, binascii.Error):
        raise TamperedValue(purpose, "malformed") from None
    key = ring.keys.get(key_id)
    if key is None:
        raise TamperedValue(purpose, f"key {key_id} is not in the keyring")
    try:
        plain = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _aad(purpose, key_id))
    except (InvalidTag, ValueError):
        raise TamperedValue(purpose, "authentication failed") from None
    return plain.decode()


class EncryptedText(sa.types.TypeDecorator):
    """Free text encrypted in the database; `purpose` (e.g. "case_challenge.description") binds
    each value to its column."""

    impl = sa.Text
    cache_ok = True

    def __init__(self, purpose: str):
        super().__init__()
        self.purpose = purpose

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return encrypt(value, self.purpose)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return decrypt(value, self.purpose)


def encrypted_columns(metadata: sa.MetaData) -> list[tuple[sa.Table, sa.Column]]:
    """Every EncryptedText column of the schema (what `keys rotate` walks)."""
    return [
        (table, column)
        for table in metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, EncryptedText)
    ]


def init_app(app: Flask) -> None:
    """Create the key file on first start and show a tampered value as a clear page."""
    ensure_key_file(app)

    def handle_tampered(exc: TamperedValue):
        from welfare.errors import render_error_page
        from welfare.extensions import db

        db.session.rollback()
        current_app.logger.error("Encrypted value failed authentication: %s", exc)
        return render_error_page(
            500,
            _("Stored data failed its integrity check"),
            _(
                "A protected text of this record was changed outside the application or its key is "
                "missing, so it is not shown. Nothing was changed; tell the administrator."
            ),
        )

    app.register_error_handler(TamperedValue, handle_tampered)
